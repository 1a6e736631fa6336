// What a notification says, independent of how it travels. Detection produces candidate events; each
// carries a dedupe key naming the condition and its episode (a secret crossing the 7-day threshold, a
// jwks_uri failing since a given good fetch), so the same condition is recorded once however many
// schedulers see it. Nothing here touches the database.

export const EVENT_TYPES = [
  "secret.expiring",
  "key.expiring",
  "certificate.expiring",
  "jwks.degraded",
  "jwks.failing",
  "migration.dual_overdue",
  "campaign.deadline",
  "policy.breach",
  "secret.break_glass",
  "test",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The SET (RFC 8417) event-type URI of a Keyshift event type: the key of the token's "events" claim. */
export const EVENT_URI_PREFIX = "urn:keyshift:event:";
export const eventUri = (type: EventType) => `${EVENT_URI_PREFIX}${type}`;

export type ClientRef = { id: string; clientId: string; name: string; environment: string };

/** An event found by detection, before it is recorded. */
export type CandidateEvent = {
  type: EventType;
  dedupeKey: string;
  subject: { type: "client" | "campaign" | "route"; id: string };
  /** the subject's owner team; null for organisation-wide subjects (campaigns) */
  teamId: string | null;
  /** extra email recipients besides the routes: the client's contact, a campaign's owner */
  contacts: string[];
  summary: string;
  client?: ClientRef;
  /** console path of the subject, e.g. /clients/<id> */
  path: string;
  details: Record<string, string | number | boolean | null>;
};

/** The stored payload (Notification.payload) and the body of the SET's event. */
export type EventPayload = {
  type: EventType;
  summary: string;
  subject: { type: string; id: string };
  team: { id: string; name: string } | null;
  client: { id: string; client_id: string; name: string; environment: string } | null;
  details: Record<string, string | number | boolean | null>;
  link: string;
};

export function eventPayload(event: CandidateEvent, team: { id: string; name: string } | null, consoleBase: string): EventPayload {
  return {
    type: event.type,
    summary: event.summary,
    subject: event.subject,
    team,
    client: event.client ? { id: event.client.id, client_id: event.client.clientId, name: event.client.name, environment: event.client.environment } : null,
    details: event.details,
    link: `${consoleBase}${event.path}`,
  };
}

const DAY_MS = 86_400_000;

/**
 * The threshold a deadline falls under: the smallest threshold it is within, so a secret expiring in
 * 5 days with thresholds 30/7/1 is a "7-day" notice (not a 30-day and a 7-day one at once), and
 * becomes a "1-day" notice on its last day. null: further away than every threshold, or already past.
 */
export function thresholdFor(deadline: Date, now: Date, thresholds: readonly number[]): number | null {
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return null;
  const within = thresholds.filter((days) => left <= days * DAY_MS);
  return within.length ? Math.min(...within) : null;
}

/** Whole days left until a deadline, rounded up (a secret expiring in 36 hours has 2 days left). */
export function daysLeft(deadline: Date, now: Date): number {
  return Math.max(0, Math.ceil((deadline.getTime() - now.getTime()) / DAY_MS));
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
