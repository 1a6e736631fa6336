// Single use of an assertion across instances: two token-server processes share the test database, and
// one assertion submitted 50 times at once, half to each, yields exactly one token. The jti reservation
// is a unique row in the database (lib/oauth/replay.ts), so no instance's memory decides; this runs on
// SQLite and PostgreSQL like the rest of the suite.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuer } from "@/lib/config";
import { db, disconnect } from "@/lib/db";
import { databaseUrl } from "@/lib/db/url";
import { makeCast, resetDatabase } from "./helpers";
import { assertion, form, FORM_TYPE, jwtClient, jwtParams, makeKey } from "./oauth-fixtures";

const root = path.resolve(__dirname, "..", "..");
const SUBMISSIONS = 50;

type TokenServer = { process: ChildProcess; url: string; output: () => string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `tsx scripts/token-server.ts` on a free port, with the test's database, master key and issuer; resolves once it serves its JWKS. */
async function startTokenServer(workers = 1): Promise<TokenServer> {
  const port = await freePort();
  const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/token-server.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl(), KEYSHIFT_MASTER_KEY: process.env.KEYSHIFT_MASTER_KEY, KEYSHIFT_ISSUER: issuer(), TOKEN_PORT: String(port), TOKEN_WORKERS: String(workers), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const server = { process: child, url: `http://127.0.0.1:${port}`, output: () => output };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`token server exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${server.url}/.well-known/jwks.json`).then((r) => r.ok, () => false);
    if (ready) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`token server did not answer within 60 s:\n${output}`);
}

/** SIGTERM, so the server flushes its pending authentication events; SIGKILL if it lingers. */
function stopTokenServer(server: TokenServer): Promise<void> {
  if (server.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.process.kill("SIGKILL"), 10_000);
    server.process.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    server.process.kill("SIGTERM");
  });
}

let servers: TokenServer[] = [];
let client: { id: string; clientId: string };
let key: Awaited<ReturnType<typeof makeKey>>;

beforeAll(async () => {
  await resetDatabase();
  const cast = await makeCast();
  key = await makeKey("ES256");
  client = await jwtClient(cast.admin, cast.teamA.id, [key]);
  // both start on a database without server keys: they race to create them, and must agree
  // the second runs two worker processes on its port (TOKEN_WORKERS): three processes in all share the database
  servers = await Promise.all([startTokenServer(), startTokenServer(2)]);
});

afterAll(async () => {
  await Promise.all(servers.map(stopTokenServer));
  await disconnect();
});

async function jwks(server: TokenServer): Promise<JSONWebKeySet> {
  const response = await fetch(`${server.url}/.well-known/jwks.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as JSONWebKeySet;
}

describe("two token-server processes on one database", () => {
  it("publish the same JWKS", async () => {
    const [first, second] = await Promise.all(servers.map(jwks));
    expect(first.keys.length).toBeGreaterThanOrEqual(2);
    expect(second).toEqual(first);
  });

  it("accept one of 50 concurrent submissions of one assertion and refuse the other 49 as replays", async () => {
    const body = form(jwtParams(await assertion(client.clientId, issuer(), key)));
    const submissions = Array.from({ length: SUBMISSIONS }, async (_, i) => {
      const server = servers[i % 2];
      const response = await fetch(`${server.url}/oauth/token`, {
        method: "POST",
        // each from its own address, so the per-address failure limit stays out of this test
        headers: { "content-type": FORM_TYPE, "x-forwarded-for": `198.51.100.${i + 1}` },
        body,
      });
      return { server, status: response.status, json: (await response.json()) as Record<string, unknown> };
    });
    const results = await Promise.all(submissions);

    const issued = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 401);
    expect(issued).toHaveLength(1);
    expect(refused).toHaveLength(SUBMISSIONS - 1);
    for (const r of refused) expect(r.json).toEqual({ error: "invalid_client", error_description: "Client authentication failed." });
    // the token is genuine and verifies against the keys both processes publish
    const { payload } = await jwtVerify(String(issued[0].json.access_token), createLocalJWKSet(await jwks(servers[0])), { issuer: issuer(), typ: "at+jwt" });
    expect(payload.client_id).toBe(client.clientId);

    // the recorded reasons, once both processes have flushed their events (every 200 ms)
    const deadline = Date.now() + 10_000;
    let events: { outcome: string; reason: string | null }[] = [];
    while (Date.now() < deadline) {
      events = await db().authEvent.findMany({ where: { clientId: client.clientId }, select: { outcome: true, reason: true } });
      if (events.length >= SUBMISSIONS) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(events.filter((e) => e.outcome === "success")).toHaveLength(1);
    expect(events.filter((e) => e.outcome === "failure").map((e) => e.reason)).toEqual(Array(SUBMISSIONS - 1).fill("jti_replayed"));
    expect(await db().usedAssertion.count({ where: { clientId: client.id } })).toBe(1);
  });
});
