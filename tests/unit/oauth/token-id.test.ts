import { describe, expect, it } from "vitest";
import { randomTokenId } from "@/lib/oauth/tokens";

describe("access token ids", () => {
  it("are 128 random bits, base64url, never repeated across refills of the pool", () => {
    // 1,000 ids cross the pool's 256-id refill boundary three times
    const ids = Array.from({ length: 1000 }, () => randomTokenId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(id, "base64url")).toHaveLength(16);
    }
  });
});
