// The notification scheduler: every interval, one pass finds what is worth telling (detection), records
// what is new (a unique dedupe key per event), sends due webhooks (each claimed with a lease) and today's
// email digests. Every step rests on database constraints and conditional updates, not on this process's
// memory, so any number of instances may run it at once and each event reaches each target once.
import type { Env } from "../db/url";
import { log } from "../log";
import { getSettings } from "../settings";
import { deliverDigests, deliverDueWebhooks } from "./deliver";
import { DETECTORS } from "./detect";
import { activeRouteBook, MAX_NEW_EVENTS_PER_PASS, recordEvents } from "./record";
import { startPeriodic } from "../periodic";

export type PassResult = { found: number; recorded: number; webhooks: number; digests: number };

/** One pass: detect, record, send. `now` is injectable so tests can step through the back-off. */
export async function runNotificationPass(now: Date = new Date()): Promise<PassResult> {
  const { found, recorded } = await detectAndRecord(now);
  const webhooks = await deliverDueWebhooks(now);
  const digests = await deliverDigests(now);
  return { found, recorded, webhooks, digests };
}

/**
 * Runs every detector page by page, recording what is new, until all are read or the pass has recorded
 * MAX_NEW_EVENTS_PER_PASS events (a flood spreads over a few passes; the most urgent detectors run first).
 */
async function detectAndRecord(now: Date): Promise<{ found: number; recorded: number }> {
  const settings = await getSettings();
  const book = await activeRouteBook();
  let found = 0;
  let recorded = 0;
  for (const detector of DETECTORS) {
    for await (const page of detector(now, settings)) {
      found += page.length;
      recorded += await recordEvents(page, now, book, MAX_NEW_EVENTS_PER_PASS - recorded);
      if (recorded >= MAX_NEW_EVENTS_PER_PASS) return { found, recorded };
    }
  }
  return { found, recorded };
}

/** KEYSHIFT_NOTIFY_INTERVAL_SECONDS (default 300; 0 turns the scheduler off). */
export function notifyIntervalSeconds(env: Env = process.env): number {
  const raw = env.KEYSHIFT_NOTIFY_INTERVAL_SECONDS?.trim();
  const value = raw ? Number(raw) : 300;
  if (!Number.isInteger(value) || value < 0 || value > 86_400) throw new Error("KEYSHIFT_NOTIFY_INTERVAL_SECONDS must be a whole number of seconds from 0 to 86400");
  return value;
}

/**
 * Starts the scheduler in this process; returns a function that stops it. One pass at a time in this
 * process (a slow receiver must not stack passes); across processes the database decides who sends what.
 */
export function startNotificationScheduler(): () => void {
  const seconds = notifyIntervalSeconds();
  if (seconds === 0) return () => undefined;
  return startPeriodic({
    name: "notification pass",
    intervalMs: seconds * 1000,
    firstDelayMs: 10_000,
    jitterMs: 5_000,
    run: async () => {
      const result = await runNotificationPass();
      if (result.recorded || result.webhooks || result.digests) log.info(result, "notifications");
    },
  });
}
