// Dashboard benchmark (issue 7, "Scale"): 100,000 clients with realistic migration states, about 300,000
// secrets, 50,000 keys and 5,000,000 authentication events over the last 90 days (the default raw-event
// retention) with their daily roll-ups, on a fresh database; then the server time of the overview, each
// dashboard page and the client-list drill-downs, and a check that no query scans the raw events.
// Prints figures and whether the target (median under 500 ms per page) is met; asserts nothing.
//
//   npm run bench:dashboard                  SQLite in a temporary directory
//   npm run bench:dashboard -- --pg          also PostgreSQL (a temporary database on
//                                            postgresql://postgres@127.0.0.1:5432, or BENCH_PG_URL)
//   options: --clients N (100000)  --events N (5000000)  --runs N (5)  --keep (keep the databases)
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { Client as PgClient } from "pg";
import { loadUserActor } from "../lib/auth/guard";
import type { Actor } from "../lib/auth/actor";
import { ClientListQuerySchema } from "../lib/clients/schema";
import { listClients } from "../lib/clients/queries";
import { derivedKey } from "../lib/config";
import { db, disconnect, refreshPlannerStatistics, useWriteAheadLog } from "../lib/db";
import { dailyCounts, dayTotals, type AuthEventRow } from "../lib/db/hot-path";
import { sqliteFilePath } from "../lib/db/url";
import { overview } from "../lib/metrics/overview";
import { generateSecret, hashSecret, secretHint } from "../lib/secrets/material";
import { DAY_MS } from "../lib/secrets/status";
import { getSettings } from "../lib/settings";
import { type BulkWriter, clientIdentity, commandLine, ENVIRONMENTS, forEachBenchDatabase, migrate, openBulkWriter, percentile, printTable, prng, type Row } from "./bench/seed";

const { flag, option } = commandLine();
const CLIENTS = option("clients", 100_000);
const EVENTS = option("events", 5_000_000);
const RUNS = option("runs", 5);
const TEAMS = 20;
const CHUNK = 5_000;
/** the raw events span the default retention (setting events.retentionDays), so none is due for pruning */
const EVENT_DAYS = 90;
const TARGET_MS = 500;
/** a page slower than this in its warm-up is timed once (the warm-up), so a full-size run still ends */
const SLOW_MS = 5_000;

process.env.KEYSHIFT_MASTER_KEY ||= crypto.randomBytes(32).toString("hex");
process.env.KEYSHIFT_ISSUER ||= "http://localhost:3000";

// ---------------------------------------------------------------------------------------------------
// The data: built once in memory (both databases get the same rows), then loaded table by table.

type Secret = { id: string; hash: string | null; hint: string; external: boolean; createdAt: Date; expiresAt: Date | null; rotatedAt: Date | null; revokedAt: Date | null; lastUsedAt: Date | null };
type Key = {
  id: string; kid: string; thumbprint: string; publicJwk: string; source: "upload" | "certificate"; status: "scheduled" | "active" | "retiring" | "retired";
  notBefore: Date | null; expiresAt: Date | null; createdAt: Date; retiredAt: Date | null; retiringUntil: Date | null; certificate: string | null;
};
type State = "secret_only" | "keys_registered" | "dual" | "private_key_jwt";
type SeedClient = {
  id: string; clientId: string; name: string; environment: string; team: number; status: "active" | "disabled" | "deleted"; state: State;
  secretMethod: string; authMethod: string; createdAt: Date; disabledAt: Date | null; deletedAt: Date | null;
  dualStartedAt: Date | null; dualUntil: Date | null; finalisedAt: Date | null; firstAssertionAt: Date | null; legacyAudience: boolean;
  secrets: Secret[]; keys: Key[];
};
/** The last successful authentication of a client, secret or key within the generated events. */
type LastUse = Map<SeedClient | Secret | Key, { at: Date; method: string }>;

const days = (n: number) => n * DAY_MS;

/** A real EC P-256 public key per row, as lib/keys/validate.ts stores it, with its RFC 7638 thumbprint. */
function ecKey(kid: string): { publicJwk: string; thumbprint: string } {
  const { crv, x, y } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }) as { crv: string; x: string; y: string };
  // RFC 7638 3.2: the required members only, in lexicographic order, no whitespace
  const thumbprint = crypto.createHash("sha256").update(JSON.stringify({ crv, kty: "EC", x, y })).digest("base64url");
  return { publicJwk: JSON.stringify({ kty: "EC", crv, x, y, kid, use: "sig", alg: "ES256" }), thumbprint };
}

