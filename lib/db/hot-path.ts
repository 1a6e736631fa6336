// The token endpoint's two writes per request, the jti reservation (group-committed, below) and the
// authentication events with the "last used" times (batched by lib/oauth/events.ts), through the database drivers' own prepared statements. Prisma 6.19 compiles every query in
// WebAssembly without a plan cache: measured alone, its committed insert cost 1.4-1.9 ms, most of a
// token request's CPU (bench:token). Everything else, and every domain write, stays with Prisma.
// Column formats match Prisma's: SQLite keeps DateTime as ISO text with "+00:00", PostgreSQL as
// timestamp(3) without time zone in UTC.
import Database from "better-sqlite3";
import { Pool } from "pg";
import { databaseUrl, providerOf, sqliteFilePath } from "./url";

export type AuthEventRow = {
  at: Date;
  endpoint: string;
  clientDbId: string | null;
  clientId: string;
  method: string | null;
  outcome: string;
  reason: string | null;
  kid: string | null;
  secretHint: string | null;
  audienceForm: string | null;
  address: string;
};

/**
 * What a batch's successes used, for the "last used" times: the latest use of each secret and key, and
 * of each client with its method (and, once, its first assertion). Times only move forward, whatever
 * order instances flush in; nothing else of the row changes (its updatedAt included: traffic is not an edit).
 */
export type Usage = {
  secrets: ReadonlyArray<{ id: string; at: Date }>;
  keys: ReadonlyArray<{ id: string; at: Date }>;
  clients: ReadonlyArray<{ id: string; at: Date; method: string; firstAssertionAt: Date | null }>;
};

type HotPath = {
  /** true when (client, jti) was new; the row is committed when this resolves */
  reserveJti(clientDbId: string, jti: string, expiresAt: Date): Promise<boolean>;
  /**
   * the events with their daily roll-ups (one transaction), then the "last used" times: in the same
   * transaction with SQLite (one writer at a time, one fsync), one statement per row with PostgreSQL
   */
  recordAuthEvents(rows: readonly AuthEventRow[], usage: Usage): Promise<void>;
  close(): Promise<void>;
};

const EVENT_COLUMNS = ["at", "endpoint", "clientDbId", "clientId", "method", "outcome", "reason", "kid", "secretHint", "audienceForm", "address"] as const;

type Reservation = { clientDbId: string; jti: string; expiresAt: Date; resolve: (fresh: boolean) => void; reject: (error: unknown) => void };

/**
 * Group commit for jti reservations: the reservations that arrive within one turn of the event loop are
 * written in one transaction (one commit, one fsync with SQLite's synchronous=FULL; one round trip with
 * PostgreSQL), and each caller is answered only after that commit, so a reservation is still durable
 * before its token is issued. At most `inFlight` batches are written at once (one per connection);
 * the reservations arriving meanwhile wait and go together in the next batch, rather than queueing as
 * many small ones. A (client, jti) repeated within one batch counts once: the first caller gets the
 * database's answer, the others are told it was taken.
 */
function groupCommit(write: (batch: Reservation[]) => Promise<boolean[]> | boolean[], inFlight: number): (clientDbId: string, jti: string, expiresAt: Date) => Promise<boolean> {
  let queue: Reservation[] = [];
  let writing = 0;
  let scheduled = false;
  const schedule = () => {
    if (scheduled || writing >= inFlight || queue.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  };
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    const first = new Map<string, Reservation>();
    const unique: Reservation[] = [];
    for (const r of batch) {
      const key = `${r.clientDbId}\u0000${r.jti}`;
      if (first.has(key)) continue;
      first.set(key, r);
      unique.push(r);
    }
    writing++;
    Promise.resolve()
      .then(() => write(unique))
      .then(
        (fresh) => {
          const answer = new Map(unique.map((r, i) => [r, fresh[i]]));
          for (const r of batch) r.resolve(answer.get(r) ?? false);
        },
        (error) => {
          for (const r of batch) r.reject(error);
        },
      )
      .finally(() => {
        writing--;
        schedule();
      });
  };
  return (clientDbId, jti, expiresAt) =>
    new Promise((resolve, reject) => {
      queue.push({ clientDbId, jti, expiresAt, resolve, reject });
      schedule();
    });
}

/** The daily roll-up rows of a batch of events: one per (UTC day, endpoint, client, method, outcome, reason, audience form). */
type DailyCount = { day: Date; endpoint: string; clientDbId: string; method: string; outcome: string; reason: string; audienceForm: string; count: number };
const DAILY_COLUMNS = ["day", "endpoint", "clientDbId", "method", "outcome", "reason", "audienceForm", "count"] as const;

