// The assertion debugger against the token endpoint, one to one: each row is an assertion (and client)
// sent to both; the reason the debugger gives must be the reason the endpoint records. Debugging must
// change nothing: no jti used up, no authentication event, no audit entry.
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuer } from "@/lib/config";
import { db, disconnect } from "@/lib/db";
import { debugAssertion, MAX_ASSERTION_BYTES } from "@/lib/oauth/debugger";
import { flushAuthEvents } from "@/lib/oauth/events";
import { forgetCachedClients } from "@/lib/oauth/client-auth";
import { forgetEndpointPolicy, tokenEndpointUrl } from "@/lib/oauth/policy";
import { FAILURE_REASON_CODES, type FailureReason } from "@/lib/oauth/reasons";
import { makeCast, rejection, resetDatabase, uniq, type Cast } from "./helpers";
import { assertion, form, jwtClient, jwtParams, lastEvent, makeKey, secretClient, tokenRequest, type AssertionOptions, type TestKey } from "./oauth-fixtures";

type Client = { id: string; clientId: string };

let cast: Cast;
let es256: TestKey;
let es256b: TestKey;
let rs256: TestKey;
let retired: TestKey;
let stranger: TestKey;
let es384: TestKey;
let jwtC: Client;
let twoKeysC: Client;
let keylessC: Client;
let disabledC: Client;
let secretC: Client;
let compatC: Client;
let unavailableC: Client;
let staleC: Client;
let healthyUriC: Client;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  forgetEndpointPolicy();
  [es256, es256b, rs256, retired, stranger, es384] = await Promise.all([makeKey("ES256", "k1"), makeKey("ES256", "k2"), makeKey("RS256", "r1"), makeKey("ES256", "old"), makeKey("ES256", "k1"), makeKey("ES384", "p384")]);
  const team = cast.teamA.id;
  jwtC = await jwtClient(cast.admin, team, [es256, rs256, retired]);
  await db().clientKey.updateMany({ where: { clientId: jwtC.id, kid: "old" }, data: { status: "retired" } });
  twoKeysC = await jwtClient(cast.admin, team, [es256, es256b]);
  keylessC = await jwtClient(cast.admin, team, []);
  disabledC = await jwtClient(cast.admin, team, [es256]);
  await db().client.update({ where: { id: disabledC.id }, data: { status: "disabled" } });
  secretC = await secretClient(cast.admin, team);
  compatC = await jwtClient(cast.admin, team, [es256]);
  await db().client.update({ where: { id: compatC.id }, data: { audienceCompat: true } });
  // jwks_uri clients whose stored copy holds the kid, so neither side has a reason to fetch the uri
  const linked = async (goodAt: Date | null, failures: number) => {
    const client = await jwtClient(cast.admin, team, [es256]);
    await db().client.update({ where: { id: client.id }, data: { keySource: "jwks_uri", jwksUri: "https://keys.example.test/jwks.json", jwksGoodAt: goodAt, jwksFailures: failures, jwksRefreshAt: new Date(Date.now() + 86_400_000) } });
    return client;
  };
  unavailableC = await linked(null, 2);
  staleC = await linked(new Date(Date.now() - 30 * 86_400_000), 40);
  healthyUriC = await linked(new Date(), 0);
  forgetCachedClients();
});
afterAll(disconnect);

const now = () => Math.floor(Date.now() / 1000);
const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

type Row = {
  name: string;
  reason: FailureReason;
  /** the assertion, and the client_id sent in the body (and picked in the debugger), if any */
  build: () => Promise<{ token: string; clientId?: string }>;
  /** the client_id the endpoint records the event under */
  recordedAs: () => string;
  /** text the failing verdict's message must contain: the fix */
  fix?: () => (string | RegExp)[];
};

const signed = (client: () => Client, options: AssertionOptions = {}, key: () => TestKey = () => es256) => async () => ({ token: await assertion(client().clientId, issuer(), key(), options) });

