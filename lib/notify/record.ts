// Recording events: what detection found and is not yet recorded becomes a Notification with one
// delivery per recipient, in one transaction, so an event never exists without its deliveries. The
// dedupe key is unique: when several schedulers find the same event at once, one insert wins and the
// others skip it, so each event, and so each delivery, exists once.
import crypto from "node:crypto";
import { consoleUrl } from "../config";
import { db, isUniqueViolation, type Tx } from "../db";
import { emailEnabled } from "./email";
import { eventPayload, type CandidateEvent } from "./events";
import { writeTransaction } from "./write";
import { recipientsFor, routeBook, type ActiveRoute, type RouteBook } from "./routing";
import type { Channel } from "./schema";

/** New events recorded in one pass at most: a flood (a policy just tightened) spreads over passes. */
export const MAX_NEW_EVENTS_PER_PASS = 2_000;
const BATCH = 200;
const LOOKUP_CHUNK = 500;

export async function activeRouteBook(client: Tx = db()): Promise<RouteBook> {
  const routes = await client.notificationRoute.findMany({ where: { disabledAt: null }, select: { id: true, teamId: true, channel: true, target: true } });
  return routeBook(routes as ActiveRoute[], emailEnabled());
}

/** The candidates whose dedupe key is not recorded yet (indexed lookups, in chunks). */
async function unrecorded(candidates: CandidateEvent[]): Promise<CandidateEvent[]> {
  const unique = [...new Map(candidates.map((c) => [c.dedupeKey, c])).values()];
  const known = new Set<string>();
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    const keys = unique.slice(i, i + LOOKUP_CHUNK).map((c) => c.dedupeKey);
    const rows = await db().notification.findMany({ where: { dedupeKey: { in: keys } }, select: { dedupeKey: true } });
    for (const row of rows) known.add(row.dedupeKey);
  }
  return unique.filter((c) => !known.has(c.dedupeKey));
}

type Row = { notification: { id: string; type: string; dedupeKey: string; subjectType: string; subjectId: string; teamId: string | null; payload: string; createdAt: Date }; deliveries: { id: string; notificationId: string; routeId: string | null; channel: Channel; target: string; nextAttemptAt: Date; createdAt: Date }[] };

function rowsFor(events: CandidateEvent[], book: RouteBook, teams: Map<string, string>, now: Date): Row[] {
  const base = consoleUrl();
  const email = emailEnabled();
  return events.map((event) => {
    const id = crypto.randomUUID();
    const team = event.teamId ? { id: event.teamId, name: teams.get(event.teamId) ?? event.teamId } : null;
    return {
      notification: {
        id,
        type: event.type,
        dedupeKey: event.dedupeKey,
        subjectType: event.subject.type,
        subjectId: event.subject.id,
        teamId: event.teamId,
        payload: JSON.stringify(eventPayload(event, team, base)),
        createdAt: now,
      },
      deliveries: recipientsFor(event, book, email).map((r) => ({ id: crypto.randomUUID(), notificationId: id, routeId: r.routeId, channel: r.channel, target: r.target, nextAttemptAt: now, createdAt: now })),
    };
  });
}

/**
 * Inserts the rows whose dedupe key is still free; returns how many. The check inside the transaction
 * keeps a collision from failing it where it can be seen (SQLite serialises writers, and a failed
 * transaction on its one connection would undo statements other requests ran on it meanwhile); on
 * PostgreSQL two inserts may still race, and the unique key refuses the second.
 */
async function insert(tx: Tx, rows: Row[]): Promise<number> {
  const taken = new Set((await tx.notification.findMany({ where: { dedupeKey: { in: rows.map((r) => r.notification.dedupeKey) } }, select: { dedupeKey: true } })).map((n) => n.dedupeKey));
  const fresh = rows.filter((r) => !taken.has(r.notification.dedupeKey));
  if (!fresh.length) return 0;
  await tx.notification.createMany({ data: fresh.map((r) => r.notification) });
  const deliveries = fresh.flatMap((r) => r.deliveries);
  if (deliveries.length) await tx.notificationDelivery.createMany({ data: deliveries });
  return fresh.length;
}

/**
 * Records the candidates that are new; returns how many were. A batch that collides with another
 * scheduler's insert is retried event by event, each collision skipped.
 */
export async function recordEvents(candidates: CandidateEvent[], now: Date, book?: RouteBook, limit = MAX_NEW_EVENTS_PER_PASS): Promise<number> {
  const fresh = (await unrecorded(candidates)).slice(0, Math.max(0, limit));
  if (!fresh.length) return 0;
  const routes = book ?? (await activeRouteBook());
  const teamIds = [...new Set(fresh.map((e) => e.teamId).filter((id): id is string => !!id))];
  const teams = new Map((await db().team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } })).map((t) => [t.id, t.name]));
  const rows = rowsFor(fresh, routes, teams, now);
  let recorded = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    try {
      recorded += await writeTransaction((tx) => insert(tx, batch));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      for (const row of batch) {
        try {
          recorded += await writeTransaction((tx) => insert(tx, [row]));
        } catch (inner) {
          if (!isUniqueViolation(inner)) throw inner;
        }
      }
    }
  }
  return recorded;
}

/** Records one event now, whatever detection says (a route's test message); returns its id. */
export async function recordOne(tx: Tx, event: CandidateEvent, recipients: Row["deliveries"][number][] | null, now: Date): Promise<{ id: string; deliveryIds: string[] }> {
  const team = event.teamId ? await tx.team.findUnique({ where: { id: event.teamId }, select: { id: true, name: true } }) : null;
  const [row] = rowsFor([event], { byTeam: new Map(), fallback: [] }, new Map(team ? [[team.id, team.name]] : []), now);
  const deliveries = (recipients ?? []).map((r) => ({ ...r, notificationId: row.notification.id }));
  await insert(tx, [{ notification: row.notification, deliveries }]);
  return { id: row.notification.id, deliveryIds: deliveries.map((d) => d.id) };
}
