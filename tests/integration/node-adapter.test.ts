// The node:http adapter the app's server (scripts/app-server.ts) and the token server share: it answers
// the paths it owns, with the same status, headers and body the route handlers give, and leaves every
// other request untouched for Next.js.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnect } from "@/lib/db";
import { flushAuthEvents } from "@/lib/oauth/events";
import { AUTHENTICATED_ROUTES, serveOAuth } from "@/lib/oauth/node-adapter";
import { makeCast, resetDatabase } from "./helpers";
import { basic, form, secretClient } from "./oauth-fixtures";

let client: Awaited<ReturnType<typeof secretClient>>;
let server: http.Server;
let base: string;
const passedOn: string[] = [];

beforeAll(async () => {
  await resetDatabase();
  const cast = await makeCast();
  client = await secretClient(cast.admin, cast.teamA.id);
  // as the app's server does: the adapter first, then whatever serves the rest (here a stand-in for Next.js)
  server = http.createServer((req, res) => {
    if (serveOAuth(req, res, AUTHENTICATED_ROUTES)) return;
    passedOn.push(`${req.method} ${req.url}`);
    res.writeHead(299).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await flushAuthEvents();
  await disconnect();
});

const tokenRequest = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/oauth/token`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });

describe("the node:http adapter in front of the app", () => {
  it("issues a token with no-store caching and the console's security headers", async () => {
    const response = await tokenRequest(form({ grant_type: "client_credentials" }), { authorization: basic(client.clientId, client.secret) });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(await response.json()).toMatchObject({ token_type: "Bearer" });
  });

  it("answers a wrong secret over Basic with 401 and a Basic challenge", async () => {
    const response = await tokenRequest(form({ grant_type: "client_credentials" }), { authorization: basic(client.clientId, "kss_wrong") });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect(await response.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed." });
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const response = await tokenRequest(`grant_type=client_credentials&pad=${"x".repeat(70 * 1024)}`, { authorization: basic(client.clientId, client.secret) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  it("answers other methods on its paths with 405 naming POST, and never passes them on", async () => {
    const response = await fetch(`${base}/oauth/introspect?x=1`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(passedOn).toEqual([]);
  });

  it("passes every other path on untouched, the metadata and near misses included", async () => {
    for (const path of ["/login", "/oauth/token/", "/oauth/tokens", "/.well-known/jwks.json", "/api/v1/clients"]) {
      expect((await fetch(`${base}${path}`, { method: "POST", body: "a=b" })).status).toBe(299);
    }
    expect(passedOn).toEqual(["POST /login", "POST /oauth/token/", "POST /oauth/tokens", "POST /.well-known/jwks.json", "POST /api/v1/clients"]);
  });
});
