// The token endpoint's rules, table-driven: each case is a request a client (or an attacker) could
// send, the answer it must get, and the precise reason that must be recorded, on SQLite and PostgreSQL.
import { createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuer } from "@/lib/config";
import { db, disconnect } from "@/lib/db";
import { revokeSecret } from "@/lib/secrets/commands";
import { updateSettings } from "@/lib/settings";
import { forgetCachedClients } from "@/lib/oauth/client-auth";
import { handleIntrospectionRequest, jwksResponse } from "@/lib/oauth/endpoint";
import { flushAuthEvents } from "@/lib/oauth/events";
import { forgetEndpointPolicy, tokenEndpointUrl } from "@/lib/oauth/policy";
import { FAILURE_REASON_CODES } from "@/lib/oauth/reasons";
import { makeCast, resetDatabase, uniq, type Cast } from "./helpers";
import { assertion, basic, form, jwtClient, jwtParams, lastEvent, makeKey, secretClient, tokenRequest, type TestKey } from "./oauth-fixtures";

let cast: Cast;
let es256: TestKey;
let es256b: TestKey;
let rs256: TestKey;
let retired: TestKey;
let stranger: TestKey;
let es384: TestKey;
let secretC: Awaited<ReturnType<typeof secretClient>>;
let postC: Awaited<ReturnType<typeof secretClient>>;
let revokedC: Awaited<ReturnType<typeof secretClient>>;
let expiredC: Awaited<ReturnType<typeof secretClient>>;
let disabledC: Awaited<ReturnType<typeof secretClient>>;
let noGrantC: Awaited<ReturnType<typeof secretClient>>;
let jwtC: { id: string; clientId: string };
let twoKeysC: { id: string; clientId: string };
let keylessC: { id: string; clientId: string };
let compatC: { id: string; clientId: string };

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  forgetEndpointPolicy();
  [es256, es256b, rs256, retired, stranger, es384] = await Promise.all([makeKey("ES256", "k1"), makeKey("ES256", "k2"), makeKey("RS256", "r1"), makeKey("ES256", "old"), makeKey("ES256", "k1"), makeKey("ES384", "p384")]);
  const team = cast.teamA.id;
  secretC = await secretClient(cast.admin, team, { scopes: ["read", "write"] });
  await db().client.update({ where: { id: secretC.id }, data: { resources: "https://api.example.test/ledger" } });
  postC = await secretClient(cast.admin, team, { authMethod: "client_secret_post" });
  revokedC = await secretClient(cast.admin, team);
  await revokeSecret(cast.admin, revokedC.id, revokedC.secretId);
  expiredC = await secretClient(cast.admin, team);
  await db().clientSecret.update({ where: { id: expiredC.secretId }, data: { expiresAt: new Date(Date.now() - 1000) } });
  disabledC = await secretClient(cast.admin, team);
  await db().client.update({ where: { id: disabledC.id }, data: { status: "disabled" } });
  noGrantC = await secretClient(cast.admin, team, { grantTypes: ["authorization_code"] });
  jwtC = await jwtClient(cast.admin, team, [es256, rs256, retired]);
  await db().clientKey.updateMany({ where: { clientId: jwtC.id, kid: "old" }, data: { status: "retired" } });
  twoKeysC = await jwtClient(cast.admin, team, [es256, es256b]);
  keylessC = await jwtClient(cast.admin, team, []);
  compatC = await jwtClient(cast.admin, team, [es256]);
  await db().client.update({ where: { id: compatC.id }, data: { audienceCompat: true } });
});
afterAll(disconnect);

type Case = {
  name: string;
  request: () => Promise<{ body: string; authorization?: string; contentType?: string }>;
  status: number;
  error: string;
  reason: string;
  /** the client_id the event is recorded under */
  clientId: () => string;
  basicChallenge?: boolean;
  audienceForm?: string;
};

