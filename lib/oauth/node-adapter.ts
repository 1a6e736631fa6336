// The node:http side of the OAuth endpoints, shared by the token server (scripts/token-server.ts) and
// the app's production server (scripts/app-server.ts), which answers the token and introspection
// endpoints here before Next.js's router sees the request. next-adapter.ts is the route-handler side,
// which `npm run dev` serves. Both hand the same core (endpoint.ts) the headers, the raw body and the
// caller's address.
import type http from "node:http";
import { disconnect } from "../db";
import { logUnexpected } from "../log";
import { addressFrom } from "../net/address";
import { authorizationServerMetadata, handleIntrospectionRequest, handleTokenRequest, jwksResponse, type OAuthResponse } from "./endpoint";
import { flushAuthEvents } from "./events";
import { MAX_BODY_BYTES, type OAuthRequest } from "./request";

export type NodeRoutes = {
  post: Partial<Record<string, (request: OAuthRequest) => Promise<OAuthResponse>>>;
  get: Partial<Record<string, () => Promise<OAuthResponse>>>;
};

/** The endpoints a client authenticates to: what the app's server takes away from Next.js's router. */
export const AUTHENTICATED_ROUTES: NodeRoutes = {
  post: {
    "/oauth/token": (r) => handleTokenRequest(r),
    "/oauth/introspect": (r) => handleIntrospectionRequest(r),
  },
  get: {},
};

/** Everything the token server serves: the authenticated endpoints, the metadata and the JWKS. */
export const TOKEN_SERVER_ROUTES: NodeRoutes = {
  post: AUTHENTICATED_ROUTES.post,
  get: {
    "/.well-known/oauth-authorization-server": () => authorizationServerMetadata(),
    "/.well-known/openid-configuration": () => authorizationServerMetadata(),
    "/.well-known/jwks.json": () => jwksResponse(),
  },
};

// what next.config.mjs adds to every response of the app, so an endpoint answers alike whichever side serves it
const SECURITY_HEADERS = { "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };

function send(res: http.ServerResponse, result: OAuthResponse): void {
  res.writeHead(result.status, { ...SECURITY_HEADERS, ...result.headers, "Content-Length": Buffer.byteLength(result.body) });
  res.end(result.body);
}

export function sendError(res: http.ServerResponse, status: number, error: string, description: string, headers: Record<string, string> = {}): void {
  send(res, { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers }, body: JSON.stringify({ error, error_description: description }) });
}

/**
 * The body, or null once it passes MAX_BODY_BYTES. The rest of an oversized body is read and dropped
 * rather than left unread: closing a socket with unread input resets the connection, and the caller
 * would lose the 413 it is about to get.
 */
function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | null = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (!chunks) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return chunks.push(chunk);
      chunks = null;
      resolve(null);
    });
    req.on("end", () => chunks && resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function answer(req: http.IncomingMessage, res: http.ServerResponse, post: NodeRoutes["post"][string], get: NodeRoutes["get"][string]): Promise<void> {
  try {
    if (req.method === "POST" && post) {
      const body = await readBody(req);
      // the connection closes after the answer, so the client cannot keep streaming into it
      if (body === null) return sendError(res, 413, "invalid_request", "The request body is too large.", { Connection: "close" });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
      return send(res, await post({ headers, body, address: addressFrom(req.headers, req.socket.remoteAddress ?? "unknown") }));
    }
    if (req.method === "GET" && get) return send(res, await get());
    sendError(res, 405, "invalid_request", `Use ${post ? "POST" : "GET"}.`, { Allow: post ? "POST" : "GET" });
  } catch (error) {
    const reference = logUnexpected(error, "OAuth endpoint failed");
    if (!res.headersSent) sendError(res, 500, "server_error", `Internal error (reference ${reference}).`);
  }
}

/**
 * Answers the request when its path is one of `routes` (any method: a wrong one gets 405 naming the
 * right one) and returns true; returns false, having touched nothing, for any other path.
 */
export function serveOAuth(req: http.IncomingMessage, res: http.ServerResponse, routes: NodeRoutes): boolean {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  const post = routes.post[path];
  const get = routes.get[path];
  if (!post && !get) return false;
  void answer(req, res, post, get);
  return true;
}

/**
 * On SIGINT or SIGTERM: stop accepting connections, write the authentication events still in memory,
 * close the database and exit. `before` stops the process's own background work first.
 */
export function stopOnSignal(server: http.Server, before: () => void = () => {}): void {
  const stop = () => {
    before();
    server.close();
    server.closeIdleConnections();
    void flushAuthEvents()
      .then(() => disconnect())
      .finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
