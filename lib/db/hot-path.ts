// The token endpoint's two writes per request, the jti reservation and the authentication events,
// through the database drivers' own prepared statements. Prisma 6.19 compiles every query in
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

type HotPath = {
  /** true when (client, jti) was new; the row is committed when this resolves */
  reserveJti(clientDbId: string, jti: string, expiresAt: Date): Promise<boolean>;
  insertAuthEvents(rows: readonly AuthEventRow[]): Promise<void>;
  close(): Promise<void>;
};

const EVENT_COLUMNS = ["at", "endpoint", "clientDbId", "clientId", "method", "outcome", "reason", "kid", "secretHint", "audienceForm", "address"] as const;

const sqliteTime = (date: Date) => date.toISOString().replace("Z", "+00:00");
const pgTime = (date: Date) => date.toISOString().replace("Z", "");

function sqlite(file: string): HotPath {
  const connection = new Database(file, { timeout: 10_000 });
  const reserve = connection.prepare('INSERT INTO "UsedAssertion" ("clientId", "jti", "expiresAt") VALUES (?, ?, ?)');
  const insertEvent = connection.prepare(
    `INSERT INTO "AuthEvent" (${EVENT_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${EVENT_COLUMNS.map(() => "?").join(", ")})`,
  );
  const insertEvents = connection.transaction((rows: readonly AuthEventRow[]) => {
    for (const row of rows) insertEvent.run(EVENT_COLUMNS.map((c) => (c === "at" ? sqliteTime(row.at) : row[c])));
  });
  return {
    async reserveJti(clientDbId, jti, expiresAt) {
      try {
        reserve.run(clientDbId, jti, sqliteTime(expiresAt));
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") return false;
        throw error;
      }
    },
    async insertAuthEvents(rows) {
      insertEvents(rows);
    },
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

function postgres(url: string): HotPath {
  const pool = new Pool({ connectionString: url, max: 4 });
  // one statement for a whole batch: a column of values per parameter
  const insertEvents = `INSERT INTO "AuthEvent" (${EVENT_COLUMNS.map((c) => `"${c}"`).join(", ")})
    SELECT * FROM unnest(${EVENT_COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPES[c]}[]`).join(", ")})`;
  return {
    async reserveJti(clientDbId, jti, expiresAt) {
      try {
        await pool.query({ name: "reserve-jti", text: 'INSERT INTO "UsedAssertion" ("clientId", "jti", "expiresAt") VALUES ($1, $2, $3::timestamp(3))', values: [clientDbId, jti, pgTime(expiresAt)] });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === "23505") return false;
        throw error;
      }
    },
    async insertAuthEvents(rows) {
      const values = EVENT_COLUMNS.map((c) => rows.map((row) => (c === "at" ? pgTime(row.at) : row[c])));
      await pool.query({ name: "insert-auth-events", text: insertEvents, values });
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
