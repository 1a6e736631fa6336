// What the benchmarks share: command-line options, a seeded PRNG (both databases get the same data),
// the temporary databases (SQLite in a temporary directory; with --pg a PostgreSQL database created and
// dropped), migrations, a bulk writer that loads millions of rows through the drivers themselves, and
// the figures' arithmetic and table.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Client as PgClient } from "pg";
import { sqliteFilePath } from "../../lib/db/url";

const root = path.resolve(__dirname, "..", "..");

export function commandLine(args: string[] = process.argv.slice(2)) {
  return {
    args,
    flag: (name: string) => args.includes(`--${name}`),
    option: (name: string, fallback: number) => {
      const i = args.indexOf(`--${name}`);
      return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
    },
  };
}

/** Applies the migrations to a fresh database (scripts/db.ts, as `npm start` does). */
export function migrate(url: string): void {
  execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "db.ts"), "migrate"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** A small fast PRNG (mulberry32), so both databases get the same data. */
export function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WORDS = ["billing", "ledger", "payments", "search", "identity", "orders", "mobile", "partner", "export", "sync", "notify", "report", "gateway", "worker", "scheduler", "ingest", "catalog", "loyalty", "risk", "fraud"];
export const ENVIRONMENTS = ["production", "staging", "development"] as const;

/** The i-th seeded client's row id, client_id (the shapes real IdPs issue) and name. */
export function clientIdentity(i: number, pick: <T>(items: readonly T[]) => T): { id: string; clientId: string; name: string } {
  const id = `bc${i.toString(36).padStart(8, "0")}`;
  const clientId = i % 4 === 0 ? `0oa${i.toString(36).padStart(17, "0")}` : i % 4 === 1 ? crypto.randomUUID() : `${pick(WORDS)}-${pick(WORDS)}-${i}`;
  const name = `${pick(WORDS)} ${pick(WORDS)} ${i}`;
  return { id, clientId, name };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** A Markdown table; the columns in `left` are left-aligned, the others (figures) right-aligned. */
export function printTable(header: string[], rows: string[][], left: number[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => "| " + cells.map((cell, i) => (left.includes(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w, i) => (left.includes(i) ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
  for (const row of rows) console.log(line(row));
}

/**
 * Runs `bench` on a temporary SQLite database and, with `pg`, on a temporary PostgreSQL database
 * (postgresql://postgres@127.0.0.1:5432, or BENCH_PG_URL), removed afterwards unless `keep`.
 */
export async function forEachBenchDatabase(bench: (label: string, url: string) => Promise<void>, options: { pg: boolean; keep: boolean }): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-bench-"));
  try {
    await bench("SQLite", `file:${path.join(tmp, "bench.db")}`);
  } finally {
    if (options.keep) console.log(`\nkept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!options.pg) return;

  const admin = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `keyshift_bench_${crypto.randomBytes(4).toString("hex")}`;
  const pg = new PgClient({ connectionString: admin });
  await pg.connect();
  await pg.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    await bench("PostgreSQL", url.toString());
  } finally {
    if (options.keep) console.log(`kept database ${name}`);
    else await pg.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await pg.end();
  }
}

export type Row = readonly unknown[];

/**
 * Loads rows straight through the database drivers, in the column formats Prisma reads (as
 * lib/db/hot-path.ts writes them): Prisma's createMany compiles each batch in WebAssembly and would
 * take most of an hour for five million events. SQLite: one prepared statement run per row inside a
 * transaction per call, with synchronous=OFF on this connection only. PostgreSQL: one
 * INSERT … SELECT FROM unnest(…) per 10,000 rows, a column of values per parameter, asynchronous commit.
 */
export type BulkWriter = {
  insert(table: string, columns: readonly string[], rows: readonly Row[]): Promise<void>;
  close(): Promise<void>;
};

const sqliteValue = (value: unknown) =>
  value instanceof Date ? value.toISOString().replace("Z", "+00:00") : typeof value === "boolean" ? (value ? 1 : 0) : (value ?? null);
const pgValue = (value: unknown) => (value instanceof Date ? value.toISOString().replace("Z", "") : (value ?? null));
const PG_ROWS_PER_STATEMENT = 10_000;

export async function openBulkWriter(url: string): Promise<BulkWriter> {
  if (!url.startsWith("postgres")) {
    const connection = new Database(sqliteFilePath(url));
    connection.pragma("synchronous = OFF");
    connection.pragma("cache_size = -262144"); // 256 MiB: the indexes of the event table stay in memory while loading
    const statements = new Map<string, Database.Statement>();
    return {
      async insert(table, columns, rows) {
        const key = `${table}(${columns.join(",")})`;
        let statement = statements.get(key);
        if (!statement) {
          statement = connection.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
          statements.set(key, statement);
        }
        const run = statement;
        connection.transaction(() => {
          for (const row of rows) run.run(row.map(sqliteValue));
        })();
      },
      async close() {
        connection.close();
      },
    };
  }
  const client = new PgClient({ connectionString: url });
  await client.connect();
  await client.query("SET synchronous_commit = off");
  const types = new Map<string, Map<string, string>>();
  const typesOf = async (table: string) => {
    let known = types.get(table);
    if (!known) {
      const { rows } = await client.query<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [`"${table}"`],
      );
      known = new Map(rows.map((r) => [r.name, r.type]));
      types.set(table, known);
    }
    return known;
  };
  return {
    async insert(table, columns, rows) {
      const known = await typesOf(table);
      const text = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")})
        SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${known.get(c)}[]`).join(", ")})`;
      for (let start = 0; start < rows.length; start += PG_ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + PG_ROWS_PER_STATEMENT);
        await client.query(text, columns.map((_, i) => chunk.map((row) => pgValue(row[i]))));
      }
    },
    close: () => client.end(),
  };
}
