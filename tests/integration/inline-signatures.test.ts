// The token endpoint checks signatures and signs tokens either on libuv's thread pool (the app) or
// inline on the event loop (the token server with a worker per core): both must give the same answers,
// on SQLite and PostgreSQL.
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { issuer } from "@/lib/config";
import { disconnect } from "@/lib/db";
import { runSignaturesInline } from "@/lib/oauth/assertion";
import { jwksResponse } from "@/lib/oauth/endpoint";
import { makeCast, resetDatabase } from "./helpers";
import { assertion, form, jwtClient, jwtParams, lastEvent, makeKey, tokenRequest, type TestKey } from "./oauth-fixtures";

const ALGORITHMS = ["ES256", "RS256", "PS256", "EdDSA"] as const;
let keys: Record<(typeof ALGORITHMS)[number], TestKey>;
let strangers: Record<(typeof ALGORITHMS)[number], TestKey>;
let client: { id: string; clientId: string };

beforeAll(async () => {
  await resetDatabase();
  const cast = await makeCast();
  keys = Object.fromEntries(await Promise.all(ALGORITHMS.map(async (alg) => [alg, await makeKey(alg)]))) as typeof keys;
  // other key pairs under the same kids: a signature an attacker could make
  strangers = Object.fromEntries(await Promise.all(ALGORITHMS.map(async (alg) => [alg, await makeKey(alg, keys[alg].kid)]))) as typeof strangers;
  client = await jwtClient(cast.admin, cast.teamA.id, Object.values(keys));
});
afterEach(() => runSignaturesInline(false));
afterAll(disconnect);

describe.each([
  ["on the thread pool", false],
  ["inline", true],
])("signatures %s", (_, inline) => {
  it.each(ALGORITHMS)("%s: a valid assertion gets a token that verifies against the published keys", async (alg) => {
    runSignaturesInline(inline);
    const response = await tokenRequest(form(jwtParams(await assertion(client.clientId, issuer(), keys[alg]))));
    expect(response.status).toBe(200);
    const jwks = JSON.parse((await jwksResponse()).body);
    const { payload, protectedHeader } = await jwtVerify(String(response.json.access_token), createLocalJWKSet(jwks), { issuer: issuer(), typ: "at+jwt" });
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload.client_id).toBe(client.clientId);
  });

  it.each(ALGORITHMS)("%s: another key's signature, a changed payload and a cut signature are refused", async (alg) => {
    runSignaturesInline(inline);
    const good = await assertion(client.clientId, issuer(), keys[alg]);
    const [header, payload, signature] = good.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const changed = Buffer.from(JSON.stringify({ ...claims, jti: `${claims.jti}x` })).toString("base64url");
    const forged = [
      await assertion(client.clientId, issuer(), keys[alg], { key: strangers[alg] }),
      `${header}.${changed}.${signature}`,
      `${header}.${payload}.${signature.slice(0, 20)}`,
    ];
    for (const token of forged) {
      const response = await tokenRequest(form(jwtParams(token)));
      expect(response.status).toBe(401);
      expect(response.json.error).toBe("invalid_client");
      expect((await lastEvent(client.clientId))?.reason).toBe("signature_invalid");
    }
  });
});