export function dailyCounts(rows: readonly AuthEventRow[]): DailyCount[] {
  const counts = new Map<string, DailyCount>();
  for (const row of rows) {
    const day = new Date(Date.UTC(row.at.getUTCFullYear(), row.at.getUTCMonth(), row.at.getUTCDate()));
    const entry = { day, endpoint: row.endpoint, clientDbId: row.clientDbId ?? "", method: row.method ?? "", outcome: row.outcome, reason: row.reason ?? "", audienceForm: row.audienceForm ?? "", count: 0 };
    const key = DAILY_COLUMNS.slice(1, -1).map((c) => entry[c]).join("\u0000") + `\u0000${day.getTime()}`;
    const counted = counts.get(key) ?? entry;
    counted.count += 1;
    counts.set(key, counted);
  }
  return [...counts.values()];
}

/** The organisation-wide totals of a batch's daily counts (AuthEventDayTotal: the same keys without the client). */
type DayTotal = Omit<DailyCount, "clientDbId">;
const TOTAL_COLUMNS = ["day", "endpoint", "method", "outcome", "reason", "audienceForm", "count"] as const;

export function dayTotals(daily: readonly DailyCount[]): DayTotal[] {
  const totals = new Map<string, DayTotal>();
  for (const { clientDbId: _client, ...d } of daily) {
    const key = `${d.day.getTime()}\u0000${TOTAL_COLUMNS.slice(1, -1).map((c) => d[c]).join("\u0000")}`;
    const total = totals.get(key) ?? { ...d, count: 0 };
    total.count += d.count;
    totals.set(key, total);
  }
  return [...totals.values()];
}

const sqliteTime = (date: Date) => date.toISOString().replace("Z", "+00:00");
const pgTime = (date: Date) => date.toISOString().replace("Z", "");

const LOCK_WAIT_MS = 10_000;

/**
 * Runs a write transaction (BEGIN IMMEDIATE) once SQLite's write lock is free, without blocking the
 * event loop while another connection holds it. SQLite's own busy handler sleeps the thread, and with
 * better-sqlite3 that thread is the event loop: in the token server's other workers, in the console of
 * the same process (an open Prisma transaction could then never finish), every request would stall.
 * Retries at the next turn of the loop, then every millisecond, for at most 10 s.
 */
function whenUnlocked<T>(write: () => T): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  return new Promise((resolve, reject) => {
    let attempts = 0;
    const attempt = () => {
      try {
        resolve(write());
      } catch (error) {
        // SQLITE_BUSY, or an extended code of it (SQLITE_BUSY_RECOVERY while another connection recovers the log)
        const busy = String((error as { code?: unknown }).code ?? "").startsWith("SQLITE_BUSY");
        if (!busy || Date.now() >= deadline) return reject(error);
        if (++attempts < 8) setImmediate(attempt);
        else setTimeout(attempt, 1);
      }
    };
    attempt();
  });
}

