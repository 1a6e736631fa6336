// What may be pasted instead of a JWKS: a PEM public key, a certificate (or chain), or a base64 DER
// certificate. Certificates come from tests/fixtures/keys (see make.sh); private keys are made here.
import crypto, { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { JWK } from "jose";
import { describe, expect, it } from "vitest";
import { jwkThumbprint } from "@/lib/crypto/jwk";
import { DomainError } from "@/lib/errors";
import { keyFromPem } from "@/lib/keys/validate";

const NOW = new Date("2026-06-01T00:00:00Z");
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/keys/${name}`, import.meta.url), "utf8");
const thumbprintOf = (pem: string) => jwkThumbprint(new X509Certificate(pem).publicKey.export({ format: "jwk" }) as JWK);
const rsaThumbprint = jwkThumbprint(crypto.createPublicKey(fixture("rsa.pub.pem")).export({ format: "jwk" }) as JWK);
const [leafPem, rootPem] = fixture("chain.pem").split(/(?=-----BEGIN CERTIFICATE-----)/);

const ecKeys = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsaKeys = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const spki = (type: "ec" | "x25519", options?: { namedCurve: string }) =>
  String((type === "ec" ? crypto.generateKeyPairSync("ec", options as { namedCurve: string }) : crypto.generateKeyPairSync("x25519")).publicKey.export({ format: "pem", type: "spki" }));
const body = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");

function refusal(text: string, options: Partial<Parameters<typeof keyFromPem>[1]> = {}): DomainError {
  try {
    keyFromPem(text, { now: NOW, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("invalid");
    return error as DomainError;
  }
  throw new Error("expected the key to be refused");
}

describe("keyFromPem", () => {
  const accepted: { name: string; input: string; expected: { source: "pem" | "certificate"; kty: string; thumbprint?: string; subject?: string } }[] = [
    { name: "an SPKI RSA public key", input: fixture("rsa.pub.pem"), expected: { source: "pem", kty: "RSA", thumbprint: rsaThumbprint } },
    { name: "a PKCS#1 RSA public key", input: fixture("rsa.pkcs1.pem"), expected: { source: "pem", kty: "RSA", thumbprint: rsaThumbprint } },
    { name: "an SPKI EC P-256 public key", input: fixture("ec.pub.pem"), expected: { source: "pem", kty: "EC", thumbprint: thumbprintOf(fixture("ec.crt.pem")) } },
    { name: "an SPKI Ed25519 public key", input: fixture("ed25519.pub.pem"), expected: { source: "pem", kty: "OKP" } },
    { name: "a PEM RSA certificate", input: fixture("rsa.crt.pem"), expected: { source: "certificate", kty: "RSA", thumbprint: rsaThumbprint, subject: "CN=rsa.client.example" } },
    { name: "a PEM EC certificate", input: fixture("ec.crt.pem"), expected: { source: "certificate", kty: "EC", subject: "CN=ec.client.example" } },
    { name: "a base64 DER certificate wrapped over lines", input: fixture("rsa.crt.b64"), expected: { source: "certificate", kty: "RSA", thumbprint: rsaThumbprint } },
    { name: "a base64 DER certificate on one line with blanks around", input: `  ${body(fixture("ec.crt.b64"))}\n`, expected: { source: "certificate", kty: "EC", subject: "CN=ec.client.example" } },
    { name: "a certificate with text around it", input: `Subject: CN=rsa.client.example\n${fixture("rsa.crt.pem")}\nthanks!`, expected: { source: "certificate", kty: "RSA", thumbprint: rsaThumbprint } },
    { name: "a chain, by the key of its first (leaf) certificate", input: fixture("chain.pem"), expected: { source: "certificate", kty: "EC", thumbprint: thumbprintOf(leafPem), subject: "CN=leaf.client.example" } },
  ];
  for (const { name, input, expected } of accepted) {
    it(`accepts ${name}`, () => {
      const key = keyFromPem(input, { now: NOW });
      expect(key).toMatchObject({ source: expected.source, kty: expected.kty, kidAssigned: true, kid: key.thumbprint, alg: null });
      if (expected.thumbprint) expect(key.thumbprint).toBe(expected.thumbprint);
      expect(Object.keys(key.publicJwk).sort()).toEqual([...{ RSA: ["n", "e"], EC: ["crv", "x", "y"], OKP: ["crv", "x"] }[key.kty]!, "kid", "kty", "use"].sort());
      if (expected.source === "pem") expect(key).toMatchObject({ expiresAt: null, certificate: null });
      else {
        expect(key.expiresAt).toEqual(new Date("2099-12-31T23:59:59Z"));
        expect(key.certificate?.notAfter).toEqual(key.expiresAt);
        expect(key.certificate?.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
        expect(key.certificate?.serialNumber).toMatch(/^[0-9A-F]+$/);
        if (expected.subject) expect(key.certificate?.subject).toBe(expected.subject);
      }
    });
  }

  it("uses the kid and alg given, checked like a JWK's", () => {
    const key = keyFromPem(fixture("ec.crt.pem"), { now: NOW, kid: "client-2026", alg: "ES256" });
    expect(key).toMatchObject({ kid: "client-2026", kidAssigned: false, alg: "ES256" });
    expect(key.publicJwk).toMatchObject({ kid: "client-2026", alg: "ES256", use: "sig" });
  });

  it("accepts a certificate that is not valid yet and reports its notBefore for activation", () => {
    const key = keyFromPem(fixture("future.crt.pem"), { now: NOW });
    expect(key.certificate).toMatchObject({ subject: "CN=future.client.example", notBefore: new Date("2090-01-01T00:00:00Z") });
  });

  it("says exactly when an expired certificate expired", () => {
    const error = refusal(fixture("expired.crt.pem"));
    expect(error.message).toBe("The certificate expired on 2024-01-31 (2024-01-31T12:00:00.000Z); ask the client for a current certificate.");
    expect(error.fields).toEqual({ pem: "the certificate expired on 2024-01-31" });
  });

  const privateKeys: { name: string; input: string }[] = [
    { name: "PKCS#8", input: String(ecKeys.privateKey.export({ format: "pem", type: "pkcs8" })) },
    { name: "SEC1 EC", input: String(ecKeys.privateKey.export({ format: "pem", type: "sec1" })) },
    { name: "PKCS#1 RSA", input: String(rsaKeys.privateKey.export({ format: "pem", type: "pkcs1" })) },
    { name: "encrypted PKCS#8", input: String(rsaKeys.privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "pw" })) },
    { name: "OpenSSH", input: `-----BEGIN OPENSSH PRIVATE KEY-----\n${crypto.randomBytes(300).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n` },
    { name: "PuTTY", input: `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 2\nAAAA\nPrivate-Lines: 1\n${crypto.randomBytes(48).toString("base64")}\n` },
    { name: "PEM next to a certificate", input: `${fixture("rsa.crt.pem")}${String(rsaKeys.privateKey.export({ format: "pem", type: "pkcs8" }))}` },
    { name: "bare base64 DER PKCS#8", input: (ecKeys.privateKey.export({ format: "der", type: "pkcs8" }) as Buffer).toString("base64") },
  ];
  for (const { name, input } of privateKeys) {
    it(`refuses a ${name} private key with an unmistakable warning and without echoing it`, () => {
      const error = refusal(input);
      expect(error.message).toMatch(/^This is a PRIVATE key\. Nothing was saved or logged\. Treat that private key as compromised/);
      expect(error.fields).toEqual({ pem: "Contains a private key" });
      const secret = body(input.replace(/^-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/, "")).slice(-40);
      expect(error.message + JSON.stringify(error.fields)).not.toContain(secret);
    });
  }

  const refused: { name: string; input: string; options?: Partial<Parameters<typeof keyFromPem>[1]>; expected: string | RegExp; field: string | RegExp }[] = [
    { name: "text that is no key at all", input: "hello, here is our key", expected: /^This is not a PEM public key or an X\.509 certificate\./, field: "Not PEM or a certificate" },
    { name: "base64 that is not a certificate", input: crypto.randomBytes(90).toString("base64"), expected: /^This is not a PEM public key or an X\.509 certificate\./, field: "Not PEM or a certificate" },
    { name: "an empty text", input: "  \n", expected: /^This is not a PEM public key/, field: "Not PEM or a certificate" },
    { name: "a JWK pasted as PEM", input: JSON.stringify(ecKeys.publicKey.export({ format: "jwk" })), expected: /looks like JSON.*JWKS document/, field: "JSON, not PEM" },
    { name: "a PEM block without its END line", input: fixture("rsa.pub.pem").split("-----END")[0], expected: /PEM block is damaged or incomplete/, field: "Damaged PEM block" },
    { name: "a PEM block of another kind", input: "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", expected: /^A PEM "X509 CRL" block is not a public key or a certificate/, field: "Unsupported PEM block X509 CRL" },
    { name: "a public key and a certificate together", input: fixture("ec.pub.pem") + fixture("ec.crt.pem"), expected: "Paste one public key, or one certificate or certificate chain; this text holds 2 PEM blocks (PUBLIC KEY, CERTIFICATE).", field: "Several PEM blocks" },
    { name: "a chain with the CA certificate first", input: rootPem + leafPem, expected: /^The first certificate is a CA certificate/, field: "Leaf certificate is not first" },
    { name: "a damaged certificate", input: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", expected: "Certificate 1 of the text is not a valid X.509 certificate.", field: "Certificate 1 does not parse" },
    { name: "a damaged public key", input: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", expected: "The PUBLIC KEY block does not parse as a public key.", field: "PUBLIC KEY does not parse" },
    { name: "a text over 64 KiB", input: fixture("rsa.crt.pem") + " ".repeat(64 * 1024), expected: "The key is larger than 64 KiB.", field: "Too large" },
    { name: "a certificate for an RSA key under 2048 bits", input: fixture("rsa1024.crt.pem"), expected: "The key cannot be registered: the RSA key has 1024 bits; at least 2048 are required.", field: "the RSA key has 1024 bits; at least 2048 are required" },
    { name: "a DSA key", input: fixture("dsa.pub.pem"), expected: "The key cannot be registered: a DSA key is not supported (EC, RSA or Ed25519).", field: "a DSA key is not supported (EC, RSA or Ed25519)" },
    { name: "an EC key on secp256k1", input: spki("ec", { namedCurve: "secp256k1" }), expected: /curve "secp256k1" is not allowed/, field: /^curve "secp256k1"/ },
    { name: "an X25519 key", input: spki("x25519"), expected: /curve "X25519" is not allowed \(Ed25519 only\)/, field: /^curve "X25519"/ },
    { name: "an alg that does not fit the key", input: fixture("ec.crt.pem"), options: { alg: "RS256" }, expected: /RS256 needs an RSA key, this key is EC/, field: "RS256 needs an RSA key, this key is EC" },
    { name: "an alg that is not allowed", input: fixture("rsa.pub.pem"), options: { alg: "HS256" }, expected: /alg "HS256" is not allowed/, field: /^alg "HS256"/ },
    { name: "an alg outside the caller's list", input: fixture("rsa.pub.pem"), options: { alg: "PS256", allowedAlgorithms: ["RS256"] }, expected: /alg "PS256" is not allowed \(RS256\)/, field: /^alg "PS256"/ },
    { name: "an empty kid", input: fixture("rsa.pub.pem"), options: { kid: "" }, expected: /kid must be a string of 1 to 255 characters/, field: "kid must be a string of 1 to 255 characters" },
    { name: "an expired certificate in DER form", input: fixture("expired.crt.b64"), expected: /^The certificate expired on 2024-01-31/, field: "the certificate expired on 2024-01-31" },
  ];
  for (const { name, input, options, expected, field } of refused) {
    it(`refuses ${name}`, () => {
      const error = refusal(input, options);
      if (typeof expected === "string") expect(error.message).toBe(expected);
      else expect(error.message).toMatch(expected);
      if (typeof field === "string") expect(error.fields).toEqual({ pem: field });
      else expect(error.fields?.pem).toMatch(field);
    });
  }
});
