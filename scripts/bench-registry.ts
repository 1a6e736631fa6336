// Client registry benchmark: 100,000 clients on a fresh database, then the list queries the console
// runs, timed. Prints figures only (no thresholds).
//
//   npm run bench:registry                  SQLite in a temporary directory
//   npm run bench:registry -- --pg          also PostgreSQL (a temporary database on
//                                           postgresql://postgres@127.0.0.1:5432, or BENCH_PG_URL)
//   options: --clients N (100000)  --runs N (10)  --keep (keep the databases and print where)
//            --no-stats (SQLite without the planner statistics `npm start` gathers; PostgreSQL is
//            always analysed after the load)
//            --skip TEXT (leave out the queries whose label contains TEXT, e.g. --skip expiring)
import crypto from "node:crypto";
import * as listRoute from "../app/api/v1/clients/route";
import { SYSTEM } from "../lib/auth/actor";
import { createApiToken } from "../lib/tokens/commands";
import { ClientListQuerySchema } from "../lib/clients/schema";
import { listClients } from "../lib/clients/queries";
import { derivedKey } from "../lib/config";
import { db, disconnect, Prisma, refreshPlannerStatistics, transaction } from "../lib/db";
import { overview } from "../lib/metrics/overview";
import { generateSecret, hashSecret, secretHint } from "../lib/secrets/material";
import { DAY_MS } from "../lib/secrets/status";
import { clientIdentity, commandLine, ENVIRONMENTS, forEachBenchDatabase, migrate, percentile, printTable, prng } from "./bench/seed";

const { args, flag, option } = commandLine();
const CLIENTS = option("clients", 100_000);
const RUNS = option("runs", 10);
const TEAMS = 20;
const CHUNK = 5_000;
const SLOW_MS = 5_000;

// keys derive from the master key: give the whole run one (PostgreSQL requires it anyway)
process.env.KEYSHIFT_MASTER_KEY ||= crypto.randomBytes(32).toString("hex");
process.env.KEYSHIFT_ISSUER ||= "http://localhost:3000";
const actor = { ...SYSTEM, name: "bench" };

