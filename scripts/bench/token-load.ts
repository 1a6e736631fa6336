// The load generator of `npm run bench:token`, run as its own process (forked by scripts/bench-token.ts)
// so its CPU is neither the server's nor the orchestrator's. One cell at a time, on request over IPC:
//   1. warm-up: a small pre-signed pool at the cell's concurrency, which also estimates the rate;
//   2. pre-signs the timed pool (worker threads, every core) sized from that rate: each request gets a
//      fresh assertion with its own jti, all signed before the clock starts;
//   3. the timed run: `concurrency` request loops, each on its own keep-alive connection sending
//      pre-built request bytes, for `durationMs` (or until the pool runs out), with every latency, every
//      non-200 answer, and the CPU time of this process, of the server's process tree and of the
//      PostgreSQL backends serving the benchmark database.
// Only loopback addresses are ever targeted.
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import { Worker } from "node:worker_threads";

/** The token request's client authentication; "jwks_get" is GET /.well-known/jwks.json, a route that does no database write and no crypto (the server's floor). */
export type Method = "ES256" | "RS256" | "client_secret_basic" | "jwks_get";

export type LoadSetup = {
  issuer: string;
  /** per assertion method: the client_id, kid and PKCS#8 PEM private key */
  jwt: Record<"ES256" | "RS256", { clientId: string; kid: string; privateKeyPem: string }>;
  basic: { clientId: string; secret: string };
};

export type CellRequest = {
  port: number;
  method: Method;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** the root of the server's process tree, whose CPU is measured */
  serverPid: number;
  /** PostgreSQL database name whose backends' CPU is measured (none for SQLite) */
  pgDatabase?: string;
  /** upper bound on the timed pool */
  maxRequests: number;
  /** without a warm-up (warmupMs 0), the rate to size the pool for */
  expectedRate?: number;
};

export type CellResult = {
  requests: number;
  elapsedMs: number;
  poolExhausted: boolean;
  latenciesMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  nonOk: number;
  statusCounts: Record<string, number>;
  errorSamples: string[];
  warmup: { requests: number; nonOk: number; rate: number; errorSamples: string[] };
  /** CPU ms in the timed run; `otherMs`: the rest of the machine (other processes, the kernel) */
  cpu: { generatorMs: number; serverMs: number; dbMs: number | null; otherMs: number };
  signMs: number;
  checkedTokenShape: boolean;
};

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// assertions are used within a minute of signing; the endpoint allows at most 300 s of lifetime
const ASSERTION_LIFETIME_S = 240;

// ---- pre-signing on every core: plain node:crypto, the way a well-behaved client signs -------------

const SIGNER_SOURCE = `
const crypto = require("node:crypto");
const { parentPort, workerData } = require("node:worker_threads");
const key = crypto.createPrivateKey(workerData.privateKeyPem);
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
const header = b64({ alg: workerData.alg, kid: workerData.kid, typ: "JWT" });
const prefix = "grant_type=client_credentials&client_assertion_type=" + encodeURIComponent(workerData.assertionType) + "&client_assertion=";
parentPort.on("message", ({ count, seed }) => {
  const now = Math.floor(Date.now() / 1000);
  const bodies = new Array(count);
  for (let i = 0; i < count; i++) {
    const claims = { iss: workerData.clientId, sub: workerData.clientId, aud: workerData.issuer, iat: now, exp: now + workerData.lifetime, jti: seed + "-" + i + "-" + crypto.randomBytes(9).toString("base64url") };
    const input = header + "." + b64(claims);
    const signature = workerData.alg === "ES256"
      ? crypto.sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" })
      : crypto.sign("sha256", Buffer.from(input), key);
    bodies[i] = prefix + input + "." + signature.toString("base64url");
  }
  parentPort.postMessage(bodies);
});
`;

let setup: LoadSetup | undefined;
const signers = new Map<string, Worker[]>();

function signerPool(alg: "ES256" | "RS256"): Worker[] {
  let pool = signers.get(alg);
  if (!pool) {
    const s = setup!.jwt[alg];
    const data = { alg, kid: s.kid, clientId: s.clientId, privateKeyPem: s.privateKeyPem, issuer: setup!.issuer, assertionType: ASSERTION_TYPE, lifetime: ASSERTION_LIFETIME_S };
    pool = Array.from({ length: os.availableParallelism() }, () => new Worker(SIGNER_SOURCE, { eval: true, workerData: data }));
    for (const w of pool) w.unref();
    signers.set(alg, pool);
  }
  return pool;
}

