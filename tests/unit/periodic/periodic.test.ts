// The background-job loop every server process uses: first run after its delay, then every interval,
// never two runs at once in one process, a failure logged and the next tick run anyway, stop() stops.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { startPeriodic } from "@/lib/periodic";

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, "random").mockReturnValue(0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("startPeriodic", () => {
  it("runs first after its delay, then every interval, until stopped", async () => {
    const run = vi.fn(async () => undefined);
    const stop = startPeriodic({ name: "job", intervalMs: 1_000, firstDelayMs: 100, jitterMs: 50, run });
    await vi.advanceTimersByTimeAsync(99);
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(run).toHaveBeenCalledTimes(3);
    stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it("skips a tick while the previous run is still going", async () => {
    let release: () => void = () => undefined;
    const run = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const stop = startPeriodic({ name: "slow", intervalMs: 100, firstDelayMs: 0, jitterMs: 0, run });
    await vi.advanceTimersByTimeAsync(550);
    expect(run).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    stop();
  });

  it("logs a failure by name and message, and runs again at the next tick", async () => {
    const error = vi.spyOn(log, "error").mockImplementation(() => undefined as never);
    const run = vi.fn().mockRejectedValueOnce(new Error("connection refused")).mockResolvedValue(undefined);
    const stop = startPeriodic({ name: "flaky job", intervalMs: 100, firstDelayMs: 0, jitterMs: 0, run });
    await vi.advanceTimersByTimeAsync(0);
    expect(error).toHaveBeenCalledWith({ err: { name: "Error", message: "connection refused" } }, "flaky job failed; it runs again at the next tick");
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    stop();
  });
});
