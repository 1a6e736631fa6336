// The Next.js adapters of the OAuth endpoints: what an HTTP client gets from the console's routes
// (the core's rules are tested in token-endpoint.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as tokenGet, POST as tokenPost } from "@/app/oauth/token/route";
import { GET as metadataGet } from "@/app/.well-known/oauth-authorization-server/route";
import { GET as jwksGet } from "@/app/.well-known/jwks.json/route";
import { issuer } from "@/lib/config";
import { disconnect } from "@/lib/db";
import { flushAuthEvents } from "@/lib/oauth/events";
import { makeCast, resetDatabase } from "./helpers";
import { basic, form, secretClient } from "./oauth-fixtures";

let client: Awaited<ReturnType<typeof secretClient>>;

beforeAll(async () => {
  await resetDatabase();
  const cast = await makeCast();
  client = await secretClient(cast.admin, cast.teamA.id);
});
afterAll(async () => {
  await flushAuthEvents();
  await disconnect();
});

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  tokenPost(new Request("http://localhost/oauth/token", { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, duplex: "half" } as RequestInit));

describe("console OAuth routes", () => {
  it("issue a token with no-store caching", async () => {
    const response = await post(form({ grant_type: "client_credentials" }), { authorization: basic(client.clientId, client.secret), "x-forwarded-for": "203.0.113.5" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ token_type: "Bearer" });
  });

  it("refuse a body over 64 KiB, even one sent without a length", async () => {
    const big = `grant_type=client_credentials&pad=${"x".repeat(70 * 1024)}`;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    for (const body of [big, stream]) {
      const response = await post(body, { authorization: basic(client.clientId, client.secret) });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: "invalid_request" });
    }
  });

  it("answer other methods with 405 naming POST", async () => {
    const response = tokenGet();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("serve the metadata with the configured issuer and the JWKS it points at", async () => {
    const metadata = await (await metadataGet()).json();
    expect(metadata).toMatchObject({ issuer: issuer(), token_endpoint: `${issuer()}/oauth/token`, jwks_uri: `${issuer()}/.well-known/jwks.json` });
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "client_secret_post", "private_key_jwt"]);
    const jwks = await (await jwksGet()).json();
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
    expect(jwks.keys.every((k: Record<string, unknown>) => k.d === undefined)).toBe(true);
  });
});
