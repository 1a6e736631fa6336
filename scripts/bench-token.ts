// Token endpoint benchmark: the token server (scripts/token-server.ts) and the app as `npm start` serves
// it (scripts/app-server.ts: the production build, with POST /oauth/token answered ahead of Next.js's
// router), each on SQLite and on PostgreSQL, driven by a load generator in its own process
// (scripts/bench/token-load.ts) with a fresh pre-signed assertion per request, at several concurrencies,
// for ES256, RS256 and client_secret_basic. Prints req/s, latency percentiles and the CPU used by the
// server, the database backends (PostgreSQL) and the generator; measures the crypto ceiling (ES256
// verify + ES256 sign with raw node:crypto on every core, at the start and the end, and again around each
// target cell) and compares ES256 at concurrency 16 with the targets, against the ceiling measured around
// the cell; measures the Next.js server's floor (GET /.well-known/jwks.json through Next.js: no database
// write, no crypto) beside the app's token cells, and the token route handler alone under `next start`
// (ES256, concurrency 16: what the app would do without its server); profiles the token server on one
// cell per database and says where its time goes.
//
//   npm run bench:token                        everything (about 10 minutes on 2 cores)
//   npm run bench:token -- --quick             short cells, for a smoke run
//   options: --sqlite-only | --pg-only   --server token|app|route   --duration S (5)  --warmup S (1)
//            --concurrency 1,16,64   --methods ES256,RS256,client_secret_basic   --no-profile
//            --port N (first of three ports, 3300)   --keep (keep the databases and logs, print where)
//            --workers N|auto (the token server's TOKEN_WORKERS; default auto: one per core)
// PostgreSQL: a temporary database on postgresql://postgres@127.0.0.1:5432 (or BENCH_PG_URL), dropped
// at the end. All traffic stays on 127.0.0.1.
import { execFileSync, fork, spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { Client as PgClient } from "pg";
import type { CellRequest, CellResult, LoadSetup, Method } from "./bench/token-load";
import { needsBuild } from "./start";

const root = path.resolve(__dirname, "..");
const tsxBin = path.join(root, "node_modules", ".bin", "tsx");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const TOKEN_WORKERS = option("workers") ?? "auto";

const QUICK = flag("quick");
const WARMUP_MS = Number(option("warmup") ?? (QUICK ? 0.3 : 1)) * 1000;
const DURATION_MS = Number(option("duration") ?? (QUICK ? 1 : 5)) * 1000;
const CEILING_MS = QUICK ? 1000 : 3000;
// the ceiling again just before and just after each target cell (the higher of the two, each after the
// server settled): this kind of machine drifts by 15–20% within a run, and a cell is judged against the
// machine it ran on
const CELL_CEILING_MS = QUICK ? 500 : 1500;
const CELL_SETTLE_MS = QUICK ? 300 : 1000;
const CONCURRENCY = (option("concurrency") ?? "1,16,64").split(",").map(Number);
const METHODS = (option("methods") ?? "ES256,RS256,client_secret_basic").split(",") as Method[];
const DATABASES = (["sqlite", "postgresql"] as const).filter((d) => !(flag("sqlite-only") && d !== "sqlite") && !(flag("pg-only") && d !== "postgresql"));
const SERVERS = (["token", "app", "route"] as const).filter((s) => !option("server") || option("server") === s);
const BASE_PORT = Number(option("port") ?? 3300);
const PROFILE = !flag("no-profile");
const KEEP = flag("keep");
const MAX_REQUESTS_PER_CELL = 80_000;

// the issuer is configuration, never derived from requests: the assertions' aud must equal it
const ISSUER = "https://keyshift-bench.test";
const MASTER_KEY = crypto.randomBytes(32).toString("hex");
process.env.KEYSHIFT_ISSUER = ISSUER;
process.env.KEYSHIFT_MASTER_KEY = MASTER_KEY;
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.LOG_LEVEL ??= "warn";

// targets at concurrency 16, ES256 (the issue)
const P99_TARGET_MS = 25;
const RATIO_TARGET: Record<string, number> = { "token/sqlite": 0.3, "token/postgresql": 0.2, "app/sqlite": 0.15, "app/postgresql": 0.15, "route/sqlite": 0.15, "route/postgresql": 0.15 };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-bench-token-"));
const pgBase = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const pgName = `keyshift_bench_${crypto.randomBytes(4).toString("hex")}`;
// servers, each in its own process group (stopped by group); the generator is stopped by its pid
const children = new Set<ChildProcess>();
let generatorProcess: ChildProcess | undefined;

function say(text: string): void {
  process.stderr.write(`bench:token: ${text}\n`);
}

// ---- the crypto ceiling ---------------------------------------------------------------------------

const CEILING_SOURCE = `
const crypto = require("node:crypto");
const { parentPort, workerData } = require("node:worker_threads");
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
const client = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const server = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const now = Math.floor(Date.now() / 1000);
// a client assertion as the benchmark sends it, and an access token as the endpoint issues it
const assertionInput = Buffer.from(b64({ alg: "ES256", kid: "bench-es256", typ: "JWT" }) + "." + b64({ iss: "bench-es256", sub: "bench-es256", aud: "https://keyshift-bench.test", iat: now, exp: now + 240, jti: crypto.randomUUID() }));
const assertionSig = crypto.sign("sha256", assertionInput, { key: client.privateKey, dsaEncoding: "ieee-p1363" });
const tokenHeader = b64({ alg: "ES256", kid: "Vh3b6kq2c8e0yJtBqk1mU7cZrX9dG4sLwN5pA2fHjE0", typ: "at+jwt" });
parentPort.once("message", () => {
  let ops = 0;
  const start = performance.now();
  const end = start + workerData.ms;
  while (performance.now() < end) {
    for (let i = 0; i < 20; i++) {
      if (!crypto.verify("sha256", assertionInput, { key: client.publicKey, dsaEncoding: "ieee-p1363" }, assertionSig)) throw new Error("verify failed");
      const claims = b64({ client_id: "bench-es256", scope: "read write", iss: "https://keyshift-bench.test", sub: "bench-es256", aud: "https://keyshift-bench.test", jti: crypto.randomBytes(16).toString("base64url"), iat: now, exp: now + 600 });
      const input = tokenHeader + "." + claims;
      const token = input + "." + crypto.sign("sha256", Buffer.from(input), { key: server.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url");
      if (token.length < 100) throw new Error("short token");
      ops++;
    }
  }
  parentPort.postMessage({ ops, ms: performance.now() - start });
});
parentPort.postMessage("ready");
`;

/**
 * verify one ES256 assertion + sign one ES256 token: how many per second on `threads` threads at once,
 * and the CPU time one costs (which other work on the machine does not change).
 */
async function cryptoCeiling(threads: number, ms: number): Promise<{ perSecond: number; cpuUsPerOp: number }> {
  const workers = Array.from({ length: threads }, () => new Worker(CEILING_SOURCE, { eval: true, workerData: { ms } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
  const cpu = process.cpuUsage();
  const results = await Promise.all(
    workers.map(
      (w) =>
        new Promise<{ ops: number; ms: number }>((resolve, reject) => {
          w.once("message", resolve);
          w.once("error", reject);
          w.postMessage("go");
        }),
    ),
  );
  const used = process.cpuUsage(cpu);
  await Promise.all(workers.map((w) => w.terminate()));
  const ops = results.reduce((sum, r) => sum + r.ops, 0);
  return { perSecond: results.reduce((sum, r) => sum + r.ops / (r.ms / 1000), 0), cpuUsPerOp: (used.user + used.system) / ops };
}

/**
 * The ceiling beside a target cell, once the server has settled (its last events flushed, the database
 * quiet), so what the cell left running does not lower it; the higher of the two around a cell is used.
 */
async function idleCeiling(cores: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, CELL_SETTLE_MS));
  return (await cryptoCeiling(cores, CELL_CEILING_MS)).perSecond;
}

// ---- databases --------------------------------------------------------------------------------------

function migrate(url: string): void {
  execFileSync(tsxBin, [path.join(root, "scripts", "db.ts"), "migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "inherit"] });
}

async function createPgDatabase(): Promise<string> {
  const admin = new PgClient({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${pgName}"`);
  await admin.end();
  const url = new URL(pgBase);
  url.pathname = `/${pgName}`;
  return url.toString();
}

async function dropPgDatabase(): Promise<void> {
  const admin = new PgClient({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`).catch(() => admin.query(`DROP DATABASE IF EXISTS "${pgName}"`));
  await admin.end();
}

type Seeded = { setup: LoadSetup; clientDbIds: Record<Method, string> };

/**
 * Clients through the domain functions: an ES256 client, an RS256 client (each with its key registered
 * through the inline JWKS path and switched to private_key_jwt on the row, as the test fixtures do until
 * the migration step exists), a client_secret_basic client, and some bystanders so the tables are not
 * trivially small. Also the server's signing keys.
 */
async function seed(url: string): Promise<Seeded> {
  process.env.DATABASE_URL = url;
  const { SYSTEM } = await import("../lib/auth/actor");
  const { createTeam } = await import("../lib/teams/commands");
  const { createClient } = await import("../lib/clients/commands");
  const { addKeys } = await import("../lib/keys/lifecycle");
  const { db } = await import("../lib/db");
  const { ensureServerKeys } = await import("../lib/oauth/server-keys");
  const actor = { ...SYSTEM, name: "bench" };
  const team = await createTeam(actor, { name: "Benchmark" });
  const input = (clientId: string) => ({
    clientId,
    name: `Benchmark ${clientId}`,
    environment: "production",
    ownerTeamId: team.id,
    contactEmail: "bench@example.test",
    authMethod: "client_secret_basic",
    grantTypes: ["client_credentials"],
    scopes: ["read", "write"],
  });
  for (let i = 0; i < 40; i++) await createClient(actor, input(`bystander-${i}`));
  const jwt: Partial<LoadSetup["jwt"]> = {};
  const clientDbIds: Partial<Record<Method, string>> = {};
  for (const alg of ["ES256", "RS256"] as const) {
    const pair = alg === "ES256" ? crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }) : crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = `bench-${alg.toLowerCase()}`;
    const created = await createClient(actor, input(`bench-${alg.toLowerCase()}`));
    const publicJwk = { ...pair.publicKey.export({ format: "jwk" }), kid, alg, use: "sig" };
    await addKeys(actor, created.id, { kind: "jwks", text: JSON.stringify({ keys: [publicJwk] }) });
    await db().client.update({ where: { id: created.id }, data: { authMethod: "private_key_jwt", acceptedMethods: "private_key_jwt" } });
    jwt[alg] = { clientId: created.clientId, kid, privateKeyPem: pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString() };
    clientDbIds[alg] = created.id;
  }
  const secretClient = await createClient(actor, input("bench-secret-basic"));
  // the journal mode is stored in the database file, so the servers started later use it too
  clientDbIds.client_secret_basic = secretClient.id;
  await ensureServerKeys();
  return {
    setup: { issuer: ISSUER, jwt: jwt as LoadSetup["jwt"], basic: { clientId: secretClient.clientId, secret: secretClient.secret!.secret } },
    clientDbIds: clientDbIds as Record<Method, string>,
  };
}

/** What the endpoint's database work costs in this process with nothing else running: µs per operation. */
async function databaseCosts(es256ClientDbId: string): Promise<Record<string, number>> {
  const { db, disconnect } = await import("../lib/db");
  const { reserveJti } = await import("../lib/oauth/replay");
  const { assertionKeys } = await import("../lib/oauth/client-auth");
  const time = async (n: number, fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await fn(-i - 1);
    const start = performance.now();
    for (let i = 0; i < n; i++) await fn(i);
    return ((performance.now() - start) * 1000) / n;
  };
  const expires = new Date(Date.now() + 60_000);
  const tag = crypto.randomBytes(4).toString("hex");
  const costs: Record<string, number> = {
    "client row (findUnique)": await time(500, () => db().client.findUnique({ where: { clientId: "bench-es256" }, select: { id: true, clientId: true, status: true, acceptedMethods: true, grantTypes: true, scopes: true, resources: true, introspection: true, audienceCompat: true } })),
    "client keys (findMany)": await time(500, () => assertionKeys(es256ClientDbId)),
    "jti reservation (committed insert)": await time(300, (i) => reserveJti(es256ClientDbId, `cost-${tag}-${i}`, expires)),
    "auth event (per event, batches of 200)": (await time(5, () => db().authEvent.createMany({ data: Array.from({ length: 200 }, () => ({ at: new Date(), endpoint: "token", clientDbId: es256ClientDbId, clientId: "bench-es256", method: "private_key_jwt", outcome: "success", reason: null, kid: "bench-es256", secretHint: null, audienceForm: "issuer", address: "127.0.0.1" })) }))) / 200,
  };
  await disconnect();
  return costs;
}

// ---- servers ----------------------------------------------------------------------------------------

function get(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: urlPath, timeout: 2000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
  });
}

async function waitUntilServing(port: number, child: ChildProcess, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${log}`);
    if ((await get(port, "/.well-known/jwks.json")) === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer on port ${port} within ${timeoutMs / 1000} s; see ${log}`);
}

type Server = (typeof SERVERS)[number];
const SERVER_NAME: Record<Server, string> = { token: "token server", app: "the app (npm start)", route: "the Next.js route handler alone (next start)" };
const TARGET_LABEL: Record<Server, string> = { token: "token server", app: "app", route: "Next.js route" };
type Running = { child: ChildProcess; port: number; log: string };

function startChild(command: string, argv: string[], env: Record<string, string | undefined>, log: string, ipc = false): ChildProcess {
  const out = fs.openSync(log, "a");
  // its own process group, so stopping it also stops what it started (tsx, next)
  const stdio: StdioOptions = ipc ? ["ignore", out, out, "ipc"] : ["ignore", out, out];
  const child: ChildProcess = spawn(command, argv, { cwd: root, env: env as NodeJS.ProcessEnv, stdio, detached: true });
  fs.closeSync(out);
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

async function startServer(server: Server, dbUrl: string, port: number, profiled = false): Promise<Running> {
  const log = path.join(tmp, `${server}-${port}-${Date.now()}.log`);
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: dbUrl, KEYSHIFT_ISSUER: ISSUER, KEYSHIFT_MASTER_KEY: MASTER_KEY, NODE_ENV: "production" };
  let child: ChildProcess;
  if (server === "token") {
    const script = profiled ? path.join(root, "scripts", "bench", "token-server-profiled.ts") : path.join(root, "scripts", "token-server.ts");
    // the profiled run is one process, so the profile holds every request
    child = startChild(process.execPath, ["--import", "tsx", script], { ...env, TOKEN_PORT: String(port), TOKEN_WORKERS: profiled ? "1" : TOKEN_WORKERS }, log, profiled);
  } else if (server === "app") {
    // npm start's path: builds into .next when there is no build or the sources are newer, then scripts/app-server.ts
    child = startChild(tsxBin, [path.join(root, "scripts", "start.ts")], { ...env, PORT: String(port), NEXTAUTH_URL: `http://127.0.0.1:${port}` }, log);
  } else {
    // the same build under plain `next start`: every request, the token endpoint's too, goes through Next.js's router
    if (needsBuild()) {
      const out = fs.openSync(log, "a");
      try {
        execFileSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", out, out] });
      } finally {
        fs.closeSync(out);
      }
    }
    child = startChild(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(port)], { ...env, NEXTAUTH_URL: `http://127.0.0.1:${port}` }, log);
  }
  await waitUntilServing(port, child, log, server === "token" ? 60_000 : 300_000);
  return { child, port, log };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

// ---- the load generator -----------------------------------------------------------------------------

class Generator {
  private readonly child: ChildProcess;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: CellResult) => void; reject: (e: Error) => void }>();
  private ready?: () => void;

  constructor() {
    this.child = fork(path.join(root, "scripts", "bench", "token-load.ts"), [], { cwd: root, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    generatorProcess = this.child;
    this.child.on("message", (m: { type: string; id?: number; result?: CellResult; error?: string }) => {
      if (m.type === "ready") this.ready?.();
      const pending = m.id !== undefined ? this.waiting.get(m.id) : undefined;
      if (!pending) return;
      this.waiting.delete(m.id!);
      if (m.type === "result") pending.resolve(m.result!);
      else pending.reject(new Error(`load generator: ${m.error}`));
    });
    this.child.on("exit", (code) => {
      generatorProcess = undefined;
      for (const p of this.waiting.values()) p.reject(new Error(`load generator exited (${code})`));
    });
  }

  setup(setup: LoadSetup): Promise<void> {
    return new Promise((resolve) => {
      this.ready = resolve;
      this.child.send({ type: "setup", setup });
    });
  }

  run(cell: CellRequest): Promise<CellResult> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ type: "cell", id, cell });
    });
  }

  close(): void {
    if (this.child.connected) this.child.send({ type: "exit" });
  }
}

// ---- the profile --------------------------------------------------------------------------------------

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const CATEGORY_RULES: [string, (url: string, fn: string) => boolean][] = [
  ["authentication events (lib/oauth/events.ts)", (u) => u.includes("lib/oauth/events")],
  ["assertion verify (jose)", (u) => /jose\/dist\/.*(verify|jws\/flattened\/verify|jws\/compact\/verify|check_key_type|validate_crit)/.test(u)],
  ["token sign (jose SignJWT)", (u) => /jose\/dist\/.*(sign|produce)/.test(u)],
  ["jose (other: base64, key import, checks)", (u) => u.includes("/jose/")],
  ["signature checks and token signing (node:crypto, inline)", (u) => u.startsWith("node:internal/crypto")],
  ["SQLite (better-sqlite3 + Prisma adapter; includes waiting for fsync)", (u) => u.includes("better-sqlite3")],
  ["pg driver (pg, pg-protocol, adapter-pg)", (u) => /\/(pg|pg-protocol|pg-pool|pg-types|adapter-pg)\//.test(u)],
  ["Prisma client (query compiler/interpreter, result mapping)", (u) => u.includes("@prisma/") || u.includes("lib/db/generated") || u.includes("/prisma/")],
  ["Keyshift code (lib/: endpoint rules, parsing, secret hashing, config)", (u) => u.includes(`${root}/lib/`)],
  ["HTTP server + sockets (node:http, net, streams)", (u) => /^node:(_http|http|net|internal\/(http|streams|stream_base|net|url|dns)|stream|events|internal\/timers|timers)/.test(u) || u.includes("scripts/token-server")],
  ["logging (pino)", (u) => u.includes("/pino")],
  ["text encoding and buffers (TextEncoder/Decoder, Buffer)", (u) => /^node:(buffer|internal\/(encoding|buffer))/.test(u)],
  ["Next.js framework", (u) => u.includes("/next/")],
  ["microtasks / promises / async hooks", (u) => /^node:internal\/(process\/task_queues|async_hooks|process\/promises)/.test(u)],
  ["Prisma query compiler (WebAssembly, once per query)", (u) => u.startsWith("wasm:")],
  ["module loading (tsx, node:internal/modules)", (u) => u.includes("/tsx/") || u.startsWith("node:internal/modules")],
];

/**
 * Where the main thread's time goes: each sample is charged to the first frame, from the leaf up, that a
 * rule recognises; native leaves (no url) are charged to their caller, except JSON and GC. The profiled
 * server checks signatures and signs inline, as each worker of the default (a worker per core) does, so
 * that work is in the profile.
 */
function summariseProfile(profile: Profile): { totalMs: number; idleMs: number; categories: [string, number][]; top: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0)));
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id)!;
    const name = leaf.callFrame.functionName;
    if (name === "(idle)") {
      idle += us;
      continue;
    }
    total += us;
    const where = leaf.callFrame.url ? `${leaf.callFrame.url.replace(/^.*node_modules\//, "").replace(root + "/", "").replace(/^file:\/\//, "")}:${leaf.callFrame.lineNumber + 1}` : "(native)";
    const label = `${name || "(anonymous)"} ${where}`;
    functions.set(label, (functions.get(label) ?? 0) + us);
    let category: string | undefined;
    if (name === "(garbage collector)") category = "garbage collection";
    else if (name === "(program)") category = "V8/native outside JS (program)";
    else if (!leaf.callFrame.url && /^(parse|stringify)$/.test(name)) category = "JSON parse/stringify";
    for (let n: ProfileNode | undefined = leaf; !category && n; n = parent.has(n.id) ? byId.get(parent.get(n.id)!) : undefined) {
      const url = n.callFrame.url.replace(/^file:\/\//, "");
      if (!url) continue;
      category = CATEGORY_RULES.find(([, test]) => test(url, n!.callFrame.functionName))?.[0];
      if (!category && url) category = `other: ${url.replace(/^.*node_modules\//, "").split("/").slice(0, 2).join("/")}`;
    }
    category ??= "other (native, no JS caller)";
    categories.set(category, (categories.get(category) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / 1000] as [string, number]);
  return { totalMs: total / 1000, idleMs: idle / 1000, categories: sorted(categories), top: sorted(functions).slice(0, 20) };
}

