// JWK helpers that must be synchronous (configuration is read while next-auth's options are built).
import crypto from "node:crypto";
import type { JWK } from "jose";

// RFC 7638 section 3.2: the required members of each key type, in lexicographic order
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  EC: ["crv", "kty", "x", "y"],
  RSA: ["e", "kty", "n"],
  OKP: ["crv", "kty", "x"],
  oct: ["k", "kty"],
};

/** The RFC 7638 SHA-256 thumbprint of a JWK, base64url-encoded. */
export function jwkThumbprint(jwk: JWK): string {
  const members = REQUIRED_MEMBERS[jwk.kty ?? ""];
  if (!members) throw new TypeError(`no thumbprint for key type ${jwk.kty}`);
  const canonical: Record<string, unknown> = {};
  for (const name of members) {
    const value = (jwk as Record<string, unknown>)[name];
    if (typeof value !== "string") throw new TypeError(`a ${jwk.kty} JWK needs "${name}"`);
    canonical[name] = value;
  }
  return crypto.createHash("sha256").update(JSON.stringify(canonical)).digest("base64url");
}
