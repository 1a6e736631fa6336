import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { entryHash, GENESIS_HASH, type ChainedFields } from "@/lib/audit/chain";

const key = crypto.randomBytes(32);
const entry: ChainedFields = {
  seq: 7,
  at: new Date("2026-06-01T12:00:00.000Z"),
  actorType: "user",
  actorId: "user-1",
  actorEmail: "ada@example.test",
  action: "secret.rotate",
  targetType: "client",
  targetId: "billing",
  targetName: "Billing",
  details: JSON.stringify({ secretId: "s1" }),
  address: "198.51.100.7",
  prevHash: GENESIS_HASH,
};

const changes: { field: keyof ChainedFields; value: unknown }[] = [
  { field: "seq", value: 8 },
  { field: "at", value: new Date("2026-06-01T12:00:00.001Z") },
  { field: "actorType", value: "system" },
  { field: "actorId", value: "user-2" },
  { field: "actorId", value: null },
  { field: "actorEmail", value: "eve@example.test" },
  { field: "action", value: "secret.revoke" },
  { field: "targetType", value: "user" },
  { field: "targetId", value: "billing2" },
  { field: "targetName", value: null },
  { field: "details", value: JSON.stringify({ secretId: "s2" }) },
  { field: "address", value: "203.0.113.9" },
  { field: "prevHash", value: "f".repeat(64) },
];

describe("entryHash", () => {
  it("is a deterministic 256-bit hex value", () => {
    expect(entryHash(entry, key)).toBe(entryHash({ ...entry }, key));
    expect(entryHash(entry, key)).toMatch(/^[0-9a-f]{64}$/);
  });

  for (const { field, value } of changes) {
    it(`changes when ${field} changes to ${JSON.stringify(value)}`, () => {
      expect(entryHash({ ...entry, [field]: value }, key)).not.toBe(entryHash(entry, key));
    });
  }

  it("cannot be recomputed without the key", () => {
    expect(entryHash(entry, crypto.randomBytes(32))).not.toBe(entryHash(entry, key));
  });

  it("does not confuse a value moved from one field to the next", () => {
    const moved = { ...entry, targetId: "billing", targetName: null, address: "Billing" };
    expect(entryHash(moved, key)).not.toBe(entryHash(entry, key));
  });
});
