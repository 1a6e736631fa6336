import { describe, expect, it } from "vitest";
import { ageBucketRange } from "@/lib/clients/queries";
import { AGE_BUCKETS } from "@/lib/clients/schema";
import { ageInDays, DAY_MS } from "@/lib/secrets/status";

const now = new Date("2026-06-15T12:00:00.000Z");

function inRange(createdAt: Date, range: { gt?: Date; lte?: Date }): boolean {
  return (!range.gt || createdAt > range.gt) && (!range.lte || createdAt <= range.lte);
}

describe("ageBucketRange", () => {
  const ages = [0, 1, DAY_MS - 1, DAY_MS, 30 * DAY_MS, 31 * DAY_MS - 1, 31 * DAY_MS, 90 * DAY_MS + 5, 91 * DAY_MS, 181 * DAY_MS, 365 * DAY_MS, 366 * DAY_MS - 1, 366 * DAY_MS, 5000 * DAY_MS];
  for (const ageMs of ages) {
    const days = ageInDays(new Date(now.getTime() - ageMs), now);
    const expected = AGE_BUCKETS.find((b) => days >= b.minDays && (b.maxDays === null || days <= b.maxDays))!.id;
    it(`puts a secret ${ageMs} ms old (${days} days) in bucket ${expected} and no other`, () => {
      const createdAt = new Date(now.getTime() - ageMs);
      const matching = AGE_BUCKETS.filter((b) => inRange(createdAt, ageBucketRange(b.id, now))).map((b) => b.id);
      expect(matching).toEqual([expected]);
    });
  }

  it("does not count a secret created after the moment asked about", () => {
    const future = new Date(now.getTime() + 1);
    expect(AGE_BUCKETS.filter((b) => inRange(future, ageBucketRange(b.id, now)))).toEqual([]);
  });

  it("returns no range for an unknown bucket", () => {
    expect(ageBucketRange("2-3", now)).toEqual({});
  });
});
