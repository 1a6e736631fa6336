import { describe, expect, it } from "vitest";
import { ageInDays, DAY_MS, isSecretValid, secretStatus, type SecretStatus, type SecretTimes } from "@/lib/secrets/status";

const now = new Date("2026-06-01T12:00:00Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

const cases: { name: string; times: SecretTimes; status: SecretStatus; valid: boolean }[] = [
  { name: "a fresh secret is active", times: { revokedAt: null, expiresAt: at(30 * DAY_MS), rotatedAt: null }, status: "active", valid: true },
  { name: "a secret without expiry is active", times: { revokedAt: null, expiresAt: null, rotatedAt: null }, status: "active", valid: true },
  { name: "a rotated secret inside its overlap is rotating and still valid", times: { revokedAt: null, expiresAt: at(DAY_MS), rotatedAt: at(-DAY_MS) }, status: "rotating", valid: true },
  { name: "a rotated secret past its overlap is expired", times: { revokedAt: null, expiresAt: at(-1), rotatedAt: at(-DAY_MS) }, status: "expired", valid: false },
  { name: "a secret expiring exactly now is expired", times: { revokedAt: null, expiresAt: now, rotatedAt: null }, status: "expired", valid: false },
  { name: "a revoked secret is revoked even before it expires", times: { revokedAt: at(-1), expiresAt: at(DAY_MS), rotatedAt: null }, status: "revoked", valid: false },
  { name: "revocation wins over expiry", times: { revokedAt: at(-DAY_MS), expiresAt: at(-2 * DAY_MS), rotatedAt: at(-3 * DAY_MS) }, status: "revoked", valid: false },
];

describe("secretStatus and isSecretValid", () => {
  for (const { name, times, status, valid } of cases) {
    it(name, () => {
      expect(secretStatus(times, now)).toBe(status);
      expect(isSecretValid(times, now)).toBe(valid);
    });
  }
});

describe("ageInDays", () => {
  const cases = [
    { since: at(0), days: 0 },
    { since: at(-DAY_MS + 1), days: 0 },
    { since: at(-DAY_MS), days: 1 },
    { since: at(-31 * DAY_MS - 5), days: 31 },
  ];
  for (const { since, days } of cases) {
    it(`counts whole days: ${now.getTime() - since.getTime()} ms old is ${days} days`, () => {
      expect(ageInDays(since, now)).toBe(days);
    });
  }
});
