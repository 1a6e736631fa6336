import { describe, expect, it } from "vitest";
import { BACKOFF_MAX_SECONDS, backoffSeconds, nextAttemptAt } from "@/lib/notify/backoff";

describe("backoffSeconds", () => {
  it("doubles from a minute after each failure", () => {
    expect([1, 2, 3, 4, 5, 6].map(backoffSeconds)).toEqual([60, 120, 240, 480, 960, 1920]);
  });

  it("is capped at an hour however many failures", () => {
    expect(backoffSeconds(7)).toBe(BACKOFF_MAX_SECONDS);
    expect(backoffSeconds(1000)).toBe(3600);
  });
});

describe("nextAttemptAt", () => {
  const now = new Date("2026-03-01T00:00:00Z");

  it("schedules the next try after the back-off", () => {
    expect(nextAttemptAt(now, 2, 8)?.toISOString()).toBe("2026-03-01T00:02:00.000Z");
  });

  it("gives up once the attempts are used", () => {
    expect(nextAttemptAt(now, 8, 8)).toBeNull();
    expect(nextAttemptAt(now, 1, 1)).toBeNull();
  });
});