/** The client summary exactly as lib/secrets/commands.ts refreshSecretSummary keeps it: the newest unrevoked secret. */
function secretSummary(secrets: Secret[]): Secret | null {
  let newest: Secret | null = null;
  for (const s of secrets) if (!s.revokedAt && (!newest || s.createdAt > newest.createdAt)) newest = s;
  return newest;
}

function buildClients(now: Date): SeedClient[] {
  const t = now.getTime();
  const rand = prng(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const between = (a: number, b: number) => a + rand() * (b - a);
  const hashKey = derivedKey("secret-hash");
  const clients: SeedClient[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const { id, clientId, name } = clientIdentity(i, pick);
    const status = rand() < 0.01 ? "deleted" : rand() < 0.03 ? "disabled" : "active";
    const r = rand();
    const state: State = r < 0.7 ? "secret_only" : r < 0.8 ? "keys_registered" : r < 0.87 ? "dual" : "private_key_jwt";
    const native = state === "private_key_jwt" && rand() < 0.5; // registered with private_key_jwt, never had a secret
    const secretMethod = rand() < 0.65 ? "client_secret_basic" : "client_secret_post";
    const c: SeedClient = {
      id, clientId, name, environment: pick(ENVIRONMENTS), team: i % TEAMS, status, state, secretMethod,
      authMethod: state === "private_key_jwt" ? "private_key_jwt" : secretMethod,
      createdAt: now, disabledAt: null, deletedAt: null, dualStartedAt: null, dualUntil: null, finalisedAt: null, firstAssertionAt: null,
      legacyAudience: state !== "secret_only" && rand() < 0.2, secrets: [], keys: [],
    };
    if (state === "dual") {
      // about a fifth of the dual windows are past their end date: overdue, still accepting both
      c.dualUntil = new Date(rand() < 0.2 ? t - days(between(1, 45)) : t + days(between(1, 30)));
      c.dualStartedAt = new Date(c.dualUntil.getTime() - days(30));
      if (rand() < 0.7) c.firstAssertionAt = new Date(c.dualStartedAt.getTime() + rand() * (t - c.dualStartedAt.getTime()));
    } else if (state === "private_key_jwt" && !native) {
      c.finalisedAt = new Date(t - days(between(1, 400)));
      c.firstAssertionAt = new Date(c.finalisedAt.getTime() - days(between(7, 30)));
    }

    if (!native) {
      // the current secret, from days to three years old; a third also keep the one it replaced
      const external = rand() < 0.05; // imported from an inventory: Keyshift never saw the value
      const current = c.finalisedAt ? c.finalisedAt.getTime() - days(between(30, 700)) : t - days(between(1, 1095));
      const secret = (createdAt: number, expiresAt: number | null, rotatedAt: number | null, revokedAt: number | null): Secret => {
        const value = generateSecret();
        const at = (ms: number | null) => (ms === null ? null : new Date(ms));
        return { id: `bs${i.toString(36)}x${c.secrets.length}`, hash: external ? null : hashSecret(value, hashKey), hint: secretHint(value), external, createdAt: new Date(createdAt), expiresAt: at(expiresAt), rotatedAt: at(rotatedAt), revokedAt: at(revokedAt), lastUsedAt: null };
      };
      c.secrets.push(secret(current, external && rand() < 0.6 ? null : current + days(pick([90, 180, 365, 730])), null, null));
      let earlier = current;
      if (!external && rand() < 0.33) {
        earlier = current - days(between(90, 365));
        c.secrets.push(secret(earlier, current + days(7), current, null));
      }
      // history: one to three earlier secrets, rotated out and revoked
      for (let h = 0, n = external ? 0 : 1 + Math.floor(rand() * 3); h < n; h++) {
        const ended = earlier;
        earlier = ended - days(between(90, 365));
        const old = secret(earlier, ended, ended, ended);
        old.lastUsedAt = new Date(ended - days(rand()));
        c.secrets.push(old);
      }
      // secrets not used within the retention: some were used long ago, some never
      for (const s of c.secrets) if (!s.revokedAt && rand() < 0.4) s.lastUsedAt = new Date(Math.max(s.createdAt.getTime(), t - days(between(91, 600))));
      if (c.finalisedAt) for (const s of c.secrets) s.revokedAt ??= c.finalisedAt; // finalising revokes the secrets
      else if (status === "active" && rand() < 0.02) c.secrets[0].revokedAt = new Date(current + rand() * (t - current)); // revoked, not replaced
      c.createdAt = new Date(earlier - days(between(0, 30)));
    } else {
      c.createdAt = new Date(t - days(between(1, 1095)));
      c.firstAssertionAt = new Date(c.createdAt.getTime() + days(rand()));
    }

    if (state !== "secret_only") {
      // the newest key registered before the migration's next step; older ones retiring or retired
      let created = state === "keys_registered" ? t - days(between(1, 60)) : (c.dualStartedAt ?? c.firstAssertionAt ?? c.createdAt).getTime() - days(between(1, 30));
      created = Math.max(created, c.createdAt.getTime());
      for (let k = 0, n = 1 + (rand() < 0.5 ? 1 : 0) + (rand() < 0.15 ? 1 : 0); k < n; k++) {
        const kid = `k${i.toString(36)}-${k}`;
        const newer = c.keys[k - 1];
        const status: Key["status"] = k === 0 ? (state === "keys_registered" && rand() < 0.05 ? "scheduled" : "active") : k === 1 && rand() < 0.3 ? "retiring" : "retired";
        const soon = status !== "retired" && rand() < 0.08; // expiring within 30 days
        const fromCertificate = rand() < 0.15;
        const expiresAt = soon ? new Date(t + days(between(1, 30))) : fromCertificate ? new Date(created + days(365)) : rand() < 0.2 ? new Date(created + days(730)) : null;
        const certificate = fromCertificate
          ? JSON.stringify({ subject: `CN=${clientId}`, issuer: "CN=Bench Issuing CA, O=Keyshift", serialNumber: crypto.randomBytes(8).toString("hex").toUpperCase(), notBefore: new Date(created), notAfter: expiresAt, sha256Fingerprint: crypto.randomBytes(32).toString("hex").toUpperCase().match(/../g)!.join(":") })
          : null;
        const retiredAt = status === "retired" && newer ? new Date(Math.min(t, newer.createdAt.getTime() + days(between(1, 14)))) : null;
        c.keys.push({
          id: `bk${i.toString(36)}x${k}`, kid, ...ecKey(kid), source: fromCertificate ? "certificate" : "upload", status,
          notBefore: status === "scheduled" ? new Date(t + days(between(1, 14))) : null, expiresAt, createdAt: new Date(created),
          retiredAt, retiringUntil: status === "retiring" ? new Date(t + days(between(1, 14))) : null, certificate,
        });
        created = Math.max(c.createdAt.getTime(), created - days(between(90, 400)));
      }
    }
    if (status === "deleted") {
      c.deletedAt = new Date(c.createdAt.getTime() + rand() * (t - c.createdAt.getTime()));
      for (const s of c.secrets) s.revokedAt ??= c.deletedAt;
    } else if (status === "disabled") c.disabledAt = new Date(t - days(between(1, 200)));
    clients.push(c);
  }
  return clients;
}

// ---------------------------------------------------------------------------------------------------
// Authentication events, generated day by day over the last 90 UTC days (today up to now), written
// with their daily roll-ups (lib/db/hot-path.ts dailyCounts: the rule the token endpoint's writer uses).

const EVENT_COLUMNS = ["at", "endpoint", "clientDbId", "clientId", "method", "outcome", "reason", "kid", "secretHint", "audienceForm", "address"] as const;
const DAILY_COLUMNS = ["day", "endpoint", "clientDbId", "method", "outcome", "reason", "audienceForm", "count"] as const;
const TOTAL_COLUMNS = ["day", "endpoint", "method", "outcome", "reason", "audienceForm", "count"] as const;
const SECRET_FAILURES = ["secret_mismatch", "secret_mismatch", "secret_mismatch", "secret_expired", "method_not_accepted"];
const ASSERTION_FAILURES = ["signature_invalid", "kid_unknown", "expired", "aud_mismatch", "jti_replayed"];

type Timing = { rows: number; ms: number };

async function seedEvents(writer: BulkWriter, clients: SeedClient[], now: Date): Promise<{ events: Timing; daily: Timing; active: number; lastUse: LastUse }> {
  const rand = prng(7);
  const t = now.getTime();
  // who authenticates: about 6% of the clients, log-uniformly weighted (a few busy services, a long tail)
  const active = clients.filter((c) => c.status !== "deleted" && (c.state !== "secret_only" && c.state !== "keys_registered" ? true : !!secretSummary(c.secrets)) && rand() < 0.06);
  if (active.length === 0) active.push(clients.find((c) => c.status === "active")!);
  const cumulative = new Float64Array(active.length);
  active.forEach((_, i) => (cumulative[i] = (i ? cumulative[i - 1] : 0) + Math.exp(rand() * 7)));
  const chooseClient = () => {
    const target = rand() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return active[lo];
  };
  const current = new Map(active.map((c) => [c, { secret: secretSummary(c.secrets), key: c.keys.find((k) => k.status === "active") ?? c.keys[0] }]));

  const first = Math.floor(t / DAY_MS) * DAY_MS - days(EVENT_DAYS - 1);
  const timing = { events: { rows: 0, ms: 0 }, daily: { rows: 0, ms: 0 } };
  const lastUse: LastUse = new Map();
  for (let d = 0; d < EVENT_DAYS; d++) {
    const started = performance.now();
    const dayStart = first + days(d);
    const dayEnd = Math.min(dayStart + DAY_MS, t);
    const count = Math.round((EVENTS * (dayEnd - first)) / (t - first)) - timing.events.rows;
    const offsets = Float64Array.from({ length: count }, () => rand() * (dayEnd - dayStart)).sort();
    const rows: AuthEventRow[] = [];
    for (const offset of offsets) {
      const at = new Date(dayStart + offset);
      const endpoint = rand() < 0.05 ? "introspect" : "token";
      if (rand() < 0.005) {
        rows.push({ at, endpoint, clientDbId: null, clientId: `unknown-${Math.floor(rand() * 500)}`, method: "client_secret_basic", outcome: "failure", reason: "client_unknown", kid: null, secretHint: null, audienceForm: null, address: "203.0.113.7" });
        continue;
      }
      const c = chooseClient();
      const { secret, key } = current.get(c)!;
      const assertion =
        c.state === "private_key_jwt" ? !(c.finalisedAt && at < c.finalisedAt) : c.state === "dual" && !!c.firstAssertionAt && at >= c.firstAssertionAt && rand() < 0.7;
      const method = assertion ? "private_key_jwt" : c.secretMethod;
      let reason: string | null = null;
      if (c.disabledAt && at >= c.disabledAt) reason = "client_disabled";
      else if (rand() < 0.03) reason = assertion ? ASSERTION_FAILURES[Math.floor(rand() * ASSERTION_FAILURES.length)] : SECRET_FAILURES[Math.floor(rand() * SECRET_FAILURES.length)];
      const audienceForm = !assertion ? null : reason === "aud_mismatch" ? "other" : c.legacyAudience ? "token_endpoint" : "issuer";
      rows.push({
        at, endpoint, clientDbId: c.id, clientId: c.clientId, method, outcome: reason ? "failure" : "success", reason,
        kid: assertion ? (key?.kid ?? null) : null, secretHint: assertion ? null : (secret?.hint ?? null), audienceForm,
        address: `10.${(c.team * 7) & 255}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 250)}`,
      });
      if (!reason) {
        const use = { at, method };
        lastUse.set(c, use);
        if (assertion && key) lastUse.set(key, use);
        if (!assertion && secret) lastUse.set(secret, use);
      }
    }
    await writer.insert("AuthEvent", EVENT_COLUMNS, rows.map((row) => EVENT_COLUMNS.map((col) => row[col])));
    timing.events.rows += rows.length;
    const split = performance.now();
    timing.events.ms += split - started;
    // one UTC day's events are all in this batch, so its roll-up rows are complete: aggregated here, never queried
    const daily = dailyCounts(rows);
    await writer.insert("AuthEventDaily", DAILY_COLUMNS, daily.map((row) => DAILY_COLUMNS.map((col) => row[col])));
    const totals = dayTotals(daily);
    await writer.insert("AuthEventDayTotal", TOTAL_COLUMNS, totals.map((row) => TOTAL_COLUMNS.map((col) => row[col])));
    timing.daily.rows += daily.length;
    timing.daily.ms += performance.now() - split;
  }
  return { ...timing, active: active.length, lastUse };
}

// ---------------------------------------------------------------------------------------------------

async function timed(writer: BulkWriter, table: string, columns: readonly string[], rows: Iterable<Row>): Promise<Timing> {
  const started = performance.now();
  let count = 0;
  let chunk: Row[] = [];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === CHUNK) {
      await writer.insert(table, columns, chunk);
      count += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length) await writer.insert(table, columns, chunk);
  return { rows: count + chunk.length, ms: performance.now() - started };
}