const ROWS: Row[] = [
  // decoding, before the client is looked for
  { name: "an encrypted assertion (JWE)", reason: "assertion_encrypted", build: async () => ({ token: "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", clientId: jwtC.clientId }), recordedAs: () => jwtC.clientId },
  { name: "an assertion that is not a JWS", reason: "assertion_malformed", build: async () => ({ token: "not-a-jwt", clientId: jwtC.clientId }), recordedAs: () => jwtC.clientId },
  // the client
  { name: "no sub and no client_id", reason: "sub_mismatch", build: signed(() => jwtC, { omit: ["sub"] }), recordedAs: () => "", fix: () => ["Set sub and iss to the client_id"] },
  { name: "an unknown client", reason: "client_unknown", build: signed(() => ({ id: "", clientId: "no-such-client" })), recordedAs: () => "no-such-client", fix: () => ['"no-such-client"'] },
  { name: "a disabled client", reason: "client_disabled", build: signed(() => disabledC), recordedAs: () => disabledC.clientId, fix: () => ["Enable it"] },
  { name: "a client that only accepts secrets", reason: "method_not_accepted", build: signed(() => secretC), recordedAs: () => secretC.clientId, fix: () => ["client_secret_basic, not private_key_jwt"] },
  { name: "a jwks_uri never fetched", reason: "jwks_uri_unavailable", build: signed(() => unavailableC), recordedAs: () => unavailableC.clientId, fix: () => ["never been fetched successfully"] },
  { name: "a jwks_uri failing past the maximum staleness", reason: "jwks_uri_stale", build: signed(() => staleC), recordedAs: () => staleC.clientId, fix: () => ["maximum staleness (24 h)"] },
  // header
  {
    name: "an unsigned assertion (alg none)",
    reason: "alg_none",
    build: async () => ({ token: `${enc({ alg: "none" })}.${enc({ iss: jwtC.clientId, sub: jwtC.clientId, aud: issuer(), exp: now() + 60, jti: uniq("j") })}.` }),
    recordedAs: () => jwtC.clientId,
  },
  {
    name: "an HMAC-signed assertion (HS256)",
    reason: "alg_not_allowed",
    build: async () => ({
      token: await new SignJWT({ iss: jwtC.clientId, sub: jwtC.clientId, aud: issuer(), exp: now() + 60, jti: uniq("j") }).setProtectedHeader({ alg: "HS256", kid: "k1" }).sign(new TextEncoder().encode("a-shared-secret-of-at-least-32-bytes!!")),
    }),
    recordedAs: () => jwtC.clientId,
    fix: () => ["Allowed: ", "ES256"],
  },
  { name: "typ at+jwt", reason: "typ_invalid", build: signed(() => jwtC, { header: { typ: "at+jwt" } }), recordedAs: () => jwtC.clientId, fix: () => ['"client-authentication+jwt"'] },
  { name: "an unknown critical header", reason: "crit_unsupported", build: signed(() => jwtC, { header: { crit: ["exp-ext"], "exp-ext": 1 } }), recordedAs: () => jwtC.clientId, fix: () => ["Remove crit"] },
  // claims
  { name: "iss another client", reason: "iss_mismatch", build: signed(() => jwtC, { claims: { iss: "someone-else" } }), recordedAs: () => jwtC.clientId, fix: () => [`set it to the client_id "${jwtC.clientId}"`] },
  {
    name: "sub another client than the body's client_id",
    reason: "sub_mismatch",
    build: async () => ({ token: await assertion(jwtC.clientId, issuer(), es256, { claims: { sub: secretC.clientId } }), clientId: jwtC.clientId }),
    recordedAs: () => jwtC.clientId,
    fix: () => [`set it to the client_id "${jwtC.clientId}"`],
  },
  { name: "no aud", reason: "aud_missing", build: signed(() => jwtC, { omit: ["aud"] }), recordedAs: () => jwtC.clientId, fix: () => [`"${issuer()}"`] },
  { name: "aud as an array", reason: "aud_array", build: signed(() => jwtC, { claims: { aud: [issuer()] } }), recordedAs: () => jwtC.clientId, fix: () => [`the issuer identifier "${issuer()}"`] },
  { name: "aud the token endpoint URL", reason: "aud_mismatch", build: signed(() => jwtC, { claims: { aud: tokenEndpointUrl() } }), recordedAs: () => jwtC.clientId, fix: () => ["aud is the token endpoint URL", `set it to the issuer "${issuer()}"`] },
  { name: "aud the issuer with a trailing slash", reason: "aud_mismatch", build: signed(() => jwtC, { claims: { aud: `${issuer()}/` } }), recordedAs: () => jwtC.clientId, fix: () => ["trailing slash", `set it to the issuer "${issuer()}"`] },
  { name: "no exp", reason: "exp_missing", build: signed(() => jwtC, { omit: ["exp"] }), recordedAs: () => jwtC.clientId, fix: () => ["at most 300 s"] },
  { name: "an expired assertion", reason: "expired", build: signed(() => jwtC, { claims: { exp: now() - 120 } }), recordedAs: () => jwtC.clientId, fix: () => [/exp passed 1[2-5]\d s ago/, "at most 300 s ahead"] },
  { name: "exp an hour ahead", reason: "exp_too_far", build: signed(() => jwtC, { claims: { exp: now() + 3600 } }), recordedAs: () => jwtC.clientId, fix: () => [/exp is 3(5[5-9][0-9]|600) s ahead/, "the maximum is 300 s"] },
  { name: "iat ten minutes ahead", reason: "iat_future", build: signed(() => jwtC, { claims: { iat: now() + 600 } }), recordedAs: () => jwtC.clientId, fix: () => ["clock skew is 30 s"] },
  { name: "nbf ten minutes ahead", reason: "not_yet_valid", build: signed(() => jwtC, { claims: { nbf: now() + 600 } }), recordedAs: () => jwtC.clientId },
  { name: "no jti", reason: "jti_missing", build: signed(() => jwtC, { omit: ["jti"] }), recordedAs: () => jwtC.clientId, fix: () => ["needs a jti"] },
  // keys
  { name: "a kid the client does not have", reason: "kid_unknown", build: signed(() => jwtC, { kid: "k9" }), recordedAs: () => jwtC.clientId, fix: () => ["kid `k9` is not among this client's keys; its keys are", "`k1`", "`r1`"] },
  { name: "a retired key", reason: "key_not_active", build: signed(() => jwtC, {}, () => retired), recordedAs: () => jwtC.clientId, fix: () => ["is retired", "Sign with one of its active keys: ", "`k1`"] },
  { name: "no kid while two keys fit", reason: "kid_required", build: signed(() => twoKeysC, { kid: null }), recordedAs: () => twoKeysC.clientId, fix: () => ["`k1`, `k2`", "put the signing key's kid in the header"] },
  { name: "the EC key's kid on an RS256 assertion", reason: "alg_key_mismatch", build: signed(() => jwtC, { kid: "k1" }, () => rs256), recordedAs: () => jwtC.clientId },
  { name: "no kid and an algorithm none of the keys fits", reason: "no_usable_key", build: signed(() => jwtC, { kid: null }, () => es384), recordedAs: () => jwtC.clientId },
  { name: "a client without keys", reason: "no_keys", build: signed(() => keylessC), recordedAs: () => keylessC.clientId, fix: () => ["Register its public key"] },
  { name: "a signature by another key under a registered kid", reason: "signature_invalid", build: signed(() => jwtC, {}, () => stranger), recordedAs: () => jwtC.clientId, fix: () => ["does not verify with key `k1`"] },
  {
    name: "a jti the client already used",
    reason: "jti_replayed",
    build: async () => {
      const token = await assertion(jwtC.clientId, issuer(), es256);
      expect((await tokenRequest(form(jwtParams(token)))).status).toBe(200);
      return { token };
    },
    recordedAs: () => jwtC.clientId,
    fix: () => ["already used", "refuse it as replayed"],
  },
];