function sqlite(file: string): HotPath {
  // no busy timeout: whenUnlocked waits for the lock instead
  const connection = new Database(file, { timeout: 0 });
  const reserve = connection.prepare('INSERT INTO "UsedAssertion" ("clientId", "jti", "expiresAt") VALUES (?, ?, ?) ON CONFLICT ("clientId", "jti") DO NOTHING');
  const reserveAll = connection.transaction((batch: Reservation[]) => batch.map((r) => reserve.run(r.clientDbId, r.jti, sqliteTime(r.expiresAt)).changes === 1));
  const insertEvent = connection.prepare(
    `INSERT INTO "AuthEvent" (${EVENT_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${EVENT_COLUMNS.map(() => "?").join(", ")})`,
  );
  const countDaily = connection.prepare(
    `INSERT INTO "AuthEventDaily" (${DAILY_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${DAILY_COLUMNS.map(() => "?").join(", ")})
     ON CONFLICT (${DAILY_COLUMNS.slice(0, -1).map((c) => `"${c}"`).join(", ")}) DO UPDATE SET "count" = "count" + excluded."count"`,
  );
  const countTotal = connection.prepare(
    `INSERT INTO "AuthEventDayTotal" (${TOTAL_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${TOTAL_COLUMNS.map(() => "?").join(", ")})
     ON CONFLICT (${TOTAL_COLUMNS.slice(0, -1).map((c) => `"${c}"`).join(", ")}) DO UPDATE SET "count" = "count" + excluded."count"`,
  );
  // ISO text in one format compares in time order
  const useSecret = connection.prepare('UPDATE "ClientSecret" SET "lastUsedAt" = @at WHERE "id" = @id AND ("lastUsedAt" IS NULL OR "lastUsedAt" < @at)');
  const useKey = connection.prepare('UPDATE "ClientKey" SET "lastUsedAt" = @at WHERE "id" = @id AND ("lastUsedAt" IS NULL OR "lastUsedAt" < @at)');
  // every right-hand side reads the row as it was, so the method follows the time it belongs to
  const useClient = connection.prepare(`UPDATE "Client" SET
      "lastAuthMethod" = CASE WHEN "lastAuthAt" IS NULL OR "lastAuthAt" < @at THEN @method ELSE "lastAuthMethod" END,
      "lastAuthAt" = CASE WHEN "lastAuthAt" IS NULL OR "lastAuthAt" < @at THEN @at ELSE "lastAuthAt" END,
      "firstAssertionAt" = COALESCE("firstAssertionAt", @first)
    WHERE "id" = @id`);
  // the events, their roll-ups and the "last used" times land together, with one commit
  const insertEvents = connection.transaction((rows: readonly AuthEventRow[], usage: Usage) => {
    for (const row of rows) insertEvent.run(EVENT_COLUMNS.map((c) => (c === "at" ? sqliteTime(row.at) : row[c])));
    const daily = dailyCounts(rows);
    for (const d of daily) countDaily.run(DAILY_COLUMNS.map((c) => (c === "day" ? sqliteTime(d.day) : d[c])));
    for (const t of dayTotals(daily)) countTotal.run(TOTAL_COLUMNS.map((c) => (c === "day" ? sqliteTime(t.day) : t[c])));
    for (const u of usage.secrets) useSecret.run({ at: sqliteTime(u.at), id: u.id });
    for (const u of usage.keys) useKey.run({ at: sqliteTime(u.at), id: u.id });
    for (const u of usage.clients) useClient.run({ at: sqliteTime(u.at), method: u.method, first: u.firstAssertionAt && sqliteTime(u.firstAssertionAt), id: u.id });
  });
  return {
    // better-sqlite3 is synchronous: BEGIN IMMEDIATE … COMMIT for the whole batch, on this thread
    // one writer at a time: while a batch waits for the write lock, the next one gathers
    reserveJti: groupCommit((batch) => whenUnlocked(() => reserveAll.immediate(batch)), 1),
    recordAuthEvents: (rows, usage) => whenUnlocked(() => insertEvents.immediate(rows, usage)),
    async close() {
      connection.close();
    },
  };
}

const PG_TYPES: Record<(typeof EVENT_COLUMNS)[number], string> = {
  at: "timestamp(3)",
  endpoint: "text",
  clientDbId: "text",
  clientId: "text",
  method: "text",
  outcome: "text",
  reason: "text",
  kid: "text",
  secretHint: "text",
  audienceForm: "text",
  address: "text",
};

// per process: the reservations and events of one token server worker, or of the app
const CONNECTIONS = 4;

