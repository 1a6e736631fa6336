// `npm run token-server`: the token endpoint's data plane as a lean HTTP process (DESIGN.md, "Token
// server"), on TOKEN_PORT, sharing lib/oauth and the database with the console. It serves the token,
// introspection, metadata and JWKS endpoints; everything else is the console's. It never migrates (the
// console's `npm start` does): it refuses to start on a database that lacks a migration.
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";
import { issuer } from "../lib/config";
import { useWriteAheadLog } from "../lib/db";
import { startJwksRefresher } from "../lib/keys/refresher";
import { log } from "../lib/log";
import { runSignaturesInline } from "../lib/oauth/assertion";
import { sendError, serveOAuth, stopOnSignal, TOKEN_SERVER_ROUTES } from "../lib/oauth/node-adapter";
import { ensureServerKeys } from "../lib/oauth/server-keys";
import { pendingMigrations } from "./db";

export function createTokenServer(): http.Server {
  return http.createServer((req, res) => {
    if (!serveOAuth(req, res, TOKEN_SERVER_ROUTES)) sendError(res, 404, "not_found", "The token server serves /oauth/token, /oauth/introspect and the well-known metadata and JWKS.");
  });
}

/**
 * TOKEN_WORKERS processes share the port (node:cluster); the default, "auto", is one per core, at most
 * 8 (each worker holds its own database connections: up to 4 for reservations and events, and Prisma's).
 * A worker per core checks signatures and signs tokens on its own event loop (runSignaturesInline):
 * handing that work to libuv's thread pool would only add hand-offs. bench:token on 2 cores with SQLite,
 * ES256 at concurrency 16: one worker with the thread pool 2162-2711 req/s, two workers inline
 * 3411-3693. With fewer workers than cores, the thread pool keeps the other cores busy.
 */
export function autoWorkers(cores: number): number {
  return Math.min(8, Math.max(1, cores));
}

function workerCount(): number {
  const raw = process.env.TOKEN_WORKERS?.trim() || "auto";
  const count = raw === "auto" ? autoWorkers(os.availableParallelism()) : Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new Error("TOKEN_WORKERS must be a whole number from 1 to 64, or auto");
  return count;
}

async function main(): Promise<void> {
  const port = Number(process.env.TOKEN_PORT ?? 3001);
  if (cluster.isPrimary) {
    issuer(); // fail early, naming the variable, when the issuer is required and missing
    const workers = workerCount();
    const pending = await pendingMigrations();
    if (pending.length) {
      throw new Error(`the database is not migrated (${pending.length} migration(s) not applied: ${pending.join(", ")}); run npm start (or npm run db:migrate) first`);
    }
    await useWriteAheadLog();
    await ensureServerKeys();
    if (workers > 1) return supervise(workers, port);
  }
  // a worker per core has a core to itself; with fewer, the thread pool puts the other cores to work
  runSignaturesInline(workerCount() >= os.availableParallelism());
  const server = createTokenServer();
  // clients keep connections open between token requests
  server.keepAliveTimeout = 65_000;
  server.listen(port, () => {
    if (cluster.isPrimary) log.info({ port, issuer: issuer() }, "token server listening");
  });
  // each worker runs the jwks_uri refresher too: leases keep it to one fetch per client across all of them
  stopOnSignal(server, startJwksRefresher());
}

/** The primary only forks and restarts workers; each worker serves, batches its events and flushes them on SIGTERM. */
function supervise(workers: number, port: number): void {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    log.error({ pid: worker.process.pid, code, signal }, "token server worker ended; starting another");
    cluster.fork();
  });
  cluster.once("listening", () => log.info({ port, issuer: issuer(), workers }, "token server listening"));
  const stop = () => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    if (!alive.length) process.exit(0);
    let left = alive.length;
    for (const worker of alive) {
      worker!.once("exit", () => --left === 0 && process.exit(0));
      worker!.process.kill("SIGTERM");
    }
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`token-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