let batchSeq = 0;
async function presign(alg: "ES256" | "RS256", count: number): Promise<string[]> {
  const pool = signerPool(alg);
  const share = Math.ceil(count / pool.length);
  const parts = await Promise.all(
    pool.map(
      (w, i) =>
        new Promise<string[]>((resolve) => {
          w.once("message", resolve);
          w.postMessage({ count: Math.max(0, Math.min(share, count - i * share)), seed: `${process.pid}-${++batchSeq}-${i}` });
        }),
    ),
  );
  return parts.flat();
}

// ---- CPU time from /proc (clock ticks, 100 per second on Linux) ------------------------------------

const TICK_MS = 10;

function readStat(pid: number): { ppid: number; ticks: number; start: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name is in parentheses and may contain spaces: fields start after the last ")"
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), start: Number(fields[19]) };
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number);
}

/** Every process in the tree rooted at `root`, plus the PostgreSQL backends of `database`. */
function processSets(root: number, database?: string): { server: number[]; db: number[] } {
  const parents = new Map<number, number>();
  const pids = allPids();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) parents.set(pid, stat.ppid);
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = parents.get(p), hops++) if (p === root) return true;
    return false;
  };
  const server = pids.filter(inTree);
  const db: number[] = [];
  if (database) {
    for (const pid of pids) {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        // a backend's title: "postgres: 15/main: postgres <database> 127.0.0.1(port) idle"
        if (cmd.startsWith("postgres: ") && cmd.includes(` ${database} `)) db.push(pid);
      } catch {
        // gone meanwhile
      }
    }
  }
  return { server, db };
}

/** Busy CPU ms of the whole machine so far (every core; idle and iowait excluded). */
function machineBusyMs(): number {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + (steal ?? 0)) * TICK_MS;
}

type Snapshot = Map<number, { ticks: number; start: number }>;
function snapshot(pids: number[]): Snapshot {
  const map: Snapshot = new Map();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) map.set(pid, { ticks: stat.ticks, start: stat.start });
  }
  return map;
}

/** CPU ms between two snapshots; a process that appeared meanwhile counts whole. */
function cpuBetween(before: Snapshot, after: Snapshot): number {
  let ticks = 0;
  for (const [pid, end] of after) {
    const begin = before.get(pid);
    ticks += begin && begin.start === end.start ? end.ticks - begin.ticks : end.ticks;
  }
  return ticks * TICK_MS;
}

// ---- the requests ------------------------------------------------------------------------------------

type Outcome = { status: number; body: string };
/** One request as the bytes sent on the wire: request line, headers and body, built before the clock starts. */
type Wire = Buffer;

function wire(port: number, body: string, authorization?: string): Wire {
  const head =
    `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nAccept: application/json\r\n${authorization ? `Authorization: ${authorization}\r\n` : ""}\r\n`;
  return Buffer.from(head + body, "latin1");
}

const CRLF2 = Buffer.from("\r\n\r\n");

/**
 * One keep-alive HTTP/1.1 connection that sends pre-built requests one at a time and reads each answer:
 * the status, and the body by Content-Length or chunked encoding. Far leaner than node:http's client
 * (bench:token on 2 cores measured about 140 µs of generator CPU per request through http.Agent), so
 * the generator takes less of the CPU the server is measured on; wrk-style, it does nothing per request
 * but write bytes and find the end of the answer.
 */
class Connection {
  private socket?: net.Socket;
  private ready?: Promise<void>;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting?: { resolve: (o: Outcome) => void };

  constructor(private readonly port: number) {}