const CLIENT_COLUMNS = ["id", "clientId", "name", "environment", "ownerTeamId", "contactEmail", "status", "authMethod", "acceptedMethods", "grantTypes", "scopes", "keySource", "audienceCompat", "searchText", "secretCreatedAt", "secretExpiresAt", "lastAuthAt", "lastAuthMethod", "disabledAt", "deletedAt", "createdAt", "updatedAt", "migrationState", "migrationFrom", "dualStartedAt", "dualUntil", "finalisedAt", "firstAssertionAt"];
const SECRET_COLUMNS = ["id", "clientId", "hash", "hint", "external", "createdAt", "expiresAt", "revokedAt", "rotatedAt", "lastUsedAt"];
const KEY_COLUMNS = ["id", "clientId", "kid", "kty", "alg", "thumbprint", "publicJwk", "source", "status", "notBefore", "expiresAt", "lastUsedAt", "createdAt", "retiredAt", "retiringUntil", "certificate"];

function* clientRows(clients: SeedClient[], teamIds: string[], lastUse: LastUse, now: Date): Generator<Row> {
  for (const c of clients) {
    const summary = secretSummary(c.secrets);
    const lastSecretUse = summary?.lastUsedAt ?? null; // before the retained events, or never
    const last = lastUse.get(c);
    const accepted = c.status === "deleted" ? "" : c.state === "dual" ? `${c.secretMethod} private_key_jwt` : c.authMethod;
    yield [
      c.id, c.clientId, c.name, c.environment, teamIds[c.team], `team${c.team}@example.com`, c.status, c.authMethod, accepted, "client_credentials", "read write",
      c.keys.length ? "inline" : "none", c.legacyAudience, `${c.clientId} ${c.name}`.toLowerCase(), summary?.createdAt ?? null, summary?.expiresAt ?? null,
      last?.at ?? lastSecretUse, last?.method ?? (lastSecretUse ? c.secretMethod : null), c.disabledAt, c.deletedAt, c.createdAt, now, c.state,
      c.state === "dual" || c.finalisedAt ? c.secretMethod : null, c.dualStartedAt, c.dualUntil, c.finalisedAt, c.firstAssertionAt,
    ];
  }
}

