// The Prisma client for whichever database DATABASE_URL names. Both generated clients come from the
// same model, so the SQLite client's type describes either; one build serves both databases.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient, Prisma } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { closeHotPath } from "./hot-path";
import { databaseUrl, providerOf, sqliteFilePath, type Provider } from "./url";

export type Db = SqliteClient;
export type Tx = Prisma.TransactionClient;
export { Prisma };

type Holder = { client?: Db; provider?: Provider; url?: string };
const globalHolder = globalThis as unknown as { __keyshiftDb?: Holder };
const holder: Holder = (globalHolder.__keyshiftDb ??= {});

function create(url: string): Db {
  if (providerOf(url) === "postgresql") {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  // timeout: how long a writer waits for SQLite's lock before failing (busy timeout)
  return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${sqliteFilePath(url)}`, timeout: 10_000 }) });
}

/** The process-wide client (created on first use). */
export function db(): Db {
  const url = databaseUrl();
  if (!holder.client || holder.url !== url) {
    holder.client = create(url);
    holder.url = url;
    holder.provider = providerOf(url);
  }
  return holder.client;
}

export function provider(): Provider {
  return providerOf(databaseUrl());
}

export async function disconnect(): Promise<void> {
  await closeHotPath();
  await holder.client?.$disconnect();
  holder.client = undefined;
}

/**
 * Runs fn in one transaction: every row it writes lands together or not at all. `timeoutMs` raises the
 * 15-second limit for a known long job (an inventory import of many thousand rows).
 */
export function transaction<T>(fn: (tx: Tx) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  return db()
    .$transaction(fn, { timeout: Math.max(15_000, options.timeoutMs ?? 0), maxWait: 15_000 })
    .then((result) => {
      epoch.value += 1;
      return result;
    });
}

// on globalThis, like the client: Next.js may load this module once per layer (server actions, route
// handlers), and a change committed by a server action must reach the token route's cache in the same process
const epochHolder = globalThis as unknown as { __keyshiftWriteEpoch?: { value: number } };
const epoch = (epochHolder.__keyshiftWriteEpoch ??= { value: 0 });

/**
 * Counts the domain transactions this process has committed (every domain change goes through
 * `transaction`). A per-process cache tagged with it sees this process's own changes at once; changes
 * made by other instances reach it when its entries expire.
 */
export function writeEpochOf(): number {
  return epoch.value;
}

/**
 * One value this process reads rarely and uses on every token request (settings, server keys): kept for
 * at most `ttlMs`, dropped at once when this process commits a domain change (writeEpochOf) and when
 * loading it fails. `load` gets the time of the read.
 */
export function processCache<T>(ttlMs: number, load: (now: number) => Promise<T>): { get(now?: number): Promise<T>; forget(): void } {
  let entry: { at: number; epoch: number; value: Promise<T> } | undefined;
  return {
    get(now = Date.now()) {
      if (entry && entry.epoch === epoch.value && now - entry.at < ttlMs) return entry.value;
      const value = load(now);
      const current = (entry = { at: now, epoch: epoch.value, value });
      value.catch(() => entry === current && (entry = undefined));
      return value;
    },
    forget() {
      entry = undefined;
    },
  };
}

/** True when a Prisma error is a unique-constraint violation (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && "code" in error && (error as { code?: string }).code === "P2002";
}

/**
 * SQLite plans queries well only with table statistics (sqlite_stat1); without them the list's
 * status-first indexes are chosen and per-client secret filters degrade badly at 100,000 clients.
 * `PRAGMA optimize` gathers them where they are missing or stale, bounded by analysis_limit so it stays
 * fast on large tables. Run at start (after migrations) and after bulk loads. PostgreSQL's autovacuum
 * keeps its own statistics.
 */
/**
 * SQLite in write-ahead-log mode: readers no longer wait for writers (the console, the token server
 * and the CLI share one file), and a commit appends to the log instead of rewriting pages, which is
 * what the token endpoint's per-request jti reservation pays. The mode is stored in the database file;
 * synchronous stays FULL, so a committed reservation survives a crash.
 */
export async function useWriteAheadLog(): Promise<void> {
  if (provider() !== "sqlite") return;
  await db().$queryRawUnsafe("PRAGMA journal_mode=WAL");
}

export async function refreshPlannerStatistics(): Promise<void> {
  if (provider() !== "sqlite") return;
  // the registry's tables in full: sampled statistics misjudge "revokedAt IS NULL" (most secrets, but
  // thousands of distinct revocation times), and the planner then answers "a valid secret unused for
  // 90 days" by scanning every valid secret for each client (1.8 s instead of 4 ms at 5,000 clients)
  for (const table of ["Client", "ClientSecret", "ClientKey"]) await db().$queryRawUnsafe(`ANALYZE "${table}"`);
  // the rest (the large event tables among them) sampled, and only where missing or stale
  await db().$queryRawUnsafe("PRAGMA analysis_limit=1000");
  await db().$queryRawUnsafe("PRAGMA optimize=0x10002");
}