const cc = (params: Record<string, string> = {}) => form({ grant_type: "client_credentials", ...params });
const jwt = async (client: () => { clientId: string }, options: Parameters<typeof assertion>[3] = {}, key: () => TestKey = () => es256, extra: Record<string, string> = {}) => ({
  body: form(jwtParams(await assertion(client().clientId, issuer(), key(), options), extra)),
});

const CASES: Case[] = [
  // the request
  { name: "a JSON body", request: async () => ({ body: JSON.stringify({ grant_type: "client_credentials" }), contentType: "application/json", authorization: basic(secretC.clientId, secretC.secret) }), status: 400, error: "invalid_request", reason: "invalid_request", clientId: () => secretC.clientId },
  { name: "a repeated parameter", request: async () => ({ body: `${cc()}&scope=read&scope=write`, authorization: basic(secretC.clientId, secretC.secret) }), status: 400, error: "invalid_request", reason: "invalid_request", clientId: () => secretC.clientId },
  { name: "no grant_type", request: async () => ({ body: form({ scope: "read" }), authorization: basic(secretC.clientId, secretC.secret) }), status: 400, error: "invalid_request", reason: "invalid_request", clientId: () => secretC.clientId },
  { name: "the password grant", request: async () => ({ body: form({ grant_type: "password", username: "u", password: "p" }), authorization: basic(secretC.clientId, secretC.secret) }), status: 400, error: "unsupported_grant_type", reason: "unsupported_grant_type", clientId: () => secretC.clientId },
  { name: "no client authentication", request: async () => ({ body: cc({ client_id: secretC.clientId }) }), status: 401, error: "invalid_client", reason: "no_client_auth", clientId: () => secretC.clientId },
  // one method per request
  { name: "a Basic header and a body secret", request: async () => ({ body: cc({ client_secret: secretC.secret }), authorization: basic(secretC.clientId, secretC.secret) }), status: 400, error: "invalid_request", reason: "multiple_methods", clientId: () => secretC.clientId },
  { name: "a body secret and an assertion", request: async () => ({ body: form({ ...jwtParams(await assertion(jwtC.clientId, issuer(), es256)), client_id: jwtC.clientId, client_secret: "x" }) }), status: 400, error: "invalid_request", reason: "multiple_methods", clientId: () => jwtC.clientId },
  { name: "a Basic header and an assertion", request: async () => ({ body: form(jwtParams(await assertion(jwtC.clientId, issuer(), es256))), authorization: basic(jwtC.clientId, "x") }), status: 400, error: "invalid_request", reason: "multiple_methods", clientId: () => jwtC.clientId },
  { name: "a Basic header that is not base64 credentials", request: async () => ({ body: cc(), authorization: "Basic !!!" }), status: 401, error: "invalid_client", reason: "malformed_basic", clientId: () => "", basicChallenge: true },
  // the client
  { name: "an unknown client", request: async () => ({ body: cc(), authorization: basic("no-such-client", "kss_x") }), status: 401, error: "invalid_client", reason: "client_unknown", clientId: () => "no-such-client", basicChallenge: true },
  { name: "a disabled client", request: async () => ({ body: cc(), authorization: basic(disabledC.clientId, disabledC.secret) }), status: 401, error: "invalid_client", reason: "client_disabled", clientId: () => disabledC.clientId, basicChallenge: true },
  { name: "client_secret_post for a client registered for Basic", request: async () => ({ body: cc({ client_id: secretC.clientId, client_secret: secretC.secret }) }), status: 401, error: "invalid_client", reason: "method_not_accepted", clientId: () => secretC.clientId },
  { name: "Basic with a different client_id in the body", request: async () => ({ body: cc({ client_id: postC.clientId }), authorization: basic(secretC.clientId, secretC.secret) }), status: 401, error: "invalid_client", reason: "client_id_mismatch", clientId: () => secretC.clientId, basicChallenge: true },
  { name: "an assertion for a client that only accepts secrets", request: () => jwt(() => secretC), status: 401, error: "invalid_client", reason: "method_not_accepted", clientId: () => secretC.clientId },
  // secrets
  { name: "a wrong secret", request: async () => ({ body: cc(), authorization: basic(secretC.clientId, "kss_wrong") }), status: 401, error: "invalid_client", reason: "secret_mismatch", clientId: () => secretC.clientId, basicChallenge: true },
  { name: "a revoked secret", request: async () => ({ body: cc(), authorization: basic(revokedC.clientId, revokedC.secret) }), status: 401, error: "invalid_client", reason: "secret_revoked", clientId: () => revokedC.clientId, basicChallenge: true },
  { name: "an expired secret", request: async () => ({ body: cc(), authorization: basic(expiredC.clientId, expiredC.secret) }), status: 401, error: "invalid_client", reason: "secret_expired", clientId: () => expiredC.clientId, basicChallenge: true },
  { name: "another client's secret", request: async () => ({ body: cc(), authorization: basic(secretC.clientId, postC.secret) }), status: 401, error: "invalid_client", reason: "secret_mismatch", clientId: () => secretC.clientId, basicChallenge: true },
  // assertion format and header
  { name: "a wrong client_assertion_type", request: async () => ({ body: form({ ...jwtParams(await assertion(jwtC.clientId, issuer(), es256)), client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" }) }), status: 401, error: "invalid_client", reason: "assertion_type_invalid", clientId: () => jwtC.clientId },
  { name: "an encrypted assertion (JWE)", request: async () => ({ body: form({ ...jwtParams("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"), client_id: jwtC.clientId }) }), status: 401, error: "invalid_client", reason: "assertion_encrypted", clientId: () => jwtC.clientId },
  { name: "an assertion that is not a JWS", request: async () => ({ body: form({ ...jwtParams("not-a-jwt"), client_id: jwtC.clientId }) }), status: 401, error: "invalid_client", reason: "assertion_malformed", clientId: () => jwtC.clientId },
  {
    name: "an unsigned assertion (alg none)",
    request: async () => {
      const now = Math.floor(Date.now() / 1000);
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
      const token = `${enc({ alg: "none" })}.${enc({ iss: jwtC.clientId, sub: jwtC.clientId, aud: issuer(), exp: now + 60, jti: uniq("j") })}.`;
      return { body: form(jwtParams(token)) };
    },
    status: 401, error: "invalid_client", reason: "alg_none", clientId: () => jwtC.clientId,
  },
  {
    name: "an HMAC-signed assertion (HS256)",
    request: async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ iss: jwtC.clientId, sub: jwtC.clientId, aud: issuer(), exp: now + 60, jti: uniq("j") }).setProtectedHeader({ alg: "HS256", kid: "k1" }).sign(new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!!"));
      return { body: form(jwtParams(token)) };
    },
    status: 401, error: "invalid_client", reason: "alg_not_allowed", clientId: () => jwtC.clientId,
  },
  { name: "typ at+jwt (an access token, not an assertion)", request: () => jwt(() => jwtC, { header: { typ: "at+jwt" } }), status: 401, error: "invalid_client", reason: "typ_invalid", clientId: () => jwtC.clientId },
  { name: "an unknown critical header", request: () => jwt(() => jwtC, { header: { crit: ["exp-ext"], "exp-ext": 1 } }), status: 401, error: "invalid_client", reason: "crit_unsupported", clientId: () => jwtC.clientId },
  // claims
  { name: "iss another client", request: async () => ({ body: form({ ...jwtParams(await assertion(jwtC.clientId, issuer(), es256, { claims: { iss: secretC.clientId } })) }) }), status: 401, error: "invalid_client", reason: "iss_mismatch", clientId: () => jwtC.clientId },
  { name: "sub another client than the body's client_id", request: () => jwt(() => jwtC, { claims: { sub: secretC.clientId } }, () => es256, { client_id: jwtC.clientId }), status: 401, error: "invalid_client", reason: "sub_mismatch", clientId: () => jwtC.clientId },
  { name: "no aud", request: () => jwt(() => jwtC, { omit: ["aud"] }), status: 401, error: "invalid_client", reason: "aud_missing", clientId: () => jwtC.clientId, audienceForm: "missing" },
  { name: "aud as a one-element array of the issuer", request: () => jwt(() => jwtC, { claims: { aud: [issuer()] } }), status: 401, error: "invalid_client", reason: "aud_array", clientId: () => jwtC.clientId, audienceForm: "array" },
  { name: "aud the token endpoint URL (compatibility mode off)", request: () => jwt(() => jwtC, { claims: { aud: tokenEndpointUrl() } }), status: 401, error: "invalid_client", reason: "aud_mismatch", clientId: () => jwtC.clientId, audienceForm: "token_endpoint" },
  { name: "aud another server", request: () => jwt(() => jwtC, { claims: { aud: "https://other.example.test" } }), status: 401, error: "invalid_client", reason: "aud_mismatch", clientId: () => jwtC.clientId, audienceForm: "other" },
  { name: "aud the issuer with a trailing slash", request: () => jwt(() => jwtC, { claims: { aud: `${issuer()}/` } }), status: 401, error: "invalid_client", reason: "aud_mismatch", clientId: () => jwtC.clientId, audienceForm: "other" },
  { name: "no exp", request: () => jwt(() => jwtC, { omit: ["exp"] }), status: 401, error: "invalid_client", reason: "exp_missing", clientId: () => jwtC.clientId },
  { name: "an expired assertion", request: () => jwt(() => jwtC, { claims: { exp: Math.floor(Date.now() / 1000) - 120 } }), status: 401, error: "invalid_client", reason: "expired", clientId: () => jwtC.clientId },
  { name: "exp an hour ahead", request: () => jwt(() => jwtC, { claims: { exp: Math.floor(Date.now() / 1000) + 3600 } }), status: 401, error: "invalid_client", reason: "exp_too_far", clientId: () => jwtC.clientId },
  { name: "iat ten minutes ahead", request: () => jwt(() => jwtC, { claims: { iat: Math.floor(Date.now() / 1000) + 600 } }), status: 401, error: "invalid_client", reason: "iat_future", clientId: () => jwtC.clientId },
  { name: "nbf ten minutes ahead", request: () => jwt(() => jwtC, { claims: { nbf: Math.floor(Date.now() / 1000) + 600 } }), status: 401, error: "invalid_client", reason: "not_yet_valid", clientId: () => jwtC.clientId },
  { name: "no jti", request: () => jwt(() => jwtC, { omit: ["jti"] }), status: 401, error: "invalid_client", reason: "jti_missing", clientId: () => jwtC.clientId },
  // keys
  { name: "a kid the client does not have", request: () => jwt(() => jwtC, { kid: "k9" }), status: 401, error: "invalid_client", reason: "kid_unknown", clientId: () => jwtC.clientId },
  { name: "a retired key", request: () => jwt(() => jwtC, {}, () => retired), status: 401, error: "invalid_client", reason: "key_not_active", clientId: () => jwtC.clientId },
  { name: "no kid while two keys fit the algorithm", request: () => jwt(() => twoKeysC, { kid: null }), status: 401, error: "invalid_client", reason: "kid_required", clientId: () => twoKeysC.clientId },
  { name: "the EC key's kid on an RS256 assertion", request: () => jwt(() => jwtC, { kid: "k1" }, () => rs256), status: 401, error: "invalid_client", reason: "alg_key_mismatch", clientId: () => jwtC.clientId },
  { name: "no kid and an algorithm none of the keys fits (ES384)", request: () => jwt(() => jwtC, { kid: null }, () => es384), status: 401, error: "invalid_client", reason: "no_usable_key", clientId: () => jwtC.clientId },
  { name: "a client without keys", request: () => jwt(() => keylessC), status: 401, error: "invalid_client", reason: "no_keys", clientId: () => keylessC.clientId },
  { name: "a signature by another key under a registered kid", request: () => jwt(() => jwtC, {}, () => stranger), status: 401, error: "invalid_client", reason: "signature_invalid", clientId: () => jwtC.clientId },
  {
    name: "the signer's own key in the jwk header (never trusted)",
    request: async () => jwt(() => jwtC, { header: { jwk: stranger.publicJwk } }, () => stranger),
    status: 401, error: "invalid_client", reason: "signature_invalid", clientId: () => jwtC.clientId,
  },
  // after authentication
  { name: "a client not registered for client_credentials", request: async () => ({ body: cc(), authorization: basic(noGrantC.clientId, noGrantC.secret) }), status: 400, error: "unauthorized_client", reason: "unauthorized_client", clientId: () => noGrantC.clientId },
  { name: "a scope the client does not have", request: async () => ({ body: cc({ scope: "read admin" }), authorization: basic(secretC.clientId, secretC.secret) }), status: 400, error: "invalid_scope", reason: "invalid_scope", clientId: () => secretC.clientId },
  { name: "a resource the client may not use", request: async () => ({ body: cc({ resource: "https://api.example.test/other" }), authorization: basic(secretC.clientId, secretC.secret) }), status: 400, error: "invalid_target", reason: "invalid_target", clientId: () => secretC.clientId },
  { name: "a resource with a fragment", request: async () => ({ body: cc({ resource: "https://api.example.test/ledger#x" }), authorization: basic(secretC.clientId, secretC.secret) }), status: 400, error: "invalid_target", reason: "invalid_target", clientId: () => secretC.clientId },
];

describe("token endpoint rejections", () => {
  for (const c of CASES) {
    it(`refuses ${c.name}: ${c.status} ${c.error}, recorded as ${c.reason}`, async () => {
      const request = await c.request();
      const response = await tokenRequest(request.body, { authorization: request.authorization, contentType: request.contentType });
      expect(response.status).toBe(c.status);
      expect(response.json.error).toBe(c.error);
      // a fixed description: the precise reason is never told to the caller
      expect(typeof response.json.error_description).toBe("string");
      expect(String(response.json.error_description)).not.toMatch(new RegExp(c.reason));
      expect(response.headers["Cache-Control"]).toBe("no-store");
      expect(response.headers["WWW-Authenticate"] !== undefined).toBe(!!c.basicChallenge);
      expect(response.json.access_token).toBeUndefined();
      const event = await lastEvent(c.clientId());
      expect(event).toMatchObject({ outcome: "failure", reason: c.reason, endpoint: "token", address: response.address });
      if (c.audienceForm) expect(event?.audienceForm).toBe(c.audienceForm);
    });
  }

  it("covers every documented reason, in this table or in the tests below", () => {
    // the jwks_uri reasons need a key server: tests/integration/jwks-uri.test.ts asserts them
    const covered = new Set([...CASES.map((c) => c.reason), "jti_replayed", "rate_limited", "introspection_not_permitted", "jwks_uri_stale", "jwks_uri_unavailable"]);
    expect(FAILURE_REASON_CODES.filter((r) => !covered.has(r))).toEqual([]);
  });
});

describe("token endpoint successes", () => {
  async function verifyIssued(accessToken: string) {
    const jwks = JSON.parse((await jwksResponse()).body);
    return jwtVerify(accessToken, createLocalJWKSet(jwks), { issuer: issuer(), typ: "at+jwt" });
  }

  it("issues an RFC 9068 access token to client_secret_basic, verifiable with the published JWKS", async () => {
    const response = await tokenRequest(cc({ scope: "read" }), { authorization: basic(secretC.clientId, secretC.secret) });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ token_type: "Bearer", expires_in: 600, scope: "read" });
    const { payload, protectedHeader } = await verifyIssued(String(response.json.access_token));
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    expect(payload).toMatchObject({ iss: issuer(), sub: secretC.clientId, client_id: secretC.clientId, scope: "read", aud: issuer() });
    expect(payload.exp! - payload.iat!).toBe(600);
    const event = await lastEvent(secretC.clientId);
    expect(event).toMatchObject({ outcome: "success", method: "client_secret_basic", reason: null, secretHint: secretC.secret.slice(0, 8) });
    const [secret, client] = await Promise.all([
      db().clientSecret.findUniqueOrThrow({ where: { id: secretC.secretId } }),
      db().client.findUniqueOrThrow({ where: { id: secretC.id } }),
    ]);
    expect(secret.lastUsedAt).not.toBeNull();
    expect(client).toMatchObject({ lastAuthMethod: "client_secret_basic" });
  });

  it("grants every registered scope when none is asked for, and uses a permitted resource as the audience", async () => {
    const response = await tokenRequest(cc({ resource: "https://api.example.test/ledger" }), { authorization: basic(secretC.clientId, secretC.secret) });
    expect(response.json.scope).toBe("read write");
    const { payload } = await verifyIssued(String(response.json.access_token));
    expect(payload.aud).toBe("https://api.example.test/ledger");
  });

  it("stops a secret revoked through the console at once, though client data is cached", async () => {
    const client = await secretClient(cast.admin, cast.teamA.id);
    expect((await tokenRequest(cc(), { authorization: basic(client.clientId, client.secret) })).status).toBe(200);
    await revokeSecret(cast.admin, client.id, client.secretId);
    expect((await tokenRequest(cc(), { authorization: basic(client.clientId, client.secret) })).status).toBe(401);
    expect(await lastEvent(client.clientId)).toMatchObject({ reason: "secret_revoked" });
  });

  it("accepts client_secret_post", async () => {
    const response = await tokenRequest(cc({ client_id: postC.clientId, client_secret: postC.secret }));
    expect(response.status).toBe(200);
    expect(await lastEvent(postC.clientId)).toMatchObject({ outcome: "success", method: "client_secret_post" });
  });

  for (const alg of ["ES256", "RS256", "PS256", "EdDSA"] as const) {
    it(`accepts a private_key_jwt assertion signed with ${alg} and records the kid`, async () => {
      const key = await makeKey(alg);
      const client = await jwtClient(cast.admin, cast.teamA.id, [key]);
      const response = await tokenRequest(form(jwtParams(await assertion(client.clientId, issuer(), key))));
      expect(response.status, JSON.stringify(response.json)).toBe(200);
      expect(await lastEvent(client.clientId)).toMatchObject({ outcome: "success", method: "private_key_jwt", kid: key.kid, audienceForm: "issuer" });
      expect((await db().clientKey.findFirstOrThrow({ where: { clientId: client.id } })).lastUsedAt).not.toBeNull();
    });
  }

  it("uses the only fitting key when the assertion has no kid", async () => {
    const response = await tokenRequest(form(jwtParams(await assertion(jwtC.clientId, issuer(), rs256, { kid: null }))));
    expect(response.status).toBe(200);
  });

  it("accepts the token endpoint URL as aud only in compatibility mode, and records that form", async () => {
    const response = await tokenRequest(form(jwtParams(await assertion(compatC.clientId, issuer(), es256, { claims: { aud: tokenEndpointUrl() } }))));
    expect(response.status).toBe(200);
    expect(await lastEvent(compatC.clientId)).toMatchObject({ outcome: "success", audienceForm: "token_endpoint" });
    // an array stays refused even in compatibility mode
    const array = await tokenRequest(form(jwtParams(await assertion(compatC.clientId, issuer(), es256, { claims: { aud: [tokenEndpointUrl()] } }))));
    expect(array.status).toBe(401);
  });

  it("accepts an assertion exactly once: the replay is refused and recorded", async () => {
    const token = await assertion(jwtC.clientId, issuer(), es256);
    expect((await tokenRequest(form(jwtParams(token)))).status).toBe(200);
    const replay = await tokenRequest(form(jwtParams(token)));
    expect(replay.status).toBe(401);
    expect(await lastEvent(jwtC.clientId)).toMatchObject({ outcome: "failure", reason: "jti_replayed" });
  });

  it("yields exactly one token when 50 copies of one assertion arrive at once", async () => {
    const client = await jwtClient(cast.admin, cast.teamA.id, [es256]);
    const token = await assertion(client.clientId, issuer(), es256);
    const responses = await Promise.all(Array.from({ length: 50 }, () => tokenRequest(form(jwtParams(token)), { address: "192.0.2.50" })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 401)).toHaveLength(49);
  });

  it("takes a shorter maximum assertion lifetime from the settings", async () => {
    await updateSettings(cast.admin, { "assertion.maxLifetimeSeconds": 60 });
    forgetEndpointPolicy();
    try {
      const response = await tokenRequest(form(jwtParams(await assertion(jwtC.clientId, issuer(), es256, { claims: { exp: Math.floor(Date.now() / 1000) + 200 } }))));
      expect(response.status).toBe(401);
      expect(await lastEvent(jwtC.clientId)).toMatchObject({ reason: "exp_too_far" });
    } finally {
      await updateSettings(cast.admin, { "assertion.maxLifetimeSeconds": 300 });
      forgetEndpointPolicy();
    }
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After once an address has failed too often, and records it", async () => {
    const address = "198.51.100.99";
    // the client authenticated from its usual address before the attack
    const home = "198.51.100.1";
    expect((await tokenRequest(cc(), { authorization: basic(secretC.clientId, secretC.secret), address: home })).status).toBe(200);
    for (let i = 0; i < 30; i++) await tokenRequest(cc(), { authorization: basic(secretC.clientId, "kss_guess"), address });
    const limited = await tokenRequest(cc(), { authorization: basic(secretC.clientId, secretC.secret), address });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["Retry-After"])).toBeGreaterThan(0);
    expect(await lastEvent(secretC.clientId)).toMatchObject({ reason: "rate_limited", address });
    // further refusals in the same minute answer 429 without adding an event each
    const recorded = await db().authEvent.count({ where: { reason: "rate_limited", address } });
    for (let i = 0; i < 5; i++) expect((await tokenRequest(cc(), { authorization: basic(secretC.clientId, "kss_guess"), address })).status).toBe(429);
    expect(await db().authEvent.count({ where: { reason: "rate_limited", address } })).toBe(recorded);
    // the client itself, from its usual address, is not slowed by someone else's failures
    expect((await tokenRequest(cc(), { authorization: basic(secretC.clientId, secretC.secret), address: home })).status).toBe(200);
  });
});

