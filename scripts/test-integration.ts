// Runs the integration suite (vitest project "integration") against both databases:
//   1. a fresh SQLite file in a temporary directory;
//   2. a fresh PostgreSQL database created on TEST_DATABASE_URL's server (default
//      postgresql://postgres@127.0.0.1:5432/postgres) and always dropped afterwards.
// Without a PostgreSQL server the second run is skipped, said plainly; under CI (CI=true) that fails.
// Extra arguments go to vitest, e.g. `tsx scripts/test-integration.ts tests/integration/audit.test.ts`.
// With KEYSHIFT_TEST_REPORTS=<dir> each run also writes a Vitest JSON report <dir>/integration-<db>.json
// (scripts/test.ts sums them).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

const root = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const vitestArgs = process.argv.slice(2);
const DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

// Ctrl-C reaches the children through the process group; stay alive long enough to clean up.
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (interrupted = true));

function header(title: string): void {
  const line = "=".repeat(72);
  console.log(`\n${line}\n  ${title}\n${line}`);
}

function run(command: string, args: string[], env: Record<string, string>): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      resolve(false);
    });
    child.on("exit", (code) => resolve(code === 0));
  });
}

/** Migrates the database named by env.DATABASE_URL, then runs the integration project against it. */
async function suite(label: string, env: Record<string, string>): Promise<boolean> {
  const runEnv = { ...env, KEYSHIFT_MASTER_KEY: crypto.randomBytes(32).toString("hex"), KEYSHIFT_ISSUER: "http://localhost:3000", CHECKPOINT_DISABLE: "1" };
  if (!(await run(bin("tsx"), ["scripts/db.ts", "migrate"], runEnv))) {
    console.error("Migrations failed; tests not run.");
    return false;
  }
  if (interrupted) return false;
  const reports = process.env.KEYSHIFT_TEST_REPORTS;
  const reportArgs = reports ? ["--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, `integration-${label}.json`)}`] : [];
  return run(bin("vitest"), ["run", "--project", "integration", ...reportArgs, ...vitestArgs], runEnv);
}

async function sqliteSuite(): Promise<boolean> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  header(`Integration suite on SQLite (${url})`);
  try {
    return await suite("sqlite", { DATABASE_URL: url });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function connect(url: string): Promise<Client | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return client;
  } catch {
    await client.end().catch(() => {});
    return null;
  }
}

type Outcome = "passed" | "FAILED" | "skipped";
const outcome = (ok: boolean): Outcome => (ok ? "passed" : "FAILED");

async function postgresSuite(): Promise<Outcome> {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim() || DEFAULT_PG_URL;
  const shown = serverUrl.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
  const admin = await connect(serverUrl);
  if (!admin) {
    if (process.env.CI === "true") {
      header("Integration suite on PostgreSQL: FAILED");
      console.error(`No PostgreSQL server answers at ${shown}; under CI the PostgreSQL suite is required (set TEST_DATABASE_URL or start a server).`);
      return "FAILED";
    }
    header(`PostgreSQL suite SKIPPED: no server at ${shown}`);
    return "skipped";
  }
  const name = `keyshift_test_${crypto.randomBytes(6).toString("hex")}`;
  const testUrl = new URL(serverUrl);
  testUrl.pathname = `/${name}`;
  header(`Integration suite on PostgreSQL (database ${name} at ${shown})`);
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    return outcome(await suite("postgresql", { DATABASE_URL: testUrl.toString() }));
  } catch (error) {
    console.error(`PostgreSQL suite failed: ${(error as Error).message}`);
    return "FAILED";
  } finally {
    // FORCE (PostgreSQL 13+) ends connections a crashed test run may have left behind
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => admin.query(`DROP DATABASE IF EXISTS "${name}"`));
    await admin.end();
    console.log(`Dropped database ${name}.`);
  }
}

async function main(): Promise<void> {
  const results: [string, Outcome][] = [["SQLite", outcome(await sqliteSuite())]];
  if (!interrupted) results.push(["PostgreSQL", await postgresSuite()]);
  header("Integration summary");
  for (const [label, result] of results) console.log(`  ${label.padEnd(12)} ${result}`);
  process.exit(results.some(([, result]) => result === "FAILED") || interrupted ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