function* secretRows(clients: SeedClient[], lastUse: LastUse): Generator<Row> {
  for (const c of clients) for (const s of c.secrets) yield [s.id, c.id, s.hash, s.hint, s.external, s.createdAt, s.expiresAt, s.revokedAt, s.rotatedAt, lastUse.get(s)?.at ?? s.lastUsedAt];
}

function* keyRows(clients: SeedClient[], lastUse: LastUse): Generator<Row> {
  for (const c of clients) for (const k of c.keys) yield [k.id, c.id, k.kid, "EC", "ES256", k.thumbprint, k.publicJwk, k.source, k.status, k.notBefore, k.expiresAt, lastUse.get(k)?.at ?? null, k.createdAt, k.retiredAt, k.retiringUntil, k.certificate];
}

let model: { now: Date; clients: SeedClient[]; ms: number } | undefined;

async function seed(url: string): Promise<{ events: number }> {
  if (!model) {
    const started = performance.now();
    const now = new Date();
    model = { now, clients: buildClients(now), ms: 0 };
    model.ms = performance.now() - started;
    console.log(`   built ${CLIENTS.toLocaleString("en")} clients with their secrets and keys in memory in ${(model.ms / 1000).toFixed(1)} s (key pairs generated once, reused for every database)`);
  }
  const { now, clients } = model;
  const writer = await openBulkWriter(url);
  const report = (table: string, timing: Timing, note = "") =>
    console.log(`   ${table.padEnd(15)} ${timing.rows.toLocaleString("en").padStart(10)} rows ${(timing.ms / 1000).toFixed(1).padStart(7)} s${note}`);
  try {
    // the events first: they set the last-use columns of the clients, secrets and keys written after them
    const traffic = await seedEvents(writer, clients, now);
    report("AuthEvent", traffic.events, ` (generated and inserted; ${traffic.active.toLocaleString("en")} clients authenticate)`);
    report("AuthEventDaily", traffic.daily, " (aggregated in memory from the same events)");
    const teamIds = Array.from({ length: TEAMS }, (_, t) => `bt${String(t + 1).padStart(2, "0")}`);
    report("Team", await timed(writer, "Team", ["id", "name", "createdAt", "updatedAt"], teamIds.map((id, t) => [id, `Team ${String(t + 1).padStart(2, "0")}`, now, now])));
    report("Client", await timed(writer, "Client", CLIENT_COLUMNS, clientRows(clients, teamIds, traffic.lastUse, now)));
    report("ClientSecret", await timed(writer, "ClientSecret", SECRET_COLUMNS, secretRows(clients, traffic.lastUse)));
    report("ClientKey", await timed(writer, "ClientKey", KEY_COLUMNS, keyRows(clients, traffic.lastUse)));
    return { events: traffic.events.rows };
  } finally {
    await writer.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// The raw-event check. Every SQL statement the measured function sends is captured at the driver
// (better-sqlite3's prepare, pg's Client.query: what Prisma's adapters call) during its warm-up run;
// each one naming the AuthEvent table is explained on the same database with the same parameters.

type Captured = { sql: string; args: unknown[] };
const capture = { on: false, statements: [] as Captured[] };

function installQueryCapture(): void {
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    const statement = prepare.call(this, sql);
    if (!capture.on) return statement;
    const bound = statement as unknown as { bind: (...args: unknown[]) => unknown };
    const bind = bound.bind;
    bound.bind = (...args: unknown[]) => {
      capture.statements.push({ sql, args: args.flat() });
      return bind.apply(statement, args);
    };
    return statement;
  } as typeof prepare;
  const query = PgClient.prototype.query as (...args: unknown[]) => unknown;
  (PgClient.prototype as unknown as { query: unknown }).query = function (this: PgClient, ...args: unknown[]) {
    if (capture.on) {
      const [config, values] = args as [string | { text?: string; values?: unknown[] }, unknown];
      const text = typeof config === "string" ? config : config?.text;
      if (text) capture.statements.push({ sql: text, args: typeof config === "object" && config.values ? config.values : Array.isArray(values) ? values : [] });
    }
    return query.apply(this, args);
  };
}

const RAW_EVENTS = /[`"]AuthEvent[`"]/; // the raw table, not AuthEventDaily

/** What the statements of one function read from AuthEvent: "none", or a summary with any full scan named. */
async function rawEventReads(url: string, statements: Captured[], totalEvents: number): Promise<{ text: string; full: boolean }> {
  const raw = statements.filter((s) => RAW_EVENTS.test(s.sql) && /^\s*(SELECT|WITH)/i.test(s.sql));
  if (raw.length === 0) return { text: `none (${statements.length} statements)`, full: false };
  const findings: string[] = [];
  let full = false;
  if (!url.startsWith("postgres")) {
    const reader = new Database(sqliteFilePath(url), { readonly: true });
    try {
      for (const s of raw) {
        const plan = reader.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(s.args) as { detail: string }[];
        for (const { detail } of plan) {
          if (!/\bAuthEvent\b(?!Daily)/.test(detail)) continue;
          // SQLite: "SCAN" reads a whole table or index, "SEARCH" a range of an index
          const scan = /^SCAN /.test(detail);
          full ||= scan;
          findings.push(scan ? `FULL SCAN: ${detail}` : detail);
        }
      }
    } finally {
      reader.close();
    }
  } else {
    const client = new PgClient({ connectionString: url });
    await client.connect();
    try {
      for (const s of raw) {
        const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.sql}`, s.args);
        const walk = (node: Record<string, unknown>) => {
          if (node["Relation Name"] === "AuthEvent") {
            // rows the node read: those it returned plus those its filter dropped, per loop
            const read = ((node["Actual Rows"] as number) + ((node["Rows Removed by Filter"] as number) ?? 0)) * (node["Actual Loops"] as number);
            const scan = node["Node Type"] === "Seq Scan" || read >= 0.9 * totalEvents;
            full ||= scan;
            findings.push(`${scan ? "FULL SCAN: " : ""}${node["Node Type"]} read ${read.toLocaleString("en")} rows (${((100 * read) / Math.max(1, totalEvents)).toFixed(1)}%)`);
          }
          for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
        };
        walk((rows[0]["QUERY PLAN"] as { Plan: Record<string, unknown> }[])[0].Plan);
      }
    } finally {
      await client.end();
    }
  }
  return { text: `${raw.length} of ${statements.length} statements: ${findings.join("; ")}`, full };
}

// ---------------------------------------------------------------------------------------------------

type Case = { label: string; run?: () => Promise<unknown>; unavailable?: string; rows: (result: unknown) => string; page: boolean };

const size = (r: unknown) => `${(JSON.stringify(r).length / 1024).toFixed(1)} kB of JSON`;

/** A dashboard module another change may not have added yet: measured when present, "not available" otherwise. */
async function dashboardCase(label: string, modulePath: string, name: string, actor: Actor): Promise<Case> {
  try {
    const loaded = (await import(modulePath)) as Record<string, unknown>;
    const fn = loaded[name];
    if (typeof fn !== "function") return { label, unavailable: `not available (${modulePath} exports no ${name})`, rows: size, page: true };
    return { label, run: () => (fn as (actor: Actor) => Promise<unknown>)(actor), rows: size, page: true };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return { label, unavailable: `not available (${modulePath} not built yet)`, rows: size, page: true };
    throw error;
  }
}

/** Campaign stages read as the campaign page reads them. */
const CAMPAIGN_SIZE = 10_000;

/**
 * A migration campaign over 10,000 clients that still use a secret (spread over every team), with 60
 * days of burn-down snapshots, written directly; and a second campaign created as a person would, from
 * the list's filters (one team), whose creation is timed.
 */
async function seedCampaign(actor: Actor, now: Date): Promise<{ id: string; created: { ms: number; clients: number } }> {
  const { createCampaign } = await import("../lib/campaigns/commands");
  const ids = await db().client.findMany({ where: { status: { not: "deleted" }, migrationState: { not: "private_key_jwt" } }, select: { id: true }, orderBy: { id: "asc" }, take: CAMPAIGN_SIZE });
  const createdAt = new Date(now.getTime() - days(60));
  const campaign = await db().campaign.create({
    data: { name: "Bench: production off secrets", kind: "migration", ownerId: actor.type === "user" ? actor.id : "", deadline: new Date(now.getTime() + days(30)), cohortQuery: "{}", createdAt },
  });
  for (let i = 0; i < ids.length; i += CHUNK) await db().campaignClient.createMany({ data: ids.slice(i, i + CHUNK).map(({ id }) => ({ campaignId: campaign.id, clientId: id, addedAt: createdAt })) });
  await db().campaignSnapshot.createMany({
    data: Array.from({ length: 60 }, (_, d) => ({ campaignId: campaign.id, day: new Date(Math.floor((createdAt.getTime() + days(d)) / DAY_MS) * DAY_MS), total: ids.length, done: Math.round((ids.length * d) / 120), stages: "{}", at: now })),
  });
  const started = performance.now();
  const { counts } = await createCampaign(actor, { name: "Bench: team 01", kind: "migration", deadline: new Date(now.getTime() + days(90)).toISOString() }, { team: "bt01" }, now);
  return { id: campaign.id, created: { ms: performance.now() - started, clients: counts.total } };
}

async function campaignCases(actor: Actor, campaignId: string): Promise<Case[]> {
  const { campaignClients, campaignHistory, campaignReportRows, campaignSummary, listCampaigns } = await import("../lib/campaigns/queries");
  return [
    {
      label: `campaign page (${CAMPAIGN_SIZE.toLocaleString("en")} clients)`,
      // what app/(console)/campaigns/[id]/page.tsx reads: summary, first page of clients, history
      run: () => Promise.all([campaignSummary(actor, campaignId), campaignClients(actor, campaignId, { page: 1 }), campaignHistory(actor, campaignId)]),
      rows: (r) => {
        const [summary, clients] = r as [Awaited<ReturnType<typeof campaignSummary>>, Awaited<ReturnType<typeof campaignClients>>];
        return `${summary.counts.total} clients, ${summary.perTeam.length} teams, ${summary.burnDown.length} days, page of ${clients.rows.length}`;
      },
      page: true,
    },
    {
      label: "campaign clients, stage=not_started, page 100",
      run: () => campaignClients(actor, campaignId, { stage: "not_started", page: 100 }),
      rows: (r) => `${(r as Awaited<ReturnType<typeof campaignClients>>).rows.length}/${(r as Awaited<ReturnType<typeof campaignClients>>).total} clients`,
      page: true,
    },
    { label: "listCampaigns", run: () => listCampaigns(actor), rows: (r) => `${(r as unknown[]).length} campaigns`, page: true },
    {
      label: "campaign report rows (CSV export)",
      run: () => campaignReportRows(actor, campaignId),
      rows: (r) => `${(r as Awaited<ReturnType<typeof campaignReportRows>>).rows.length} rows`,
      page: false,
    },
  ];
}

async function cases(actor: Actor): Promise<Case[]> {
  const list = (label: string, query: Record<string, string>): Case => ({
    label,
    run: () => listClients(actor, ClientListQuerySchema.parse(query)),
    rows: (r) => {
      const result = r as Awaited<ReturnType<typeof listClients>>;
      return `${result.rows.length}/${result.total} clients`;
    },
    page: true,
  });
  return [
    { label: "overview(actor)", run: () => overview(actor), rows: (r) => `${(r as Awaited<ReturnType<typeof overview>>).totals.clients} clients`, page: true },
    await dashboardCase("trafficDashboard(actor)", "../lib/metrics/traffic", "trafficDashboard", actor),
    await dashboardCase("migrationDashboard(actor)", "../lib/metrics/migration", "migrationDashboard", actor),
    await dashboardCase("secretAgeDashboard(actor)", "../lib/metrics/secret-age", "secretAgeDashboard", actor),
    await dashboardCase("rotationDashboard(actor)", "../lib/metrics/rotation", "rotationDashboard", actor),
    list("listClients migration=dual", { migration: "dual" }),
    list("listClients olderThan=365&environment=production", { olderThan: "365", environment: "production" }),
    list("listClients unused=90", { unused: "90" }),
    list("listClients keysExpiring=30", { keysExpiring: "30" }),
  ];
}

async function bench(label: string, url: string): Promise<void> {
  process.env.DATABASE_URL = url;
  console.log(`\n== ${label}: migrating ${url.replace(/\/\/[^@]*@/, "//")}`);
  migrate(url);
  console.log(`== ${label}: seeding ${CLIENTS.toLocaleString("en")} clients over ${TEAMS} teams and ${EVENTS.toLocaleString("en")} authentication events over the last ${EVENT_DAYS} days`);
  const started = performance.now();
  const { events } = await seed(url);
  const statsStarted = performance.now();
  // as `npm start` does on SQLite (write-ahead log, PRAGMA optimize); on PostgreSQL what autovacuum
  // does to a freshly loaded table within minutes (statistics, and the visibility map index-only scans need)
  if (url.startsWith("postgres")) await db().$executeRawUnsafe("VACUUM ANALYZE");
  else {
    await useWriteAheadLog();
    await refreshPlannerStatistics();
  }
  const statsMs = performance.now() - statsStarted;
  const seedMs = performance.now() - started;
  console.log(`   ${(url.startsWith("postgres") ? "VACUUM ANALYZE" : "PRAGMA optimize").padEnd(15)} ${"".padStart(15)} ${(statsMs / 1000).toFixed(1).padStart(7)} s`);
  console.log(`   seeded in ${(seedMs / 1000).toFixed(1)} s`);

  const { "events.retentionDays": retentionDays } = await getSettings();
  const admin = await db().user.create({ data: { email: `bench-admin-${crypto.randomBytes(4).toString("hex")}@example.test`, name: "Bench admin", role: "admin" } });
  const actor = (await loadUserActor(admin.id))!;

  const campaign = await seedCampaign(actor, model!.now);
  const table: string[][] = [];
  const slow: string[] = [];
  let fullScans = 0;
  for (const c of [...(await cases(actor)), ...(await campaignCases(actor, campaign.id))]) {
    if (!c.run) {
      table.push([c.label, "-", "-", c.unavailable!, "-"]);
      continue;
    }
    try {
      capture.statements = [];
      capture.on = true;
      let first: unknown;
      const warm = performance.now();
      try {
        first = await c.run(); // warm-up, with its statements captured
      } finally {
        capture.on = false;
      }
      const warmMs = performance.now() - warm;
      const reads = await rawEventReads(url, capture.statements, events);
      if (reads.full) fullScans++;
      const runs = warmMs > SLOW_MS ? 0 : RUNS;
      const times: number[] = runs ? [] : [warmMs];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await c.run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const median = percentile(times, 50);
      if (c.page && median >= TARGET_MS) slow.push(c.label);
      table.push([runs ? c.label : `${c.label} (1 run)`, median.toFixed(1), percentile(times, 90).toFixed(1), c.rows(first), reads.text]);
    } catch (error) {
      capture.on = false;
      table.push([c.label, "-", "-", `failed: ${(error as Error).message.split("\n")[0].slice(0, 120)}`, "-"]);
      slow.push(`${c.label} (failed)`);
    }
  }
  const secrets = model!.clients.reduce((n, c) => n + c.secrets.length, 0);
  const keys = model!.clients.reduce((n, c) => n + c.keys.length, 0);
  console.log(
    `\n${label}: ${CLIENTS.toLocaleString("en")} clients, ${secrets.toLocaleString("en")} secrets, ${keys.toLocaleString("en")} keys, ${events.toLocaleString("en")} events ` +
      `(retention ${retentionDays} days), seeding ${(seedMs / 1000).toFixed(1)} s, ${RUNS} runs after one warm-up, actor: an admin user`,
  );
  printTable(["page", "median ms", "p90 ms", "result", "raw events (AuthEvent) read"], table, [0, 3, 4]);
  console.log(`creating a campaign from the list's filters (team=bt01): ${campaign.created.clients.toLocaleString("en")} clients frozen in ${campaign.created.ms.toFixed(0)} ms`);
  console.log(`target, median under ${TARGET_MS} ms per page: ${slow.length ? `NOT met for ${slow.join(", ")}` : "met by every page measured"}`);
  console.log(
    `no query scanning all raw events: ${fullScans ? `NOT met (${fullScans} page(s) scan AuthEvent)` : "met"} — every statement each page sent in its warm-up was captured at the driver; ` +
      (url.startsWith("postgres")
        ? "those naming AuthEvent were run under EXPLAIN ANALYZE: a sequential scan, or reading 90% or more of the events, counts as a full scan"
        : "those naming AuthEvent were explained (EXPLAIN QUERY PLAN): SCAN (a whole table or index) counts as a full scan; SEARCH reads an index range, whose size SQLite does not report"),
  );
  await disconnect();
}

async function main(): Promise<void> {
  installQueryCapture();
  await forEachBenchDatabase(bench, { pg: flag("pg"), keep: flag("keep") });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
