// The burn-down's daily points: every hour each instance refreshes today's snapshot of every active
// campaign (an upsert per campaign and day, so several instances and restarts do no harm). The last
// reading of a UTC day stays as that day's point; cohort changes and closing record one too.
import { startPeriodic } from "../periodic";
import { snapshotActiveCampaigns } from "./commands";

const HOUR_MS = 3_600_000;

/** Starts the snapshots in this process; returns a function that stops them. */
export function startCampaignSnapshots(intervalMs = HOUR_MS): () => void {
  return startPeriodic({ name: "campaign snapshots", intervalMs, firstDelayMs: 30_000, jitterMs: 60_000, run: async () => void (await snapshotActiveCampaigns()) });
}