/** Reasons the debugger cannot meet: they concern the rest of the request (a pasted assertion has none), secrets, or what follows authentication. */
const NOT_ABOUT_AN_ASSERTION: FailureReason[] = [
  "invalid_request", "unsupported_grant_type", "no_client_auth", "multiple_methods", "malformed_basic", "client_id_mismatch",
  "secret_mismatch", "secret_expired", "secret_revoked", "assertion_type_invalid", "unauthorized_client", "invalid_scope",
  "invalid_target", "introspection_not_permitted", "rate_limited",
];

describe("assertion debugger: the token endpoint's reason, one to one", () => {
  for (const row of ROWS) {
    it(`gives ${row.reason} for ${row.name}, as the token endpoint records`, async () => {
      const { token, clientId } = await row.build();
      const debug = await debugAssertion(cast.auditor, { assertion: token, clientId });
      const response = await tokenRequest(form(jwtParams(token, clientId ? { client_id: clientId } : {})));
      expect(response.status).toBe(401);
      const event = await lastEvent(row.recordedAs());
      expect(event).toMatchObject({ outcome: "failure", reason: row.reason });
      expect(debug.outcome).toEqual({ ok: false, reason: event!.reason });
      const failing = debug.verdicts.find((v) => !v.ok && v.reason === row.reason);
      expect(failing, JSON.stringify(debug.verdicts)).toBeDefined();
      for (const text of row.fix?.() ?? []) {
        if (typeof text === "string") expect(failing!.message).toContain(text);
        else expect(failing!.message).toMatch(text);
      }
    });
  }

  it("covers every reason an assertion can be refused for", () => {
    const covered = new Set<FailureReason>([...ROWS.map((r) => r.reason), ...NOT_ABOUT_AN_ASSERTION]);
    expect(FAILURE_REASON_CODES.filter((r) => !covered.has(r))).toEqual([]);
  });
});

