import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";

describe("password hashing", () => {
  it("verifies the password it hashed", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
  });

  it("rejects a wrong password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    for (const wrong of ["correct horse battery stapl", "Correct horse battery staple", "", "correct horse battery staple "]) {
      expect(await verifyPassword(wrong, hash)).toBe(false);
    }
  });

  it("stores the scrypt parameters and a random salt with each hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same password!!"), hashPassword("same password!!")]);
    expect(a).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("same password");
  });

  it("verifies with the parameters stored in the hash, so they can be raised later", async () => {
    const salt = crypto.randomBytes(16);
    const key = crypto.scryptSync("older password", salt, 32, { N: 2 ** 10, r: 8, p: 1 });
    const older = `$scrypt$ln=10,r=8,p=1$${salt.toString("base64url")}$${key.toString("base64url")}`;
    expect(await verifyPassword("older password", older)).toBe(true);
    expect(await verifyPassword("other password", older)).toBe(false);
  });

  it("treats canonically equivalent Unicode spellings as the same password", async () => {
    const hash = await hashPassword("caf\u00e9 au lait 2026");
    expect(await verifyPassword("cafe\u0301 au lait 2026", hash)).toBe(true);
  });

  const malformed = [
    { name: "an empty string", stored: "" },
    { name: "a bcrypt hash", stored: "$2b$12$abcdefghijklmnopqrstuuJ2uC2aD2GoI4qUu6u7zK1q1a2b3c4d5e" },
    { name: "a hash missing its key", stored: "$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA" },
  ];
  for (const { name, stored } of malformed) {
    it(`returns false for ${name} instead of throwing`, async () => {
      expect(await verifyPassword("anything at all", stored)).toBe(false);
    });
  }

  it("generates readable random passwords long enough for the password rule", () => {
    const password = generatePassword();
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(generatePassword()).not.toBe(password);
  });
});
