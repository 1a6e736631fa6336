// Database tooling for both providers.
//   tsx scripts/db.ts generate                 derive the PostgreSQL schema and generate both clients
//   tsx scripts/db.ts migrate                  apply migrations to DATABASE_URL (SQLite or PostgreSQL)
//   tsx scripts/db.ts new-migration <name> [base]   write migrations for both providers from the schema change
//                                                  since the commit `base` (default HEAD)
// pendingMigrations() tells a process that must not migrate (the token server) whether it may start.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { databaseUrl, providerOf, sqliteFilePath } from "../lib/db/url";

const root = path.resolve(__dirname, "..");
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");
const sqliteSchema = path.join(root, "prisma", "sqlite", "schema.prisma");
const pgSchema = path.join(root, "prisma", "postgresql", "schema.prisma");

function prisma(args: string[], env: Record<string, string> = {}, capture = false): string {
  const out = execFileSync(prismaBin, args, {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env },
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
  });
  return out ?? "";
}

/** The PostgreSQL schema is the SQLite one with its provider, url and output changed. */
export function derivePostgresSchema(source: string): string {
  return source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./placeholder.db"', 'url      = "postgresql://localhost/placeholder"')
    .replace('output     = "../../lib/db/generated/sqlite"', 'output     = "../../lib/db/generated/postgresql"')
    .replace(/^\/\/ Keyshift data model\..*$/m, "// GENERATED from prisma/sqlite/schema.prisma by scripts/db.ts: edit that file, not this one.");
}

function writePostgresSchema(): void {
  fs.mkdirSync(path.dirname(pgSchema), { recursive: true });
  fs.writeFileSync(pgSchema, derivePostgresSchema(fs.readFileSync(sqliteSchema, "utf8")));
}

export function generate(): void {
  writePostgresSchema();
  prisma(["generate", "--config", "prisma/sqlite.config.ts"], { DATABASE_URL: "file:./data/generate.db" });
  prisma(["generate", "--config", "prisma/postgresql.config.ts"], { DATABASE_URL: "postgresql://localhost/unused" });
}

export function migrate(): void {
  const url = databaseUrl();
  const provider = providerOf(url);
  if (provider === "sqlite") fs.mkdirSync(path.dirname(sqliteFilePath(url)), { recursive: true });
  try {
    prisma(["migrate", "deploy", "--config", `prisma/${provider}.config.ts`], { DATABASE_URL: url }, true);
  } catch (error) {
    // the CLI's own output says which migration failed and why
    const failed = error as { stdout?: string; stderr?: string };
    process.stderr.write(`${failed.stdout ?? ""}${failed.stderr ?? ""}`);
    // SQLite in WAL mode: Prisma's migration engine needs the file to itself
    const hint = provider === "sqlite" ? " (if Keyshift is running on this database, stop it, then migrate)" : "";
    throw new Error(`migrations failed on ${provider}${hint}`);
  }
}

/**
 * Runs `prisma migrate deploy` only when a migration is pending. The check is a few queries; the
 * deploy costs a CLI start, seconds on PostgreSQL, and on SQLite in WAL mode it fails while another
 * process (a running console or token server) has the file open, so the admin CLI could not run
 * beside the console if it deployed every time.
 */
export async function migrateIfNeeded(): Promise<void> {
  const pending = await pendingMigrations();
  // our own connection must not hold the file while the migration engine works on it
  const { disconnect } = await import("../lib/db");
  await disconnect();
  if (pending.length) migrate();
}

/**
 * This checkout's migrations that DATABASE_URL has not applied (all of them when it was never
 * migrated): a few cheap queries, where `prisma migrate deploy` costs a CLI start and, on PostgreSQL,
 * a stall of seconds.
 */
export async function pendingMigrations(): Promise<string[]> {
  const url = databaseUrl();
  const provider = providerOf(url);
  const folders = fs.readdirSync(path.join(root, "prisma", provider, "migrations"), { withFileTypes: true });
  const expected = folders.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  // opening a SQLite file that does not exist would create an empty one
  if (provider === "sqlite" && !fs.existsSync(sqliteFilePath(url))) return expected;
  // loaded here, not at the top: `generate` runs before the generated client exists
  const { db } = await import("../lib/db");
  const tableQuery =
    provider === "sqlite" ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'" : "SELECT to_regclass('_prisma_migrations')::text AS name";
  const [table] = await db().$queryRawUnsafe<{ name: string | null }[]>(tableQuery);
  if (!table?.name) return expected;
  // a migration that failed or was rolled back is not applied
  const rows = await db().$queryRawUnsafe<{ migration_name: string }[]>("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL");
  const applied = new Set(rows.map((row) => row.migration_name));
  return expected.filter((name) => !applied.has(name));
}

/**
 * `base` names the commit whose schema the migrations start from: HEAD, unless the branch was merged
 * with another that also changed the schema (then the other branch's commit, so the new migration
 * applies on top of its migration instead of redefining tables from an older schema).
 */
function newMigration(name: string, base = "HEAD"): void {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: lower-case letters, digits and _ only");
  writePostgresSchema();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-migration-"));
  for (const provider of ["sqlite", "postgresql"] as const) {
    const schema = provider === "sqlite" ? sqliteSchema : pgSchema;
    const dir = path.join(root, "prisma", provider, "migrations");
    const previous = path.join(tmp, `${provider}.prisma`);
    let from = ["--from-empty"];
    try {
      const old = execFileSync("git", ["show", `${base}:prisma/sqlite/schema.prisma`], {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      fs.writeFileSync(previous, provider === "sqlite" ? old : derivePostgresSchema(old));
      if (fs.existsSync(dir)) from = ["--from-schema-datamodel", previous];
    } catch {
      // no committed schema yet: the first migration starts from an empty database
    }
    const sql = prisma(
      ["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script", "--config", `prisma/${provider}.config.ts`],
      { DATABASE_URL: provider === "sqlite" ? "file:./data/generate.db" : (process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres") },
      true,
    );
    const target = path.join(dir, `${stamp}_${name}`);
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, "migration.sql"), sql);
    fs.writeFileSync(path.join(dir, "migration_lock.toml"), `provider = "${provider}"\n`);
    console.log(`wrote ${path.relative(root, target)}/migration.sql`);
  }
}

if (require.main === module) {
  const [command, arg, base] = process.argv.slice(2);
  if (command === "generate") generate();
  else if (command === "migrate") migrate();
  else if (command === "new-migration" && arg) newMigration(arg, base);
  else {
    console.error("usage: tsx scripts/db.ts generate | migrate | new-migration <name> [base-commit]");
    process.exit(2);
  }
}