describe("assertion debugger: acceptance", () => {
  it("accepts what the endpoint accepts, and shows the decoded header, claims and client", async () => {
    const token = await assertion(jwtC.clientId, issuer(), es256);
    const debug = await debugAssertion(cast.auditor, { assertion: token });
    expect(debug.outcome).toEqual({ ok: true });
    expect(debug.verdicts.every((v) => v.ok)).toBe(true);
    expect(debug.verdicts.map((v) => v.rule)).toEqual(["format", "client", "client_status", "method", "alg", "typ", "crit", "iss", "sub", "aud", "exp", "iat", "jti", "key", "signature", "replay"]);
    expect(debug.header).toMatchObject({ alg: "ES256", kid: "k1" });
    expect(debug.claims).toMatchObject({ iss: jwtC.clientId, sub: jwtC.clientId, aud: issuer() });
    expect(debug.client).toEqual({ id: jwtC.id, clientId: jwtC.clientId, name: expect.any(String) });
    expect((await tokenRequest(form(jwtParams(token)))).status).toBe(200);
  });

  it("accepts the token endpoint URL as aud for a client in compatibility mode, and says to change it", async () => {
    const token = await assertion(compatC.clientId, issuer(), es256, { claims: { aud: tokenEndpointUrl() } });
    const debug = await debugAssertion(cast.auditor, { assertion: token });
    expect(debug.outcome).toEqual({ ok: true });
    expect(debug.verdicts.find((v) => v.rule === "aud")?.message).toContain(`Set it to the issuer "${issuer()}"`);
    expect((await tokenRequest(form(jwtParams(token)))).status).toBe(200);
  });

  it("says a jwks_uri client was judged on its stored copy, without fetching", async () => {
    const token = await assertion(healthyUriC.clientId, issuer(), es256);
    const fetches = await db().jwksFetch.count();
    const debug = await debugAssertion(cast.auditor, { assertion: token });
    expect(debug.outcome).toEqual({ ok: true });
    expect(debug.verdicts.find((v) => v.rule === "key_source")).toMatchObject({ ok: true, message: expect.stringContaining("nothing was fetched") });
    const unknownKid = await debugAssertion(cast.auditor, { assertion: await assertion(healthyUriC.clientId, issuer(), es256b, { kid: "k2" }) });
    expect(unknownKid.verdicts.find((v) => v.rule === "key_source")?.message).toContain("would first fetch https://keys.example.test/jwks.json again");
    expect(unknownKid.outcome.reason).toBe("kid_unknown");
    expect(await db().jwksFetch.count()).toBe(fetches);
  });
});

describe("assertion debugger: changes nothing", () => {
  it("does not use up the jti: the endpoint still accepts the assertion after it was debugged", async () => {
    const token = await assertion(jwtC.clientId, issuer(), es256);
    expect((await debugAssertion(cast.auditor, { assertion: token })).outcome).toEqual({ ok: true });
    expect((await debugAssertion(cast.auditor, { assertion: token })).outcome).toEqual({ ok: true });
    expect((await tokenRequest(form(jwtParams(token)))).status).toBe(200);
    expect((await debugAssertion(cast.auditor, { assertion: token })).outcome).toEqual({ ok: false, reason: "jti_replayed" });
  });

  it("writes no audit entry, no authentication event and no jti reservation", async () => {
    const counts = () => Promise.all([db().auditEvent.count(), db().authEvent.count(), db().usedAssertion.count()]);
    const before = await counts();
    await debugAssertion(cast.auditor, { assertion: await assertion(jwtC.clientId, issuer(), es256) });
    await debugAssertion(cast.operatorOther, { assertion: await assertion(jwtC.clientId, issuer(), es256, { kid: "k9" }) });
    await debugAssertion(cast.admin, { assertion: "not-a-jwt", clientId: jwtC.clientId });
    await flushAuthEvents();
    expect(await counts()).toEqual(before);
  });

  it("refuses an input over 16 KiB with a clear error, and an empty one", async () => {
    const error = await rejection(debugAssertion(cast.auditor, { assertion: "a".repeat(MAX_ASSERTION_BYTES + 1) }), "invalid");
    expect(error.message).toContain("longer than 16 KiB");
    expect(error.fields).toHaveProperty("assertion");
    await rejection(debugAssertion(cast.auditor, { assertion: "   " }), "invalid");
  });
});
