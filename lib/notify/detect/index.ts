// Detection: each detector reads, page by page, the conditions the dashboards count (lib/keys/conditions.ts,
// lib/metrics), and returns candidate events with a dedupe key per condition and episode. Detectors only
// read; lib/notify/record.ts decides what is new, so running them twice changes nothing.
import type { Settings } from "../../settings";
import type { CandidateEvent } from "../events";
import type { Detector } from "./common";
import { breakGlassSecrets, expiringKeys, expiringSecrets } from "./expiry";
import { campaignDeadlines, degradedJwks, failingJwks, overdueDualWindows } from "./health";
import { keysBreachingPolicy, secretsAfterRequiredDate, secretsTooOld } from "./policy";

export { DETECTOR_PAGE, type Detector } from "./common";
export { thresholdWindows, breakGlassSecrets, expiringKeys, expiringSecrets } from "./expiry";
export { campaignDeadlines, degradedJwks, failingJwks, overdueDualWindows } from "./health";
export { keysBreachingPolicy, secretsAfterRequiredDate, secretsTooOld } from "./policy";

/** Every detector, in the order a pass runs them (the most urgent conditions first). */
export const DETECTORS: readonly Detector[] = [
  failingJwks,
  breakGlassSecrets,
  expiringSecrets,
  expiringKeys,
  degradedJwks,
  overdueDualWindows,
  campaignDeadlines,
  secretsTooOld,
  secretsAfterRequiredDate,
  keysBreachingPolicy,
];

/** Every candidate event of every detector (all pages): for tests and tools; a pass records page by page. */
export async function detectEvents(now: Date, settings: Settings): Promise<CandidateEvent[]> {
  const events: CandidateEvent[] = [];
  for (const detector of DETECTORS) for await (const page of detector(now, settings)) events.push(...page);
  return events;
}