// ---- output -----------------------------------------------------------------------------------------

type Row = { server: Server; db: string; method: Method; concurrency: number; result: CellResult; cellCeiling?: number };

const pad = (v: string | number, n: number) => String(v).padStart(n);
const padEnd = (v: string | number, n: number) => String(v).padEnd(n);
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
const pct = (cpuMs: number | null, wallMs: number) => (cpuMs === null ? "-" : `${Math.round((cpuMs / wallMs) * 100)}%`);

function rowLine(r: Row): string {
  const x = r.result;
  const rate = x.requests / (x.elapsedMs / 1000);
  const notes = [x.poolExhausted ? "pool ran out" : "", x.nonOk ? `NON-200: ${JSON.stringify(x.statusCounts)}` : "", x.warmup.nonOk ? `warm-up non-200: ${x.warmup.nonOk}` : "", x.checkedTokenShape || !x.requests ? "" : "no access_token in a 200"].filter(Boolean).join("; ");
  return [
    padEnd(r.server, 6),
    padEnd(r.db, 10),
    padEnd(r.method, 19),
    pad(r.concurrency, 4),
    pad(Math.round(rate), 7),
    pad(f1(x.latenciesMs.p50), 7),
    pad(f1(x.latenciesMs.p99), 7),
    pad(pct(x.cpu.serverMs, x.elapsedMs), 7),
    pad(pct(x.cpu.dbMs, x.elapsedMs), 6),
    pad(pct(x.cpu.generatorMs, x.elapsedMs), 6),
    pad(pct(x.cpu.otherMs, x.elapsedMs), 6),
    pad(x.requests ? Math.round(((x.cpu.serverMs + (x.cpu.dbMs ?? 0)) * 1000) / x.requests) : "-", 7),
    pad(x.requests, 7),
    pad(x.nonOk, 5),
    notes ? `  ${notes}` : "",
  ].join(" ");
}

