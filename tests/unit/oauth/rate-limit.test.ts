// Failed authentications are limited per address and per client, without locking a well-behaved
// client out because someone else fails with its client_id.
import { describe, expect, it } from "vitest";
import { FailureLimiter } from "@/lib/oauth/rate-limit";

function limiter() {
  let now = 1_000_000;
  const l = new FailureLimiter({ perAddress: 3, perClient: 5 }, () => now);
  return { l, advance: (ms: number) => (now += ms) };
}

describe("FailureLimiter", () => {
  it("holds an address over its limit until the window ends, telling how long to wait", () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure("c1", "a1");
    expect(l.retryAfter("c1", "a1")).toBe(60);
    expect(l.retryAfter("c2", "a1")).toBe(60);
    expect(l.retryAfter("c1", "a2")).toBe(0);
    advance(45_000);
    expect(l.retryAfter("c1", "a1")).toBe(15);
    advance(15_000);
    expect(l.retryAfter("c1", "a1")).toBe(0);
  });

  it("holds a client over its limit, except from an address it recently authenticated from", () => {
    const { l } = limiter();
    l.recordSuccess("c1", "home");
    for (let i = 0; i < 5; i++) l.recordFailure("c1", `attacker-${i}`);
    expect(l.retryAfter("c1", "elsewhere")).toBeGreaterThan(0);
    expect(l.retryAfter("c1", "home")).toBe(0);
  });

  it("records a flood of refusals once per window and client", () => {
    const { l, advance } = limiter();
    expect(l.firstRefusal("c1", "a1")).toBe(true);
    expect(l.firstRefusal("c1", "a1")).toBe(false);
    expect(l.firstRefusal("c2", "a1")).toBe(true);
    advance(60_000);
    expect(l.firstRefusal("c1", "a1")).toBe(true);
  });

  it("counts only failures", () => {
    const { l } = limiter();
    for (let i = 0; i < 100; i++) l.recordSuccess("c1", "a1");
    expect(l.retryAfter("c1", "a1")).toBe(0);
  });
});
