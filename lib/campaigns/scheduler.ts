// The burn-down's daily points: every hour each instance refreshes today's snapshot of every active
// campaign (an upsert per campaign and day, so several instances and restarts do no harm). The last
// reading of a UTC day stays as that day's point; cohort changes and closing record one too.
import { log } from "../log";
import { snapshotActiveCampaigns } from "./commands";

const HOUR_MS = 3_600_000;

/** Starts the snapshots in this process; returns a function that stops them. */
export function startCampaignSnapshots(intervalMs = HOUR_MS): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await snapshotActiveCampaigns();
    } catch (error) {
      log.error({ err: error }, "campaign snapshots failed; they are tried again at the next tick");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs + Math.floor(Math.random() * 60_000));
  timer.unref();
  const first = setTimeout(tick, 30_000 + Math.floor(Math.random() * 30_000));
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
