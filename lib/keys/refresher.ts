// The background jwks_uri refresher: every interval it refreshes the clients whose cached key set is
// due. Safe with several instances (app and token servers alike): each refresh first takes the client's
// lease (lib/keys/jwks-uri.ts), so an instance that loses the race skips that client.
import { db } from "../db";
import { log } from "../log";
import { refreshJwks } from "./jwks-uri";
import { startPeriodic } from "../periodic";

/** Clients refreshed per tick at most: a backlog drains over a few ticks rather than in one burst. */
const BATCH = 25;

/** Refreshes the due clients; returns how many fetches this instance made. */
export async function refreshDueJwks(now = new Date(), limit = BATCH): Promise<number> {
  const due = await db().client.findMany({
    where: { keySource: "jwks_uri", status: { not: "deleted" }, OR: [{ jwksRefreshAt: null }, { jwksRefreshAt: { lte: now } }] },
    select: { id: true },
    orderBy: { jwksRefreshAt: "asc" },
    take: limit,
  });
  let fetched = 0;
  for (const { id } of due) if ((await refreshJwks(id, "background")).status !== "skipped") fetched++;
  return fetched;
}

/** The refresh interval in seconds: KEYSHIFT_JWKS_REFRESH_SECONDS (default 60; 0 turns the refresher off). */
export function refreshIntervalSeconds(): number {
  const raw = process.env.KEYSHIFT_JWKS_REFRESH_SECONDS?.trim();
  const value = raw ? Number(raw) : 60;
  if (!Number.isInteger(value) || value < 0 || value > 86_400) throw new Error("KEYSHIFT_JWKS_REFRESH_SECONDS must be a whole number of seconds from 0 to 86400");
  return value;
}

/** Starts the refresher in this process; returns a function that stops it. */
export function startJwksRefresher(): () => void {
  const seconds = refreshIntervalSeconds();
  if (seconds === 0) return () => undefined;
  return startPeriodic({
    name: "jwks_uri refresher",
    intervalMs: seconds * 1000,
    firstDelayMs: 5_000,
    jitterMs: 5_000,
    run: async () => {
      const fetched = await refreshDueJwks();
      if (fetched) log.info({ fetched }, "jwks_uri refresh");
    },
  });
}
