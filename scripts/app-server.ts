// The app's production server, which `npm start` runs (scripts/start.ts): Next.js serves the console,
// the REST API and the metadata documents through its request handler, as `next start` would, and the
// token and introspection endpoints are answered before Next.js's router sees them, by the node:http
// adapter the token server uses (lib/oauth/node-adapter.ts). Both sides run the same core
// (lib/oauth/endpoint.ts) against the same database connection; Next.js's routing and response plumbing
// cost about 1 ms of CPU per request here, several times what an ES256 token request costs in the core,
// and the token endpoint is the one path clients call at high rates. `npm run dev` keeps `next dev`,
// where the route handlers in app/oauth serve the same core.
import http from "node:http";
import path from "node:path";
import next from "next";
import { log, logUnexpected } from "../lib/log";
import { AUTHENTICATED_ROUTES, serveOAuth, stopOnSignal } from "../lib/oauth/node-adapter";

const root = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const app = next({ dev: false, dir: root });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    if (serveOAuth(req, res, AUTHENTICATED_ROUTES)) return;
    handle(req, res).catch((error: unknown) => {
      const reference = logUnexpected(error, "request failed");
      // an answer already under way cannot become a 500: the connection is cut so the client sees it failed
      if (res.headersSent) return res.destroy();
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end(`Internal error (reference ${reference}).`);
    });
  });
  // token clients keep their connections open between requests
  server.keepAliveTimeout = 65_000;
  server.listen(port, () => log.info({ port }, "app server listening"));
  stopOnSignal(server);
}

main().catch((error) => {
  process.stderr.write(`keyshift: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