const HEADER = [padEnd("server", 6), padEnd("db", 10), padEnd("method", 19), pad("conc", 4), pad("req/s", 7), pad("p50 ms", 7), pad("p99 ms", 7), pad("srv CPU", 7), pad("db CPU", 6), pad("gen CPU", 6), pad("other", 6), pad("µs/req", 7), pad("reqs", 7), pad("!200", 5)].join(" ");

// ---- main -------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const cores = os.availableParallelism();
  say(`${cores} cores, cells of ${DURATION_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up; scratch files in ${tmp}`);

  // the ceiling first, with nothing else running
  const loadBefore = os.loadavg()[0];
  const ceilingFirst = await cryptoCeiling(cores, CEILING_MS);
  const ceilingOne = await cryptoCeiling(1, Math.min(CEILING_MS, 2000));
  say(`crypto ceiling: ${Math.round(ceilingFirst.perSecond)} verify+sign/s on ${cores} threads (${Math.round(ceilingOne.perSecond)}/s on one); load average ${loadBefore.toFixed(2)}`);

  const generator = new Generator();
  const rows: Row[] = [];
  const notes: string[] = [];
  const costs: Record<string, Record<string, number>> = {};
  const profileTexts: string[] = [];

  for (const database of DATABASES) {
    const url = database === "sqlite" ? `file:${path.join(tmp, "bench.db")}` : await createPgDatabase();
    say(`${database}: migrating and seeding`);
    migrate(url);
    const seeded = await seed(url);
    costs[database] = await databaseCosts(seeded.clientDbIds.ES256);
    await generator.setup(seeded.setup);

    for (const server of SERVERS) {
      const port = BASE_PORT + (server === "token" ? 0 : 1);
      say(`${database}: starting ${SERVER_NAME[server]} on ${port}`);
      const buildId = path.join(root, ".next", "BUILD_ID");
      const builtBefore = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
      const t0 = Date.now();
      const running = await startServer(server, url, port);
      if (server !== "token" && fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs !== builtBefore) notes.push(`next build ran before the ${database} cells (${Math.round((Date.now() - t0) / 1000)} s including start)`);
      try {
        // the route handler alone is a comparison for the app: one cell, the targets' own
        for (const method of server === "route" ? METHODS.filter((m) => m === "ES256") : METHODS) {
          for (const concurrency of server === "route" ? CONCURRENCY.filter((c) => c === 16) : CONCURRENCY) {
            const targetCell = method === "ES256" && concurrency === 16;
            const before = targetCell ? await idleCeiling(cores) : undefined;
            const result = await generator.run({ port, method, concurrency, warmupMs: WARMUP_MS, durationMs: DURATION_MS, serverPid: running.child.pid!, pgDatabase: database === "postgresql" ? pgName : undefined, maxRequests: MAX_REQUESTS_PER_CELL });
            const after = targetCell ? await idleCeiling(cores) : undefined;
            const row: Row = { server, db: database, method, concurrency, result, cellCeiling: before && after ? Math.max(before, after) : undefined };
            rows.push(row);
            say(rowLine(row));
            for (const sample of [...result.errorSamples, ...result.warmup.errorSamples].slice(0, 3)) say(`  non-200 sample: ${sample}`);
          }
        }
        if (server === "app") {
          // Next.js's floor: a GET that writes nothing and signs nothing, through Next.js's router in the same server
          const result = await generator.run({ port, method: "jwks_get", concurrency: 16, warmupMs: WARMUP_MS, durationMs: DURATION_MS, serverPid: running.child.pid!, maxRequests: MAX_REQUESTS_PER_CELL });
          const row = { server, db: database, method: "jwks_get" as const, concurrency: 16, result };
          rows.push(row);
          say(rowLine(row));
        }
      } finally {
        await stop(running.child);
      }
    }

    if (PROFILE && SERVERS.includes("token")) {
      say(`${database}: profiling the token server on ES256 at concurrency 16`);
      const port = BASE_PORT + 2;
      const running = await startServer("token", url, port, true);
      try {
        const cell: CellRequest = { port, method: "ES256", concurrency: 16, warmupMs: WARMUP_MS, durationMs: Math.max(1000, DURATION_MS / 2), serverPid: running.child.pid!, maxRequests: MAX_REQUESTS_PER_CELL };
        const warm = await generator.run(cell);
        const message = (type: string) => new Promise<void>((resolve) => running.child.on("message", (m: { type: string }) => m.type === type && resolve()));
        const file = path.join(tmp, `token-server-${database}-es256-c16.cpuprofile`);
        const startedProfile = message("profile-started");
        running.child.send({ type: "profile-start", intervalUs: 250 });
        await startedProfile;
        const profiled = await generator.run({ ...cell, warmupMs: 0, durationMs: DURATION_MS, expectedRate: warm.requests / (warm.elapsedMs / 1000) });
        const written = message("profile-written");
        running.child.send({ type: "profile-stop", file });
        await written;
        const summary = summariseProfile(JSON.parse(fs.readFileSync(file, "utf8")) as Profile);
        const lines = [
          `Profile: token server, ${database === "sqlite" ? "SQLite" : "PostgreSQL"}, ES256, concurrency 16 (${Math.round(profiled.requests / (profiled.elapsedMs / 1000))} req/s under the profiler, ${Math.round(warm.requests / (warm.elapsedMs / 1000))} without;`,
          `server process CPU ${pct(profiled.cpu.serverMs, profiled.elapsedMs)} of one core, of which the main thread's profile holds ${Math.round(summary.totalMs)} ms busy in ${Math.round(profiled.elapsedMs)} ms;`,
          `per request: ${f1((profiled.cpu.serverMs * 1000) / Math.max(1, profiled.requests))} µs process CPU, ${f1((summary.totalMs * 1000) / Math.max(1, profiled.requests))} µs main-thread busy)`,
          `  main-thread time by category (one worker, as each of TOKEN_WORKERS=auto runs: signatures inline):`,
          ...summary.categories.map(([k, ms]) => `    ${pad(f1((ms / summary.totalMs) * 100), 5)}%  ${pad(f1((ms * 1000) / Math.max(1, profiled.requests)), 6)} µs/req  ${k}`),
          `  top functions by self time:`,
          ...summary.top.map(([k, ms]) => `    ${pad(f1((ms / summary.totalMs) * 100), 5)}%  ${k}`),
          `  profile file: ${file}${KEEP ? "" : " (removed at the end; --keep keeps it)"}`,
        ];
        profileTexts.push(lines.join("\n"));
      } finally {
        await stop(running.child);
      }
    }
    if (database === "postgresql" && !KEEP) await dropPgDatabase();
  }
  generator.close();
  // once more at the end: other work on the machine lowers a single measurement, so the better one counts
  const ceilingLast = await cryptoCeiling(cores, CEILING_MS);
  const ceiling = Math.max(ceilingFirst.perSecond, ceilingLast.perSecond);
  const cryptoUs = Math.min(ceilingFirst.cpuUsPerOp, ceilingLast.cpuUsPerOp, ceilingOne.cpuUsPerOp);

  // ---- the report
  const out: string[] = [];
  out.push("", `Token endpoint benchmark (${cores} cores, Node ${process.version}; token server workers: ${TOKEN_WORKERS}; ${DURATION_MS / 1000} s per cell after ${WARMUP_MS / 1000} s warm-up)`,
    `CPU columns: % of one core over the timed run (${cores * 100}% is the whole machine); srv = the server's process tree, db = the PostgreSQL backends of the benchmark database, gen = the load generator, other = everything else on the machine; µs/req = server + db CPU per request.`, "", HEADER, "-".repeat(HEADER.length));
  for (const r of rows) out.push(rowLine(r));
  const bad = rows.filter((r) => r.result.nonOk || r.result.warmup.nonOk);
  out.push("", bad.length ? `NON-200 ANSWERS in ${bad.length} cell(s): those figures are not valid.` : `Every answer in every cell (warm-up included) was 200 with an access token (jwks_get: with the JWKS).`);
  out.push(
    "",
    `Crypto ceiling (raw node:crypto, ES256 verify of an assertion + ES256 sign of a token, ${cores} worker threads): ${Math.round(ceiling)}/s`,
    `  (${Math.round(ceilingFirst.perSecond)}/s at the start, ${Math.round(ceilingLast.perSecond)}/s at the end; one thread alone: ${Math.round(ceilingOne.perSecond)}/s; load average ${loadBefore.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end).`,
    `  One verify+sign costs ${f1(cryptoUs)} µs of CPU, so on an otherwise idle machine the ceiling is about ${Math.round((cores * 1e6) / cryptoUs)}/s.`,
  );
  out.push("", "Targets at concurrency 16, ES256:");
  for (const server of SERVERS) {
    for (const database of DATABASES) {
      const r = rows.find((x) => x.server === server && x.db === database && x.method === "ES256" && x.concurrency === 16);
      if (!r) continue;
      const rate = r.result.requests / (r.result.elapsedMs / 1000);
      // judged against the ceiling measured around the cell; the run's ceiling is shown beside it
      const cellCeiling = r.cellCeiling ?? ceiling;
      const ratio = rate / cellCeiling;
      const target = RATIO_TARGET[`${server}/${database}`];
      const p99 = r.result.latenciesMs.p99;
      const ok = ratio >= target && p99 < P99_TARGET_MS && !r.result.nonOk;
      const cpuPerRequest = ((r.result.cpu.serverMs + (r.result.cpu.dbMs ?? 0)) * 1000) / Math.max(1, r.result.requests);
      out.push(
        `  ${padEnd(TARGET_LABEL[server], 13)} ${padEnd(database, 10)} ${pad(Math.round(rate), 6)} req/s = ${pad(f1(ratio * 100), 5)}% of ceiling (target ≥ ${target * 100}%), p99 ${f1(p99)} ms (target < ${P99_TARGET_MS})  ${ok ? "MET" : "NOT MET"}`,
        `  ${" ".repeat(24)} the ceiling around this cell ${Math.round(cellCeiling)}/s; against the run's ceiling (${Math.round(ceiling)}/s) ${f1((rate / ceiling) * 100)}%`,
        `  ${" ".repeat(24)} CPU per request ${Math.round(cpuPerRequest)} µs (server + db) = ${f1(cpuPerRequest / cryptoUs)} × the raw crypto: at most ${f1((cryptoUs / cpuPerRequest) * 100)}% of the ceiling even with every core to itself`,
      );
      const floor = rows.find((x) => x.server === server && x.db === database && x.method === "jwks_get");
      if (floor) {
        const floorRate = floor.result.requests / (floor.result.elapsedMs / 1000);
        out.push(
          `  ${" ".repeat(24)} Next.js's floor in the same server, GET /.well-known/jwks.json through its router (no database write, no crypto): ${Math.round(floorRate)} req/s = ${f1((floorRate / cellCeiling) * 100)}% of the ceiling, ${Math.round((floor.result.cpu.serverMs * 1000) / Math.max(1, floor.result.requests))} µs of server CPU per request`,
        );
      }
    }
  }
  out.push("", "Database work per request, measured alone in one process (µs per operation):");
  for (const [database, c] of Object.entries(costs)) out.push(`  ${padEnd(database, 10)} ${Object.entries(c).map(([k, us]) => `${k} ${Math.round(us)}`).join(", ")}`);
  for (const text of profileTexts) out.push("", text);
  for (const n of notes) out.push("", `Note: ${n}.`);
  out.push("", `Total run time ${Math.round((Date.now() - started) / 1000)} s.`);
  process.stdout.write(out.join("\n") + "\n");
}

async function cleanup(): Promise<void> {
  if (generatorProcess && generatorProcess.exitCode === null) generatorProcess.kill("SIGTERM");
  await Promise.all([...children].map((c) => stop(c)));
  if (!KEEP) {
    if (DATABASES.includes("postgresql")) await dropPgDatabase().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  } else say(`kept: ${tmp}${DATABASES.includes("postgresql") ? ` and PostgreSQL database ${pgName}` : ""}`);
}

process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));

main()
  .then(cleanup)
  .then(() => process.exit(0))
  .catch(async (error) => {
    say(error instanceof Error ? (error.stack ?? error.message) : String(error));
    await cleanup();
    process.exit(1);
  });