describe("introspection", () => {
  async function introspect(token: string, authorization: string) {
    const response = await handleIntrospectionRequest({ headers: { "content-type": "application/x-www-form-urlencoded", authorization }, body: form({ token }), address: "192.0.2.20" });
    await flushAuthEvents();
    return { status: response.status, json: JSON.parse(response.body) as Record<string, unknown> };
  }

  it("answers resource servers granted the permission, and refuses other clients", async () => {
    const issued = await tokenRequest(cc({ scope: "read" }), { authorization: basic(secretC.clientId, secretC.secret) });
    const token = String(issued.json.access_token);
    const rs = await secretClient(cast.admin, cast.teamA.id);
    const refused = await introspect(token, basic(rs.clientId, rs.secret));
    expect(refused.status).toBe(403);
    expect(await lastEvent(rs.clientId)).toMatchObject({ endpoint: "introspect", outcome: "failure", reason: "introspection_not_permitted" });

    await db().client.update({ where: { id: rs.id }, data: { introspection: true } });
    // a direct row change, as another instance's would be: seen here once the cache forgets the client
    forgetCachedClients();
    const active = await introspect(token, basic(rs.clientId, rs.secret));
    expect(active).toMatchObject({ status: 200, json: { active: true, client_id: secretC.clientId, scope: "read", iss: issuer() } });
    expect((await introspect("not-a-token", basic(rs.clientId, rs.secret))).json).toEqual({ active: false });
    const wrong = await introspect(token, basic(rs.clientId, "kss_wrong"));
    expect(wrong.status).toBe(401);
  });
});
