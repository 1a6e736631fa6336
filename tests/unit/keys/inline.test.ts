// What an uploaded JWKS may hold: public signing keys of allowed types and sizes, nothing private.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { jwkThumbprint } from "@/lib/crypto/jwk";
import { validateJwks } from "@/lib/keys/inline";

const ecPrivate = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
const { d: _d, ...ecPublic } = ecPrivate;
const rsaPublic = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });
const rsaSmall = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
const edPublic = crypto.generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
const x448 = crypto.generateKeyPairSync("x448").publicKey.export({ format: "jwk" });
const p256k = crypto.generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey.export({ format: "jwk" });

const doc = (...keys: unknown[]) => JSON.stringify({ keys });

function refusal(text: string): DomainError {
  try {
    validateJwks(text);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected the JWKS to be refused");
}

describe("validateJwks", () => {
  it("accepts EC, RSA and Ed25519 public keys, keeping only public members", () => {
    const keys = validateJwks(doc({ ...ecPublic, kid: "ec1", alg: "ES256", use: "sig", x5t: "ignored" }, { ...rsaPublic, kid: "rsa1" }, { ...edPublic, kid: "ed1" }));
    expect(keys.map((k) => [k.kid, k.kty, k.alg])).toEqual([["ec1", "EC", "ES256"], ["rsa1", "RSA", null], ["ed1", "OKP", null]]);
    expect(keys[0].publicJwk).toEqual({ kty: "EC", crv: "P-256", x: ecPublic.x, y: ecPublic.y, kid: "ec1", use: "sig", alg: "ES256" });
  });

  it("names a key without kid by its RFC 7638 thumbprint and says so", () => {
    const [key] = validateJwks(doc(ecPublic));
    expect(key).toMatchObject({ kid: jwkThumbprint(ecPublic as never), kidAssigned: true });
  });

  it("refuses a private key with an unmistakable warning and without echoing it", () => {
    const error = refusal(doc({ ...ecPrivate, kid: "leak" }));
    expect(error.message).toMatch(/PRIVATE key.*compromised/);
    expect(error.message).not.toContain(String(ecPrivate.d));
    expect(JSON.stringify(error.fields)).not.toContain(String(ecPrivate.d));
  });

  const refused: [string, string, RegExp][] = [
    ["not JSON", "{keys:", /not valid JSON/],
    ["no keys array", "{}", /non-empty "keys" array/],
    ["a symmetric key", doc({ kty: "oct", k: "c2VjcmV0" }), /symmetric/],
    ["an RSA key under 2048 bits", doc(rsaSmall), /1024 bits; at least 2048/],
    ["an EC key on secp256k1", doc(p256k), /curve secp256k1 is not allowed/],
    ["an X448 key", doc(x448), /curve X448 is not allowed/],
    ["an encryption key", doc({ ...ecPublic, use: "enc" }), /use is "enc"/],
    ["key_ops without verify", doc({ ...ecPublic, key_ops: ["encrypt"] }), /key_ops must include "verify"/],
    ["an alg that does not fit the key", doc({ ...ecPublic, alg: "RS256" }), /RS256 needs an RSA key/],
    ["an HMAC alg", doc({ ...ecPublic, alg: "HS256" }), /alg HS256 is not allowed/],
    ["a missing member", doc({ kty: "EC", crv: "P-256", x: ecPublic.x }), /needs y/],
    ["a duplicate kid", doc({ ...ecPublic, kid: "a" }, { ...rsaPublic, kid: "a" }), /kid "a" appears twice/],
    ["an unknown key type", doc({ kty: "XYZ" }), /not supported/],
    ["a document over 64 KiB", JSON.stringify({ keys: [ecPublic], pad: "x".repeat(70_000) }), /larger than 64 KiB/],
  ];
  for (const [name, text, message] of refused) {
    it(`refuses ${name}`, () => {
      expect(refusal(text).message).toMatch(message);
    });
  }
});