  /** Connects (again, when the server closed an idle connection, as Node's 5-second keep-alive does). */
  private open(): Promise<void> {
    const socket = net.connect({ host: "127.0.0.1", port: this.port, noDelay: true });
    this.socket = socket;
    this.buffered = Buffer.alloc(0);
    const ready = new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("error", reject);
    });
    socket.on("data", (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    const fail = (why: string) => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.resolve({ status: 0, body: `network error: ${why}` });
    };
    socket.on("error", (e) => fail(e.message));
    socket.on("close", () => {
      if (this.socket === socket) {
        this.socket = undefined;
        this.ready = undefined;
      }
      fail("connection closed");
    });
    return ready;
  }

  async send(request: Wire): Promise<Outcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        await (this.ready ??= this.open());
      } catch (error) {
        this.ready = undefined;
        return { status: 0, body: `network error: ${error instanceof Error ? error.message : String(error)}` };
      }
      const socket = this.socket;
      if (socket && !socket.destroyed) {
        return new Promise((resolve) => {
          this.waiting = { resolve };
          socket.write(request);
        });
      }
      if (attempt > 0) return { status: 0, body: "network error: connection closed" };
    }
  }

  private parse(): void {
    if (!this.waiting) return;
    const end = this.buffered.indexOf(CRLF2);
    if (end < 0) return;
    const head = this.buffered.toString("latin1", 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let body: string;
    let used: number;
    if (length) {
      used = end + 4 + Number(length[1]);
      if (this.buffered.length < used) return;
      body = this.buffered.toString("utf8", end + 4, used);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parts: Buffer[] = [];
      let at = end + 4;
      for (;;) {
        const lineEnd = this.buffered.indexOf("\r\n", at);
        if (lineEnd < 0) return;
        const size = parseInt(this.buffered.toString("latin1", at, lineEnd), 16);
        if (this.buffered.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          used = lineEnd + 4;
          break;
        }
        parts.push(this.buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString("utf8");
    } else {
      body = "";
      used = end + 4;
    }
    this.buffered = this.buffered.subarray(used);
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve({ status, body });
  }

  close(): void {
    this.socket?.destroy();
  }
}

type RunStats = { count: number; latencies: Float64Array; statusCounts: Map<number, number>; samples: string[]; firstOkBody?: string; exhausted: boolean; elapsedMs: number };

/** `concurrency` loops, one connection each, sending until the deadline or until `next()` runs dry. */
async function drive(connections: Connection[], durationMs: number, next: () => Wire | undefined, capacity: number): Promise<RunStats> {
  const latencies = new Float64Array(capacity);
  const stats: RunStats = { count: 0, latencies, statusCounts: new Map(), samples: [], exhausted: false, elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (connection: Connection) => {
    while (performance.now() < deadline) {
      const request = next();
      if (!request) {
        stats.exhausted = true;
        return;
      }
      const t0 = performance.now();
      const outcome = await connection.send(request);
      const ms = performance.now() - t0;
      if (stats.count < capacity) latencies[stats.count] = ms;
      stats.count++;
      stats.statusCounts.set(outcome.status, (stats.statusCounts.get(outcome.status) ?? 0) + 1);
      if (outcome.status !== 200) {
        if (stats.samples.length < 3) stats.samples.push(`${outcome.status} ${outcome.body.slice(0, 200)}`);
      } else stats.firstOkBody ??= outcome.body;
    }
  };
  await Promise.all(connections.map(loop));
  stats.elapsedMs = performance.now() - started;
  return stats;
}

function percentiles(values: Float64Array, n: number) {
  const sorted = values.slice(0, n).sort();
  const at = (q: number) => (n ? sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] : NaN);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: n ? sorted[n - 1] : NaN, mean: n ? sum / n : NaN };
}

function basicHeader(clientId: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

/** The same request `count` times: one that needs nothing fresh per request. */
function repeat(request: Wire, count: number): () => Wire | undefined {
  let left = count;
  return () => (left-- > 0 ? request : undefined);
}

async function pool(port: number, method: Method, count: number): Promise<() => Wire | undefined> {
  if (method === "jwks_get") return repeat(Buffer.from(`GET /.well-known/jwks.json HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json\r\n\r\n`, "latin1"), count);
  if (method === "client_secret_basic") return repeat(wire(port, "grant_type=client_credentials", basicHeader(setup!.basic.clientId, setup!.basic.secret)), count);
  const requests = (await presign(method, count)).map((body) => wire(port, body));
  let i = 0;
  return () => (i < requests.length ? requests[i++] : undefined);
}

async function runCell(cell: CellRequest): Promise<CellResult> {
  const connections = Array.from({ length: cell.concurrency }, () => new Connection(cell.port));
  try {
    // warm-up: opens the connections, warms the JIT on both sides, and tells the rate to expect
    const warmPool = Math.min(cell.maxRequests, Math.max(200, cell.concurrency * 20, Math.round((cell.method === "RS256" ? 1500 : 8000) * (cell.warmupMs / 1000))));
    const empty = { count: 0, latencies: new Float64Array(0), statusCounts: new Map<number, number>(), samples: [], exhausted: false, elapsedMs: 1 };
    const warm: RunStats = cell.warmupMs > 0 ? await drive(connections, cell.warmupMs, await pool(cell.port, cell.method, warmPool), warmPool) : empty;
    const warmOk = warm.statusCounts.get(200) ?? 0;
    const rate = cell.warmupMs > 0 ? warm.count / (warm.elapsedMs / 1000) : (cell.expectedRate ?? 1000);

    // the timed pool: 4 times the warm-up rate (the JIT keeps warming, in every worker of the server;
    // other load may go), bounded
    const wanted = Math.min(cell.maxRequests, Math.ceil(rate * (cell.durationMs / 1000) * 4) + cell.concurrency * 8 + 200);
    const signStart = performance.now();
    const next = await pool(cell.port, cell.method, wanted);
    const signMs = performance.now() - signStart;

    const sets = processSets(cell.serverPid, cell.pgDatabase);
    const serverBefore = snapshot(sets.server);
    const dbBefore = snapshot(sets.db);
    const cpuBefore = process.cpuUsage();
    const machineBefore = machineBusyMs();
    const timed = await drive(connections, cell.durationMs, next, wanted);
    const cpuAfter = process.cpuUsage(cpuBefore);
    const machineMs = machineBusyMs() - machineBefore;
    // processes that appeared during the run (a new pool connection) count whole
    const later = processSets(cell.serverPid, cell.pgDatabase);
    const serverMs = cpuBetween(serverBefore, snapshot(later.server));
    const dbMs = cell.pgDatabase ? cpuBetween(dbBefore, snapshot(later.db)) : null;
    const generatorMs = (cpuAfter.user + cpuAfter.system) / 1000;

    let checkedTokenShape = false;
    try {
      const body = JSON.parse(timed.firstOkBody ?? "{}") as Record<string, unknown>;
      checkedTokenShape =
        cell.method === "jwks_get"
          ? Array.isArray(body.keys) && body.keys.length > 0
          : typeof body.access_token === "string" && body.token_type === "Bearer" && body.access_token.split(".").length === 3;
    } catch {
      checkedTokenShape = false;
    }
    const n = Math.min(timed.count, wanted);
    const ok = timed.statusCounts.get(200) ?? 0;
    return {
      requests: timed.count,
      elapsedMs: timed.elapsedMs,
      poolExhausted: timed.exhausted,
      latenciesMs: percentiles(timed.latencies, n),
      nonOk: timed.count - ok,
      statusCounts: Object.fromEntries(timed.statusCounts),
      errorSamples: timed.samples,
      warmup: { requests: warm.count, nonOk: warm.count - warmOk, rate, errorSamples: warm.samples },
      cpu: { generatorMs, serverMs, dbMs, otherMs: Math.max(0, machineMs - generatorMs - serverMs - (dbMs ?? 0)) },
      signMs,
      checkedTokenShape,
    };
  } finally {
    for (const c of connections) c.close();
  }
}

type Message = { type: "setup"; setup: LoadSetup } | { type: "cell"; id: number; cell: CellRequest } | { type: "exit" };

if (require.main === module) {
  if (!process.send) throw new Error("token-load runs as a forked child of scripts/bench-token.ts");
  process.on("message", (message: Message) => {
    if (message.type === "setup") {
      setup = message.setup;
      // new clients and keys: the signers of the previous database go
      for (const pool of signers.values()) for (const w of pool) void w.terminate();
      signers.clear();
      process.send!({ type: "ready" });
    } else if (message.type === "cell") {
      runCell(message.cell).then(
        (result) => process.send!({ type: "result", id: message.id, result }),
        (error: unknown) => process.send!({ type: "error", id: message.id, error: error instanceof Error ? error.stack : String(error) }),
      );
    } else if (message.type === "exit") {
      process.exit(0);
    }
  });
}
