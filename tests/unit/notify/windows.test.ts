import { describe, expect, it } from "vitest";
import { thresholdWindows } from "@/lib/notify/detect";
import { thresholdFor } from "@/lib/notify/events";

const now = new Date("2026-03-01T00:00:00Z");
const DAY = 86_400_000;

describe("thresholdWindows", () => {
  it("splits the widest threshold into one window per threshold, nearest first", () => {
    const windows = thresholdWindows(now, [30, 7, 1]).map(([days, w]) => [days, (w.gt.getTime() - now.getTime()) / DAY, (w.lte.getTime() - now.getTime()) / DAY]);
    expect(windows).toEqual([
      [1, 0, 1],
      [7, 1, 7],
      [30, 7, 30],
    ]);
  });

  it("puts each deadline in the window of the threshold thresholdFor gives it", () => {
    const windows = thresholdWindows(now, [30, 7, 1]);
    for (const days of [0.01, 1, 1.01, 5, 7, 7.5, 29, 30]) {
      const deadline = new Date(now.getTime() + days * DAY);
      const inside = windows.filter(([, w]) => deadline > w.gt && deadline <= w.lte).map(([d]) => d);
      expect(inside, `${days} days`).toEqual([thresholdFor(deadline, now, [30, 7, 1])]);
    }
  });
});
