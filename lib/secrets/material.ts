// Client secret material. Secrets are 256 bits from the operating system's CSPRNG and are stored only
// as HMAC-SHA-256 under a key derived from the master key. A keyed fast hash is the right tool here:
// a 256-bit random secret cannot be guessed, so a slow password hash would add nothing but cost on
// every token request; the key means a stolen database alone does not even allow offline checks.
import crypto from "node:crypto";
import { derivedKey } from "../config";

export const SECRET_PREFIX = "kss_";
const HINT_LENGTH = SECRET_PREFIX.length + 4;

export function generateSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string, key: Buffer = derivedKey("secret-hash")): string {
  return crypto.createHmac("sha256", key).update(secret, "utf8").digest("hex");
}

export function secretHint(secret: string): string {
  return secret.slice(0, HINT_LENGTH);
}

/** Constant-time check of a presented secret against stored hashes; returns the matching index or -1. */
export function matchSecret(presented: string, storedHashes: readonly string[]): number {
  const candidate = Buffer.from(hashSecret(presented), "hex");
  let found = -1;
  storedHashes.forEach((stored, index) => {
    const expected = Buffer.from(stored, "hex");
    // compare against every hash so the time taken does not depend on which one matched
    if (expected.length === candidate.length && crypto.timingSafeEqual(expected, candidate) && found < 0) found = index;
  });
  return found;
}
