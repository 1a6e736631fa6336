// Which JWKS documents may register keys: uploaded (every key must be acceptable) and fetched from a
// jwks_uri (unusable keys are set aside with their reason). Certificates come from tests/fixtures/keys.
import crypto, { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { JWK } from "jose";
import { describe, expect, it } from "vitest";
import { jwkThumbprint } from "@/lib/crypto/jwk";
import { DomainError } from "@/lib/errors";
import { MAX_JWKS_BYTES, validateJwksDocument } from "@/lib/keys/validate";

const NOW = new Date("2026-06-01T00:00:00Z");
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/keys/${name}`, import.meta.url), "utf8");
// x5c entries are single-line standard base64 DER (RFC 7517 4.7)
const x5cOf = (pemName: string) => new X509Certificate(fixture(pemName)).raw.toString("base64");
const jwkOfCertificate = (pemName: string) => new X509Certificate(fixture(pemName)).publicKey.export({ format: "jwk" }) as JWK;

const ecPrivate = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }) as JWK;
const { d: _d, ...ec } = ecPrivate;
const ec384 = crypto.generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey.export({ format: "jwk" }) as JWK;
const ec521 = crypto.generateKeyPairSync("ec", { namedCurve: "P-521" }).publicKey.export({ format: "jwk" }) as JWK;
const rsaPrivate = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }) as JWK;
const rsa = crypto.createPublicKey({ key: rsaPrivate, format: "jwk" }).export({ format: "jwk" }) as JWK;
const rsa1024 = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" }) as JWK;
const ed = crypto.generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as JWK;
const x448 = crypto.generateKeyPairSync("x448").publicKey.export({ format: "jwk" }) as JWK;
const k256 = crypto.generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey.export({ format: "jwk" }) as JWK;
const offCurveY = Buffer.from(ec.y!, "base64url");
offCurveY[7] ^= 1;
const ecOffCurve = { ...ec, y: offCurveY.toString("base64url") };
const ecCertKey = jwkOfCertificate("ec.crt.pem");
const expiredCertKey = jwkOfCertificate("expired.crt.pem");
const futureCertKey = jwkOfCertificate("future.crt.pem");

const doc = (...keys: unknown[]) => JSON.stringify({ keys });
const upload = (text: string, allowedAlgorithms?: readonly string[]) => validateJwksDocument(text, { mode: "upload", now: NOW, allowedAlgorithms });
const fetched = (text: string) => validateJwksDocument(text, { mode: "jwks_uri", now: NOW });

function refusal(check: () => unknown): DomainError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("invalid");
    return error as DomainError;
  }
  throw new Error("expected the JWKS to be refused");
}

describe("validateJwksDocument, uploaded", () => {
  it("accepts EC, RSA and Ed25519 public keys, keeping only public members, kid, use and alg", () => {
    const { keys, ignored } = upload(
      doc({ ...ec, kid: "ec1", alg: "ES256", use: "sig", key_ops: ["verify"], x5t: "dropped" }, { ...ec384, kid: "ec384" }, { ...ec521, kid: "ec521", alg: "ES512" }, { ...rsa, kid: "rsa1", alg: "PS256" }, { ...ed, kid: "ed1", alg: "EdDSA" }),
    );
    expect(ignored).toEqual([]);
    expect(keys.map((k) => [k.kid, k.kty, k.alg, k.source, k.kidAssigned])).toEqual([
      ["ec1", "EC", "ES256", "upload", false],
      ["ec384", "EC", null, "upload", false],
      ["ec521", "EC", "ES512", "upload", false],
      ["rsa1", "RSA", "PS256", "upload", false],
      ["ed1", "OKP", "EdDSA", "upload", false],
    ]);
    expect(keys[0].publicJwk).toEqual({ kty: "EC", crv: "P-256", x: ec.x, y: ec.y, kid: "ec1", use: "sig", alg: "ES256" });
    expect(keys[3].publicJwk).toEqual({ kty: "RSA", n: rsa.n, e: rsa.e, kid: "rsa1", use: "sig", alg: "PS256" });
    expect(keys[1]).toMatchObject({ thumbprint: jwkThumbprint(ec384), expiresAt: null, certificate: null });
  });

  it("names a key without kid by its RFC 7638 thumbprint and says so", () => {
    const [key] = upload(doc(ec)).keys;
    expect(key).toMatchObject({ kid: jwkThumbprint(ec), kidAssigned: true, thumbprint: jwkThumbprint(ec) });
    expect(key.publicJwk.kid).toBe(jwkThumbprint(ec));
  });

  it("takes the expiry from the certificate in x5c and never keeps x5c in the stored key", () => {
    const [key] = upload(doc({ ...ecCertKey, kid: "c", x5c: [x5cOf("ec.crt.pem")] })).keys;
    expect(key.expiresAt).toEqual(new Date("2099-12-31T23:59:59Z"));
    expect(key.certificate).toMatchObject({ subject: "CN=ec.client.example", issuer: "CN=ec.client.example", notBefore: new Date("2024-01-01T00:00:00Z") });
    expect(key.certificate?.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(key.publicJwk).not.toHaveProperty("x5c");
  });

  it("accepts an x5c chain of two without verifying it, the first certificate being the key's", () => {
    const [leaf, root] = fixture("chain.pem").split(/(?=-----BEGIN CERTIFICATE-----)/);
    const leafKey = new X509Certificate(leaf).publicKey.export({ format: "jwk" });
    const [key] = upload(doc({ ...leafKey, x5c: [leaf, root].map((pem) => new X509Certificate(pem).raw.toString("base64")) })).keys;
    expect(key.certificate?.subject).toBe("CN=leaf.client.example");
  });

  it("accepts a certificate in x5c that is not valid yet and reports its notBefore", () => {
    const [key] = upload(doc({ ...futureCertKey, x5c: [x5cOf("future.crt.pem")] })).keys;
    expect(key.certificate?.notBefore).toEqual(new Date("2090-01-01T00:00:00Z"));
  });

  it("takes the allowed algorithms from the caller", () => {
    expect(upload(doc({ ...ec, alg: "ES256" }), ["ES256"]).keys[0].alg).toBe("ES256");
    expect(refusal(() => upload(doc({ ...ec384, alg: "ES384" }), ["ES256"])).message).toContain('key 1: alg "ES384" is not allowed (ES256)');
  });

  it("refuses a private key with an unmistakable warning and without echoing it", () => {
    for (const leak of [{ ...ecPrivate, kid: "leak" }, rsaPrivate]) {
      const error = refusal(() => upload(doc(ec, leak)));
      expect(error.message).toMatch(/PRIVATE key.*Nothing was saved or logged.*compromised/);
      expect(error.fields).toEqual({ jwks: "Contains a private key" });
      expect(error.message + JSON.stringify(error.fields)).not.toContain(String(leak.d));
    }
  });

  const refused: { name: string; input: string; expected: string | RegExp }[] = [
    { name: "text that is not JSON", input: "{keys:", expected: "The JWKS is not valid JSON." },
    { name: "a document without keys", input: "{}", expected: /non-empty "keys" array/ },
    { name: "an empty keys array", input: doc(), expected: /non-empty "keys" array/ },
    { name: "a bare array of keys", input: JSON.stringify([ec]), expected: /non-empty "keys" array/ },
    { name: "a document over 64 KiB", input: doc({ ...ec, pad: "x".repeat(MAX_JWKS_BYTES) }), expected: "The JWKS is larger than 64 KiB." },
    { name: "more than 20 keys", input: doc(...Array.from({ length: 21 }, (_, i) => ({ ...ec, kid: `k${i}` }))), expected: /At most 20 keys per client; this JWKS has 21/ },
    { name: "a key that is not an object", input: doc("key"), expected: "key 1: not a JSON object" },
    { name: "a symmetric key", input: doc({ kty: "oct", k: "c2VjcmV0" }), expected: /key 1: a symmetric \(shared\) key cannot authenticate/ },
    { name: "a key with a symmetric member k", input: doc({ ...ec, k: "c2VjcmV0" }), expected: /key 1: a symmetric/ },
    { name: "an unknown key type", input: doc({ kty: "XYZ" }), expected: 'key 1: key type "XYZ" is not supported (EC, RSA or OKP)' },
    { name: "a key missing a member", input: doc({ kty: "EC", crv: "P-256", x: ec.x }), expected: "key 1: a EC key needs y" },
    { name: "an EC key on secp256k1", input: doc(k256), expected: 'key 1: curve "secp256k1" is not allowed (P-256, P-384, P-521)' },
    { name: "an X448 key", input: doc(x448), expected: 'key 1: curve "X448" is not allowed (Ed25519 only)' },
    { name: "an RSA key under 2048 bits", input: doc(ec, rsa1024), expected: "key 2: the RSA key has 1024 bits; at least 2048 are required" },
    { name: "an EC point that is not on the curve", input: doc(ecOffCurve), expected: "key 1: the EC key is not a point on curve P-256" },
    { name: "an Ed25519 key of the wrong length", input: doc({ ...ed, x: "AAAA" }), expected: "key 1: the OKP key does not parse as a public key" },
    { name: "an encryption key", input: doc({ ...ec, use: "enc" }), expected: 'key 1: use is "enc"; a client signing key has use "sig" or none' },
    { name: "key_ops without verify", input: doc({ ...ec, key_ops: ["encrypt"] }), expected: 'key 1: key_ops must include "verify"' },
    { name: "key_ops that is not an array", input: doc({ ...ec, key_ops: "verify" }), expected: 'key 1: key_ops must include "verify"' },
    { name: "an HMAC alg", input: doc({ ...ec, alg: "HS256" }), expected: /key 1: alg "HS256" is not allowed \(ES256, / },
    { name: "an alg for another key type", input: doc({ ...ec, alg: "RS256" }), expected: "key 1: RS256 needs an RSA key, this key is EC" },
    { name: "an alg for another curve", input: doc({ ...ec, alg: "ES384" }), expected: "key 1: ES384 needs curve P-384, this key is on P-256" },
    { name: "an empty kid", input: doc({ ...ec, kid: "" }), expected: "key 1: kid must be a string of 1 to 255 characters" },
    { name: "a kid of 256 characters", input: doc({ ...ec, kid: "k".repeat(256) }), expected: "key 1: kid must be a string of 1 to 255 characters" },
    { name: "a numeric kid", input: doc({ ...ec, kid: 7 }), expected: "key 1: kid must be a string of 1 to 255 characters" },
    { name: "a duplicate kid", input: doc({ ...ec, kid: "a" }, { ...rsa, kid: "a" }), expected: 'key 2: kid "a" is already used by key 1' },
    { name: "the same key twice without kid", input: doc(ec, ec), expected: `key 2: kid "${jwkThumbprint(ec)}" is already used by key 1` },
    { name: "x5c that is not an array", input: doc({ ...ecCertKey, x5c: x5cOf("ec.crt.pem") }), expected: "key 1: x5c must be a non-empty array of base64 DER certificates" },
    { name: "an empty x5c", input: doc({ ...ecCertKey, x5c: [] }), expected: "key 1: x5c must be a non-empty array of base64 DER certificates" },
    { name: "x5c in base64url", input: doc({ ...ecCertKey, x5c: [Buffer.from(x5cOf("ec.crt.pem"), "base64").toString("base64url")] }), expected: "key 1: x5c[0] is base64url; x5c uses standard base64" },
    { name: "x5c that is not a certificate", input: doc({ ...ecCertKey, x5c: [x5cOf("ec.crt.pem"), "aGVsbG8="] }), expected: "key 1: x5c[1] is not a base64 DER certificate" },
    { name: "x5c holding another key", input: doc({ ...ec, x5c: [x5cOf("ec.crt.pem")] }), expected: "key 1: the certificate in x5c[0] holds a different public key than the JWK" },
    { name: "an expired certificate in x5c", input: doc({ ...expiredCertKey, x5c: [x5cOf("expired.crt.pem")] }), expected: "key 1: the certificate in x5c expired on 2024-01-31" },
  ];
  for (const { name, input, expected } of refused) {
    it(`refuses ${name}`, () => {
      const error = refusal(() => upload(input));
      if (typeof expected === "string") expect(error.message).toContain(expected);
      else expect(error.message).toMatch(expected);
      expect(error.fields?.jwks).toBeTruthy();
    });
  }

  it("names every problem and puts the first in the jwks field", () => {
    const error = refusal(() => upload(doc(ec, rsa1024, { ...ec384, use: "enc" })));
    expect(error.message).toBe(
      'The JWKS cannot be registered: key 2: the RSA key has 1024 bits; at least 2048 are required; key 3: use is "enc"; a client signing key has use "sig" or none.',
    );
    expect(error.fields).toEqual({ jwks: "key 2: the RSA key has 1024 bits; at least 2048 are required" });
  });

  it("cuts short a long value it quotes", () => {
    const error = refusal(() => upload(doc({ ...ec, use: "u".repeat(1000) })));
    expect(error.message.length).toBeLessThan(200);
  });
});

describe("validateJwksDocument, fetched from a jwks_uri", () => {
  const ignoredRows: { name: string; input: unknown[]; expected: { kids: string[]; ignored: { index: number; kid: string | null; reason: string | RegExp }[] } }[] = [
    { name: "an encryption key", input: [{ ...ec, kid: "sig" }, { ...rsa, kid: "enc", use: "enc" }], expected: { kids: ["sig"], ignored: [{ index: 1, kid: "enc", reason: 'use is "enc"; a client signing key has use "sig" or none' }] } },
    { name: "key_ops without verify", input: [{ ...ec, kid: "sig" }, { ...rsa, kid: "wrap", key_ops: ["wrapKey"] }], expected: { kids: ["sig"], ignored: [{ index: 1, kid: "wrap", reason: 'key_ops must include "verify"' }] } },
    { name: "an RSA key under 2048 bits", input: [{ ...rsa1024, kid: "small" }, { ...ec, kid: "sig" }], expected: { kids: ["sig"], ignored: [{ index: 0, kid: "small", reason: "the RSA key has 1024 bits; at least 2048 are required" }] } },
    { name: "a symmetric key", input: [{ kty: "oct", k: "c2VjcmV0" }, { ...ec, kid: "sig" }], expected: { kids: ["sig"], ignored: [{ index: 0, kid: null, reason: /symmetric/ }] } },
    { name: "an unsupported key type", input: [{ kty: "XYZ", kid: "x" }, { ...ec, kid: "sig" }], expected: { kids: ["sig"], ignored: [{ index: 0, kid: "x", reason: /key type "XYZ" is not supported/ }] } },
    { name: "an expired certificate in x5c", input: [{ ...expiredCertKey, kid: "old", x5c: [x5cOf("expired.crt.pem")] }, { ...ec, kid: "sig" }], expected: { kids: ["sig"], ignored: [{ index: 0, kid: "old", reason: "the certificate in x5c expired on 2024-01-31" }] } },
    { name: "every key sharing a kid", input: [{ ...ec, kid: "a" }, { ...rsa, kid: "a" }, { ...ed, kid: "b" }], expected: { kids: ["b"], ignored: [{ index: 0, kid: "a", reason: /kid "a" is shared by keys 1, 2; an assertion naming it would be ambiguous/ }, { index: 1, kid: "a", reason: /shared by keys 1, 2/ }] } },
  ];
  for (const { name, input, expected } of ignoredRows) {
    it(`sets aside ${name} and keeps the usable keys`, () => {
      const { keys, ignored } = fetched(doc(...input));
      expect(keys.map((k) => k.kid)).toEqual(expected.kids);
      expect(keys.every((k) => k.source === "jwks_uri")).toBe(true);
      expect(ignored).toHaveLength(expected.ignored.length);
      expected.ignored.forEach((row, i) => {
        expect(ignored[i]).toMatchObject({ index: row.index, kid: row.kid });
        if (typeof row.reason === "string") expect(ignored[i].reason).toBe(row.reason);
        else expect(ignored[i].reason).toMatch(row.reason);
      });
    });
  }

  it("keeps a kid shared by an ignored encryption key and a signing key for the signing key", () => {
    const { keys, ignored } = fetched(doc({ ...ec, kid: "a" }, { ...rsa, kid: "a", use: "enc" }));
    expect(keys.map((k) => k.kty)).toEqual(["EC"]);
    expect(ignored.map((i) => i.index)).toEqual([1]);
  });

  const refusedRows: { name: string; input: string; expected: string | RegExp; field: string }[] = [
    { name: "text that is not JSON", input: "<html>", expected: "The JWKS is not valid JSON.", field: "Not JSON" },
    { name: "an empty keys array", input: doc(), expected: /non-empty "keys" array/, field: 'No "keys" array' },
    { name: "a document over 64 KiB", input: doc({ ...ec, pad: "x".repeat(MAX_JWKS_BYTES) }), expected: /larger than 64 KiB/, field: "Too large" },
    { name: "more than 20 keys", input: doc(...Array.from({ length: 21 }, (_, i) => ({ ...ec, kid: `k${i}` }))), expected: /At most 20 keys/, field: "Too many keys" },
    { name: "a published private key", input: doc(ec, ecPrivate), expected: /published at the jwks_uri contains a PRIVATE key.*compromised/, field: "Contains a private key" },
    { name: "a private key even among more than 20 keys", input: doc(...Array.from({ length: 25 }, () => ec), rsaPrivate), expected: /PRIVATE key/, field: "Contains a private key" },
    {
      name: "a document with no usable key left",
      input: doc({ ...ec, use: "enc" }, rsa1024),
      expected: 'The JWKS at the jwks_uri has no usable signing key: key 1: use is "enc"; a client signing key has use "sig" or none; key 2: the RSA key has 1024 bits; at least 2048 are required.',
      field: 'key 1: use is "enc"; a client signing key has use "sig" or none',
    },
  ];
  for (const { name, input, expected, field } of refusedRows) {
    it(`refuses ${name}`, () => {
      const error = refusal(() => fetched(input));
      if (typeof expected === "string") expect(error.message).toBe(expected);
      else expect(error.message).toMatch(expected);
      expect(error.fields).toEqual({ jwks: field });
      expect(error.message).not.toContain(String(ecPrivate.d));
      expect(error.message).not.toContain(String(rsaPrivate.d));
    });
  }
});
