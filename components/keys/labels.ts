import type { Tone } from "@/components/ui";

/** How a key reached Keyshift, in the words of the registration form. */
export const KEY_SOURCE_LABELS: Record<string, string> = { upload: "JWKS", pem: "PEM key", certificate: "certificate", jwks_uri: "jwks_uri" };

export const JWKS_HEALTH_TONES: Record<string, Tone> = { healthy: "green", degraded: "amber", failing: "red" };

export const JWKS_HEALTH_HINTS: Record<string, string> = {
  healthy: "The last fetch worked.",
  degraded: "The last fetch failed; the last good keys still authenticate the client.",
  failing: "The last good keys are too old (or there never were any): assertions from this client are refused.",
};

const UNITS: [number, string][] = [
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
];

/** "3 hours ago", "in 2 days", "just now": for last use and fetch times, where the scale matters more than the minute. */
export function timeFromNow(iso: string, now: Date = new Date()): string {
  const diff = new Date(iso).getTime() - now.getTime();
  for (const [ms, unit] of UNITS) {
    const n = Math.floor(Math.abs(diff) / ms);
    if (n >= 1) return diff < 0 ? `${n} ${unit}${n === 1 ? "" : "s"} ago` : `in ${n} ${unit}${n === 1 ? "" : "s"}`;
  }
  return "just now";
}

/** A datetime-local value (the person's local time, to the minute) for a moment. */
export function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