function postgres(url: string): HotPath {
  const pool = new Pool({ connectionString: url, max: CONNECTIONS });
  // one statement for a whole batch: a column of values per parameter
  // one statement for the events and their daily roll-ups (a data-modifying WITH runs whether or not it is read)
  const dailyTypes = ["timestamp(3)", "text", "text", "text", "text", "text", "text", "int"];
  const first = EVENT_COLUMNS.length;
  const totalTypes = ["timestamp(3)", "text", "text", "text", "text", "text", "int"];
  const firstTotal = first + DAILY_COLUMNS.length;
  const insertEvents = `WITH events AS (
      INSERT INTO "AuthEvent" (${EVENT_COLUMNS.map((c) => `"${c}"`).join(", ")})
      SELECT * FROM unnest(${EVENT_COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPES[c]}[]`).join(", ")})
    ), totals AS (
      INSERT INTO "AuthEventDayTotal" (${TOTAL_COLUMNS.map((c) => `"${c}"`).join(", ")})
      SELECT * FROM unnest(${TOTAL_COLUMNS.map((_, i) => `$${firstTotal + i + 1}::${totalTypes[i]}[]`).join(", ")})
      ON CONFLICT (${TOTAL_COLUMNS.slice(0, -1).map((c) => `"${c}"`).join(", ")}) DO UPDATE SET "count" = "AuthEventDayTotal"."count" + EXCLUDED."count"
    )
    INSERT INTO "AuthEventDaily" (${DAILY_COLUMNS.map((c) => `"${c}"`).join(", ")})
    SELECT * FROM unnest(${DAILY_COLUMNS.map((_, i) => `$${first + i + 1}::${dailyTypes[i]}[]`).join(", ")})
    ON CONFLICT (${DAILY_COLUMNS.slice(0, -1).map((c) => `"${c}"`).join(", ")}) DO UPDATE SET "count" = "AuthEventDaily"."count" + EXCLUDED."count"`;
  const useSecret = 'UPDATE "ClientSecret" SET "lastUsedAt" = $1 WHERE "id" = $2 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < $1)';
  const useKey = 'UPDATE "ClientKey" SET "lastUsedAt" = $1 WHERE "id" = $2 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < $1)';
  // SET reads the row as it was, so the method follows the time it belongs to
  const useClient = `UPDATE "Client" SET
      "lastAuthMethod" = CASE WHEN "lastAuthAt" IS NULL OR "lastAuthAt" < $1 THEN $2 ELSE "lastAuthMethod" END,
      "lastAuthAt" = CASE WHEN "lastAuthAt" IS NULL OR "lastAuthAt" < $1 THEN $1 ELSE "lastAuthAt" END,
      "firstAssertionAt" = COALESCE("firstAssertionAt", $3)
    WHERE "id" = $4`;
  // one statement (an implicit transaction) per batch; RETURNING names the rows this batch inserted
  const reserveAll = `INSERT INTO "UsedAssertion" ("clientId", "jti", "expiresAt")
    SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp(3)[])
    ON CONFLICT ("clientId", "jti") DO NOTHING RETURNING "clientId", "jti"`;
  return {
    reserveJti: groupCommit(async (batch) => {
      const { rows } = await pool.query<{ clientId: string; jti: string }>({
        name: "reserve-jtis",
        text: reserveAll,
        values: [batch.map((r) => r.clientDbId), batch.map((r) => r.jti), batch.map((r) => pgTime(r.expiresAt))],
      });
      const inserted = new Set(rows.map((r) => `${r.clientId}\u0000${r.jti}`));
      return batch.map((r) => inserted.has(`${r.clientDbId}\u0000${r.jti}`));
    }, CONNECTIONS),
    async recordAuthEvents(rows, usage) {
      const daily = dailyCounts(rows);
      const totals = dayTotals(daily);
      const values = [
        ...EVENT_COLUMNS.map((c) => rows.map((row) => (c === "at" ? pgTime(row.at) : row[c]))),
        ...DAILY_COLUMNS.map((c) => daily.map((d) => (c === "day" ? pgTime(d.day) : d[c]))),
        ...TOTAL_COLUMNS.map((c) => totals.map((t) => (c === "day" ? pgTime(t.day) : t[c]))),
      ];
      await pool.query({ name: "insert-auth-events", text: insertEvents, values });
      // each "last used" row in its own statement: an update that holds one row lock can wait behind a
      // console transaction or another instance's flush, but never deadlock with it
      await Promise.all([
        ...usage.secrets.map((u) => pool.query({ name: "use-secret", text: useSecret, values: [pgTime(u.at), u.id] })),
        ...usage.keys.map((u) => pool.query({ name: "use-key", text: useKey, values: [pgTime(u.at), u.id] })),
        ...usage.clients.map((u) => pool.query({ name: "use-client", text: useClient, values: [pgTime(u.at), u.method, u.firstAssertionAt && pgTime(u.firstAssertionAt), u.id] })),
      ]);
    },
    close: () => pool.end(),
  };
}

const holder = globalThis as unknown as { __keyshiftHotPath?: { url: string; path: HotPath } };

/** The hot path's connection for the database DATABASE_URL names (opened on first use). */
export function hotPath(): HotPath {
  const url = databaseUrl();
  if (!holder.__keyshiftHotPath || holder.__keyshiftHotPath.url !== url) {
    const path = providerOf(url) === "postgresql" ? postgres(url) : sqlite(sqliteFilePath(url));
    holder.__keyshiftHotPath = { url, path };
  }
  return holder.__keyshiftHotPath.path;
}

export async function closeHotPath(): Promise<void> {
  const open = holder.__keyshiftHotPath;
  holder.__keyshiftHotPath = undefined;
  await open?.path.close();
}
