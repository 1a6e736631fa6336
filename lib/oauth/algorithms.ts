// Which signature algorithms fit which keys. Only asymmetric algorithms exist here: a client assertion
// signed with a shared key (client_secret_jwt, HS*) would bring the shared secret back.
import type { JWK } from "jose";

export const ASSERTION_ALGORITHMS = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA", "Ed25519"] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];

const EC_CURVE: Record<string, string> = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };

/** RSA moduli below this are refused for signatures (NIST SP 800-131A). */
export const MIN_RSA_BITS = 2048;

export function rsaBits(jwk: JWK): number {
  return jwk.n ? Buffer.from(jwk.n, "base64url").length * 8 : 0;
}

/** Why `alg` cannot be verified with `jwk`, or null when it fits. */
export function algorithmMismatch(alg: string, jwk: JWK): string | null {
  if (jwk.alg && jwk.alg !== alg && !(isEdDsa(alg) && isEdDsa(jwk.alg))) return `the key is registered for ${jwk.alg}, the assertion uses ${alg}`;
  if (alg in EC_CURVE) {
    if (jwk.kty !== "EC") return `${alg} needs an EC key, this key is ${jwk.kty}`;
    if (jwk.crv !== EC_CURVE[alg]) return `${alg} needs curve ${EC_CURVE[alg]}, this key is on ${jwk.crv}`;
    return null;
  }
  if (/^(RS|PS)(256|384|512)$/.test(alg)) {
    if (jwk.kty !== "RSA") return `${alg} needs an RSA key, this key is ${jwk.kty}`;
    if (rsaBits(jwk) < MIN_RSA_BITS) return `the RSA key has ${rsaBits(jwk)} bits, fewer than ${MIN_RSA_BITS}`;
    return null;
  }
  if (isEdDsa(alg)) return jwk.kty === "OKP" && jwk.crv === "Ed25519" ? null : `${alg} needs an Ed25519 key`;
  return `${alg} is not a supported signature algorithm`;
}

function isEdDsa(alg: string): boolean {
  return alg === "EdDSA" || alg === "Ed25519";
}

/** A key may verify signatures: not an encryption key, and key_ops (when given) includes verify. */
export function usableForSignatures(jwk: JWK): boolean {
  if (jwk.use && jwk.use !== "sig") return false;
  if (jwk.key_ops && !jwk.key_ops.includes("verify")) return false;
  return jwk.kty === "EC" || jwk.kty === "RSA" || jwk.kty === "OKP";
}