async function seed(now: Date): Promise<{ ms: number; secrets: number; teamIds: string[] }> {
  const started = performance.now();
  const rand = prng(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const key = derivedKey("secret-hash");
  const teamIds: string[] = [];
  await transaction(async (tx) => {
    for (let t = 0; t < TEAMS; t++) teamIds.push((await tx.team.create({ data: { name: `Team ${String(t + 1).padStart(2, "0")}` } })).id);
  });
  let secretCount = 0;
  for (let start = 0; start < CLIENTS; start += CHUNK) {
    const clients: Prisma.ClientCreateManyInput[] = [];
    const secrets: Prisma.ClientSecretCreateManyInput[] = [];
    for (let i = start; i < Math.min(CLIENTS, start + CHUNK); i++) {
      const { id, clientId, name } = clientIdentity(i, pick);
      const status = rand() < 0.01 ? "deleted" : rand() < 0.03 ? "disabled" : "active";
      const jwt = rand() < 0.05;
      const authMethod = jwt ? "private_key_jwt" : rand() < 0.65 ? "client_secret_basic" : "client_secret_post";
      const createdAt = new Date(now.getTime() - Math.floor(rand() * 900 * DAY_MS));
      let summary: { createdAt: Date; expiresAt: Date } | null = null;
      if (!jwt) {
        // the current secret, somewhere between its creation and now; a third also keep the one it replaced
        const ageMs = Math.floor(rand() * (now.getTime() - createdAt.getTime()));
        const current = { createdAt: new Date(now.getTime() - ageMs), expiresAt: new Date(now.getTime() - ageMs + pick([90, 180, 365, 730]) * DAY_MS) };
        const rows = [{ ...current, rotatedAt: null as Date | null }];
        if (rand() < 0.33) {
          const rotatedAt = current.createdAt;
          rows.push({ createdAt: createdAt, expiresAt: new Date(rotatedAt.getTime() + 7 * DAY_MS), rotatedAt });
        }
        for (const row of rows) {
          const secret = generateSecret();
          secrets.push({ clientId: id, hash: hashSecret(secret, key), hint: secretHint(secret), createdAt: row.createdAt, expiresAt: row.expiresAt, rotatedAt: row.rotatedAt, revokedAt: status === "deleted" ? now : null });
        }
        // history: one to three earlier secrets, rotated out and revoked long ago (about 300,000 secrets in all)
        for (let h = 0, n = 1 + Math.floor(rand() * 3); h < n; h++) {
          const old = new Date(createdAt.getTime() - (h + 1) * 180 * DAY_MS);
          const ended = new Date(old.getTime() + 180 * DAY_MS);
          const secret = generateSecret();
          secrets.push({ clientId: id, hash: hashSecret(secret, key), hint: secretHint(secret), createdAt: old, expiresAt: ended, rotatedAt: ended, revokedAt: ended });
        }
        if (status !== "deleted") summary = current;
      }
      clients.push({
        id,
        clientId,
        name,
        environment: pick(ENVIRONMENTS),
        ownerTeamId: teamIds[i % TEAMS],
        contactEmail: `team${i % TEAMS}@example.com`,
        status,
        authMethod,
        acceptedMethods: status === "deleted" ? "" : authMethod,
        grantTypes: "client_credentials",
        scopes: "read write",
        keySource: jwt ? "inline" : "none",
        searchText: `${clientId} ${name}`.toLowerCase(),
        secretCreatedAt: summary?.createdAt ?? null,
        secretExpiresAt: summary?.expiresAt ?? null,
        disabledAt: status === "disabled" ? now : null,
        deletedAt: status === "deleted" ? now : null,
        createdAt,
      });
    }
    secretCount += secrets.length;
    await transaction(async (tx) => {
      await tx.client.createMany({ data: clients });
      await tx.clientSecret.createMany({ data: secrets });
    });
  }
  return { ms: performance.now() - started, secrets: secretCount, teamIds };
}

type Case = { label: string; run: () => Promise<unknown>; rows: (result: unknown) => string };

function cases(teamIds: string[], apiToken: string): Case[] {
  const list = (label: string, query: Record<string, string>): Case => ({
    label,
    run: () => listClients(actor, ClientListQuerySchema.parse(query)),
    rows: (r) => {
      const result = r as Awaited<ReturnType<typeof listClients>>;
      return `${result.rows.length}/${result.total}`;
    },
  });
  return [
    list("default (name asc, page 1)", {}),
    list("page 2000 (deep offset)", { page: "2000" }),
    list('search q="gateway-sync"', { q: "gateway-sync" }),
    list('search q="0oa" (broad)', { q: "0oa" }),
    list("environment=production + team", { environment: "production", team: teamIds[3] }),
    list("method=client_secret_post", { method: "client_secret_post" }),
    list("age=365+", { age: "365+" }),
    list("age=0-30", { age: "0-30" }),
    list("expiring=14", { expiring: "14" }),
    list("sort=secretCreatedAt desc", { sort: "secretCreatedAt", dir: "desc" }),
    list("sort=name desc, page 100", { sort: "name", dir: "desc", page: "100" }),
    // deep pages the unfiltered list reads from a sort index: runs of equal values re-sorted by id
    // (three environments), and the clients without a secret that "nulls last" puts at the end
    list("sort=environment desc, page 2000", { sort: "environment", dir: "desc", page: "2000" }),
    list("sort=secretCreatedAt, page 3900 (none)", { sort: "secretCreatedAt", page: "3900" }),
    { label: "overview(actor)", run: () => overview(actor), rows: (r) => `${(r as Awaited<ReturnType<typeof overview>>).totals.clients} clients` },
    {
      // the whole route handler: token check, list, serialisation to JSON
      label: "API GET /api/v1/clients?page_size=100",
      run: async () => {
        const response = await listRoute.GET(new Request("http://bench.local/api/v1/clients?page_size=100", { headers: { authorization: `Bearer ${apiToken}` } }), { params: Promise.resolve({}) });
        return (await response.json()) as { data: unknown[]; total: number };
      },
      rows: (r) => `${(r as { data: unknown[] }).data.length}/${(r as { total: number }).total}`,
    },
  ];
}

async function bench(label: string, url: string): Promise<void> {
  process.env.DATABASE_URL = url;
  console.log(`\n== ${label}: migrating ${url.replace(/\/\/[^@]*@/, "//")}`);
  migrate(url);
  const now = new Date();
  console.log(`== ${label}: seeding ${CLIENTS.toLocaleString("en")} clients over ${TEAMS} teams`);
  const seeded = await seed(now);
  console.log(`   seeded ${CLIENTS.toLocaleString("en")} clients and ${seeded.secrets.toLocaleString("en")} secrets in ${(seeded.ms / 1000).toFixed(1)} s`);
  // PostgreSQL's autovacuum analyses a freshly loaded table within a minute; do it now. On SQLite,
  // gather statistics the way `npm start` does (PRAGMA optimize), unless --no-stats asks to see the
  // plans without them.
  if (url.startsWith("postgres")) await db().$executeRawUnsafe("ANALYZE");
  else if (!flag("no-stats")) await refreshPlannerStatistics();

  const table: string[][] = [];
  const skip = args.includes("--skip") ? args[args.indexOf("--skip") + 1] : undefined;
  const benchUser = await db().user.create({ data: { email: `bench-${crypto.randomBytes(4).toString("hex")}@example.test`, name: "Bench", role: "auditor" } });
  const { token: apiToken } = await createApiToken(SYSTEM, benchUser.id, { name: "bench" });
  for (const c of cases(seeded.teamIds, apiToken).filter((c) => !skip || !c.label.includes(skip))) {
    const warm = performance.now();
    const first = await c.run(); // warm-up
    const warmMs = performance.now() - warm;
    // a pathologically slow query is timed once (its warm-up), so the run still ends
    const runs = warmMs > SLOW_MS ? 0 : RUNS;
    const times: number[] = runs ? [] : [warmMs];
    if (!runs) console.log(`   ${c.label}: ${(warmMs / 1000).toFixed(1)} s, timed once only`);
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await c.run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    table.push([runs ? c.label : `${c.label} (1 run)`, percentile(times, 50).toFixed(1), percentile(times, 95).toFixed(1), c.rows(first)]);
  }
  console.log(`\n${label}: ${CLIENTS.toLocaleString("en")} clients, ${seeded.secrets.toLocaleString("en")} secrets, seeding ${(seeded.ms / 1000).toFixed(1)} s, ${RUNS} runs after one warm-up`);
  printTable(["query", "median ms", "p95 ms", "rows/total"], table, [0, 3]);
  await disconnect();
}

async function main(): Promise<void> {
  await forEachBenchDatabase(bench, { pg: flag("pg"), keep: flag("keep") });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
