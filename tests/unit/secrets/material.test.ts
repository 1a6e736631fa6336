import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateSecret, hashSecret, matchSecret, SECRET_PREFIX, secretHint } from "@/lib/secrets/material";

const keyA = crypto.randomBytes(32);
const keyB = crypto.randomBytes(32);

describe("generateSecret", () => {
  it("returns 256 random bits, base64url-encoded after the kss_ prefix", () => {
    const secret = generateSecret();
    expect(secret.startsWith(SECRET_PREFIX)).toBe(true);
    const body = secret.slice(SECRET_PREFIX.length);
    expect(body).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(body, "base64url")).toHaveLength(32);
  });

  it("never repeats a secret", () => {
    const secrets = new Set(Array.from({ length: 1000 }, generateSecret));
    expect(secrets.size).toBe(1000);
  });
});

describe("hashSecret", () => {
  it("is an HMAC-SHA-256 under the given key, in hex", () => {
    const secret = generateSecret();
    expect(hashSecret(secret, keyA)).toBe(crypto.createHmac("sha256", keyA).update(secret).digest("hex"));
    expect(hashSecret(secret, keyA)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is keyed: the same secret hashes differently under another key", () => {
    const secret = generateSecret();
    expect(hashSecret(secret, keyA)).not.toBe(hashSecret(secret, keyB));
  });

  it("is not a plain SHA-256 of the secret", () => {
    const secret = generateSecret();
    expect(hashSecret(secret)).not.toBe(crypto.createHash("sha256").update(secret).digest("hex"));
  });

  it("uses the key derived from the master key by default, deterministically", () => {
    const secret = generateSecret();
    expect(hashSecret(secret)).toBe(hashSecret(secret));
    expect(hashSecret(secret)).not.toContain(secret.slice(SECRET_PREFIX.length, SECRET_PREFIX.length + 8));
  });
});

describe("secretHint", () => {
  it("shows the prefix and four characters, never enough to use the secret", () => {
    const secret = generateSecret();
    expect(secretHint(secret)).toBe(secret.slice(0, SECRET_PREFIX.length + 4));
  });
});

describe("matchSecret", () => {
  const secrets = [generateSecret(), generateSecret(), generateSecret()];
  const hashes = secrets.map((s) => hashSecret(s));

  it("returns the index of the stored hash the presented secret matches", () => {
    secrets.forEach((secret, index) => expect(matchSecret(secret, hashes)).toBe(index));
  });

  const misses: { name: string; presented: string; stored: string[] }[] = [
    { name: "an unknown secret", presented: generateSecret(), stored: hashes },
    { name: "an empty secret", presented: "", stored: hashes },
    { name: "the hash itself presented as the secret", presented: hashes[0], stored: hashes },
    { name: "no stored hashes", presented: secrets[0], stored: [] },
    { name: "a stored value of the wrong length", presented: secrets[0], stored: [hashes[0].slice(0, 40)] },
  ];
  for (const { name, presented, stored } of misses) {
    it(`returns -1 for ${name}`, () => {
      expect(matchSecret(presented, stored)).toBe(-1);
    });
  }

  it("returns the first match when a hash appears twice", () => {
    expect(matchSecret(secrets[1], [hashes[0], hashes[1], hashes[1]])).toBe(1);
  });

  it("compares with crypto.timingSafeEqual against every stored hash", () => {
    // the time taken must not depend on which hash matched: every candidate is compared
    const calls: number[] = [];
    const original = crypto.timingSafeEqual;
    const spy = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push(1);
      return original(a, b);
    };
    (crypto as { timingSafeEqual: typeof spy }).timingSafeEqual = spy;
    try {
      expect(matchSecret(secrets[0], hashes)).toBe(0);
    } finally {
      (crypto as { timingSafeEqual: typeof original }).timingSafeEqual = original;
    }
    expect(calls).toHaveLength(hashes.length);
  });
});
