// The traffic dashboard: how clients authenticate, why they fail, and which still send the legacy
// audience. Read only from the daily roll-ups, never from the raw events: at 5,000,000 events a scan of
// AuthEvent is out of the question. Organisation-wide figures read AuthEventDayTotal (a few dozen rows a
// day); the legacy-audience list reads AuthEventDaily through its (audienceForm, outcome, day) index.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { AUTH_METHODS, type AuthMethod } from "../clients/schema";
import { db } from "../db";
import { FAILURE_REASONS } from "../oauth/reasons";
import { DAY_MS } from "../secrets/status";

export const METHOD_MIX_DAYS = 90;
export const FAILURE_DAYS = 30;
export const LEGACY_AUDIENCE_DAYS = 30;
/** The legacy-audience list on the page; the CSV export takes up to LEGACY_AUDIENCE_EXPORT_LIMIT. */
export const LEGACY_AUDIENCE_LIMIT = 100;
export const LEGACY_AUDIENCE_EXPORT_LIMIT = 10_000;

/** UTC midnight of `now`'s day. */
export function utcDay(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}

/** The last `days` UTC days up to and including today: [first day, the day after today). */
export function dayWindow(now: Date, days: number): { gte: Date; lt: Date } {
  const today = utcDay(now).getTime();
  return { gte: new Date(today - (days - 1) * DAY_MS), lt: new Date(today + DAY_MS) };
}

export type MethodMixDay = { day: string } & Record<AuthMethod, number>;

/** Successful authentications per UTC day and method over the last 90 days, every day present. */
export async function methodMix(actor: Actor, now: Date = new Date()): Promise<MethodMixDay[]> {
  assertCan(actor, "client.read");
  const window = dayWindow(now, METHOD_MIX_DAYS);
  // the organisation-wide totals: a few dozen rows a day, whatever the number of clients
  const groups = await db().authEventDayTotal.groupBy({
    by: ["day", "method"],
    where: { day: window, outcome: "success", method: { in: [...AUTH_METHODS] } },
    _sum: { count: true },
    orderBy: [{ day: "asc" }, { method: "asc" }],
    take: METHOD_MIX_DAYS * AUTH_METHODS.length, // one group per day and method at most
  });
  const days: MethodMixDay[] = [];
  const byDay = new Map<number, MethodMixDay>();
  for (let t = window.gte.getTime(); t < window.lt.getTime(); t += DAY_MS) {
    const entry = { day: new Date(t).toISOString().slice(0, 10), client_secret_basic: 0, client_secret_post: 0, private_key_jwt: 0 };
    days.push(entry);
    byDay.set(t, entry);
  }
  for (const g of groups) {
    const entry = byDay.get(g.day.getTime());
    if (entry) entry[g.method as AuthMethod] += g._sum.count ?? 0;
  }
  return days;
}

export type FailureReasonRow = { reason: string; description: string; count: number };

/** Failed authentications over the last 30 days per recorded reason, most first. */
export async function failuresByReason(actor: Actor, now: Date = new Date()): Promise<FailureReasonRow[]> {
  assertCan(actor, "client.read");
  const groups = await db().authEventDayTotal.groupBy({
    by: ["reason"],
    where: { day: dayWindow(now, FAILURE_DAYS), outcome: "failure" },
    _sum: { count: true },
    orderBy: [{ _sum: { count: "desc" } }, { reason: "asc" }],
    take: 500, // the reasons are a documented enumeration of about fifty
  });
  return groups.map((g) => ({
    reason: g.reason,
    description: (FAILURE_REASONS as Record<string, string>)[g.reason] ?? (g.reason === "" ? "No reason recorded." : "Unknown reason."),
    count: g._sum.count ?? 0,
  }));
}

export type LegacyAudienceRow = {
  id: string;
  clientId: string;
  name: string;
  environment: string;
  team: { id: string; name: string };
  count: number;
  /** the last UTC day the legacy audience was accepted for the client */
  lastSeen: Date;
};

/**
 * Clients whose assertions were accepted with the token endpoint URL as audience (compatibility mode)
 * in the last 30 days, most first: the list to fix before the audience is made strict. Deleted clients
 * are left out. `truncated` says the roll-up named more clients than `limit`.
 */
export async function legacyAudienceClients(actor: Actor, now: Date = new Date(), limit = LEGACY_AUDIENCE_LIMIT): Promise<{ rows: LegacyAudienceRow[]; truncated: boolean }> {
  assertCan(actor, "client.read");
  const where = { day: dayWindow(now, LEGACY_AUDIENCE_DAYS), outcome: "success", audienceForm: "token_endpoint", clientDbId: { not: "" } };
  const rows: LegacyAudienceRow[] = [];
  // Pages of the grouped roll-up, most first, until `limit` listed clients are found: a deleted client's
  // past traffic is skipped without shortening the list. Usually one page.
  for (let skip = 0; ; skip += limit + 1) {
    const groups = await db().authEventDaily.groupBy({
      by: ["clientDbId"],
      where,
      _sum: { count: true },
      _max: { day: true },
      orderBy: [{ _sum: { count: "desc" } }, { _max: { day: "desc" } }, { clientDbId: "asc" }],
      skip,
      take: limit + 1,
    });
    // one query for the page's client rows, not one per row
    const clients = await db().client.findMany({
      where: { id: { in: groups.map((g) => g.clientDbId) }, status: { not: "deleted" } },
      select: { id: true, clientId: true, name: true, environment: true, ownerTeam: { select: { id: true, name: true } } },
    });
    const byId = new Map(clients.map((c) => [c.id, c]));
    for (const g of groups) {
      const client = byId.get(g.clientDbId);
      if (!client) continue;
      if (rows.length === limit) return { rows, truncated: true };
      rows.push({ id: client.id, clientId: client.clientId, name: client.name, environment: client.environment, team: client.ownerTeam, count: g._sum.count ?? 0, lastSeen: g._max.day! });
    }
    if (groups.length <= limit) return { rows, truncated: false };
  }
}

export async function trafficDashboard(actor: Actor, now: Date = new Date()) {
  assertCan(actor, "client.read");
  const [methods, failures, legacyAudience] = await Promise.all([methodMix(actor, now), failuresByReason(actor, now), legacyAudienceClients(actor, now)]);
  return { now, methods, failures, legacyAudience };
}

export type TrafficDashboard = Awaited<ReturnType<typeof trafficDashboard>>;
