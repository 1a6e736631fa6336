// Clients whose keys come from a jwks_uri, against a real local HTTP server: linking (checked before
// anything is saved), refresh on an unknown kid with a cooldown, keys removed from the document, a
// failing uri served from the last good copy up to the maximum staleness, the fetch history, the
// cross-instance lease, and the token endpoint's verdicts throughout.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { issuer } from "@/lib/config";
import { createClient } from "@/lib/clients/commands";
import { db, disconnect } from "@/lib/db";
import { linkJwksUri, refreshJwks, refreshJwksNow, unlinkJwksUri } from "@/lib/keys/jwks-uri";
import { addKeys, retireKey } from "@/lib/keys/lifecycle";
import { clientJwksUri, listClientKeys, unhealthyJwksUris } from "@/lib/keys/queries";
import { refreshDueJwks } from "@/lib/keys/refresher";
import { forgetCachedClients } from "@/lib/oauth/client-auth";
import { forgetEndpointPolicy } from "@/lib/oauth/policy";
import { auditCount, clientInput, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";
import { assertion, form, jwtClient, jwtParams, lastEvent, makeKey, secretClient, tokenRequest, type TestKey } from "./oauth-fixtures";

/** A jwks_uri the test controls: what it serves, how it answers, and how often it was asked. */
type Served = { status: number; body: string; type: string; cacheControl?: string; delayMs?: number; requests: number };
const served: Served = { status: 200, body: "{}", type: "application/json", requests: 0 };
let server: http.Server;
let base: string;
const savedAllow = process.env.KEYSHIFT_FETCH_ALLOW;

function serve(keys: TestKey[], options: Partial<Served> = {}) {
  Object.assign(served, { status: 200, type: "application/json", cacheControl: undefined, delayMs: 0, ...options, body: options.body ?? JSON.stringify({ keys: keys.map((k) => k.publicJwk) }) });
}

let cast: Cast;
let k1: TestKey;
let k2: TestKey;
let k3: TestKey;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  forgetEndpointPolicy();
  [k1, k2, k3] = await Promise.all([makeKey("ES256", "k1"), makeKey("RS256", "k2"), makeKey("EdDSA", "k3")]);
  server = http.createServer((_req, res) => {
    served.requests++;
    const { status, type, cacheControl, body } = served;
    setTimeout(() => {
      res.writeHead(status, { "content-type": type, ...(cacheControl ? { "cache-control": cacheControl } : {}) });
      res.end(body);
    }, served.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // the SSRF guard refuses loopback; this test's own server is exempt, as a private deployment's would be
  process.env.KEYSHIFT_FETCH_ALLOW = "127.0.0.1";
});
afterAll(async () => {
  process.env.KEYSHIFT_FETCH_ALLOW = savedAllow;
  await new Promise((resolve) => server.close(resolve));
  await disconnect();
});
beforeEach(() => serve([k1]));

/** A development client (plain http allowed) accepting only private_key_jwt, linked to the test's uri. */
async function linkedClient(keys: TestKey[] = [k1], path = "/jwks") {
  serve(keys);
  const client = await jwtClient(cast.admin, cast.teamA.id, [], { environment: "development" });
  await linkJwksUri(cast.operatorOwner, client.id, `${base}${path}`);
  return client;
}

async function authenticate(clientId: string, key: TestKey) {
  forgetCachedClients();
  const response = await tokenRequest(form(jwtParams(await assertion(clientId, issuer(), key))));
  return { status: response.status, reason: (await lastEvent(clientId))?.reason ?? null };
}

const fetches = (clientDbId: string) => db().jwksFetch.findMany({ where: { clientId: clientDbId }, orderBy: { id: "asc" } });

describe("linking a jwks_uri", () => {
  it("fetches the document first, stores its signing keys as jwks_uri keys, records the fetch and audits the link", async () => {
    const client = await linkedClient([k1, k2]);
    const keys = await listClientKeys(cast.auditor, client.id);
    expect(keys.map((k) => [k.kid, k.source, k.status]).sort()).toEqual([["k1", "jwks_uri", "active"], ["k2", "jwks_uri", "active"]]);
    const [fetch] = await fetches(client.id);
    expect(fetch).toMatchObject({ trigger: "link", outcome: "ok", httpStatus: 200, keyCount: 2 });
    expect(JSON.parse(fetch.added).sort()).toEqual(["k1", "k2"]);
    expect(await lastAudit()).toMatchObject({ action: "client.jwks_uri_link", details: expect.objectContaining({ uri: `${base}/jwks`, kids: ["k1", "k2"] }) });
    const state = await clientJwksUri(cast.auditor, client.id);
    expect(state?.uri).toMatchObject({ uri: `${base}/jwks`, health: "healthy", failures: 0 });
    expect(await authenticate(client.clientId, k2)).toEqual({ status: 200, reason: null });
  });

  it("ignores encryption keys in the document and lists them as ignored", async () => {
    const enc = { ...k3.publicJwk, kid: "enc-1", use: "enc" };
    serve([], { body: JSON.stringify({ keys: [k1.publicJwk, enc] }) });
    const client = await jwtClient(cast.admin, cast.teamA.id, [], { environment: "development" });
    const outcome = await linkJwksUri(cast.admin, client.id, `${base}/jwks`);
    expect(outcome.added).toEqual(["k1"]);
    expect(outcome.ignored).toEqual([expect.objectContaining({ kid: "enc-1", reason: expect.stringMatching(/enc/) })]);
    expect(JSON.parse((await fetches(client.id))[0].ignored)).toEqual([expect.objectContaining({ kid: "enc-1" })]);
  });

  const refusals: { name: string; setup: () => void; environment?: string; uri?: () => string; message: RegExp }[] = [
    { name: "plain http for a production client", setup: () => serve([k1]), environment: "production", message: /must use https/ },
    { name: "a uri answering 500", setup: () => serve([k1], { status: 500 }), message: /500/ },
    { name: "a uri answering HTML", setup: () => serve([], { body: "<html>login</html>", type: "text/html" }), message: /text\/html/ },
    { name: "a document without a usable signing key", setup: () => serve([], { body: JSON.stringify({ keys: [{ ...k3.publicJwk, use: "enc" }] }) }), message: /no usable signing key/i },
    { name: "a document holding a private key", setup: () => serve([], { body: JSON.stringify({ keys: [{ ...k1.publicJwk, d: "AAAA" }] }) }), message: /PRIVATE key/ },
    { name: "a loopback address the guard does not exempt", setup: () => serve([k1]), uri: () => base.replace("127.0.0.1", "127.0.0.2") + "/jwks", message: /loopback/ },
    { name: "a cloud metadata address", setup: () => serve([k1]), uri: () => "http://169.254.169.254/latest/meta-data/", message: /metadata/ },
  ];
  for (const { name, setup, environment, uri, message } of refusals) {
    it(`refuses ${name}, saving nothing`, async () => {
      setup();
      const client = await jwtClient(cast.admin, cast.teamA.id, [], { environment: environment ?? "development" });
      const before = await auditCount();
      const error = await rejection(linkJwksUri(cast.operatorOwner, client.id, uri?.() ?? `${base}/jwks`), "invalid");
      expect(error.message).toMatch(message);
      expect(error.fields).toHaveProperty("jwks_uri");
      expect(await db().client.findUniqueOrThrow({ where: { id: client.id }, select: { keySource: true, jwksUri: true } })).toEqual({ keySource: "none", jwksUri: null });
      expect(await db().clientKey.count({ where: { clientId: client.id } })).toBe(0);
      expect(await auditCount()).toBe(before);
    });
  }

  it("creates a private_key_jwt client with its jwks_uri, fetched before the client exists", async () => {
    serve([k1]);
    const created = await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { authMethod: "private_key_jwt", environment: "development" }), { jwksUri: `${base}/jwks` });
    expect(created.secret).toBeNull();
    expect((await clientJwksUri(cast.admin, created.id))?.uri).toMatchObject({ uri: `${base}/jwks`, health: "healthy" });
    expect(await authenticate(created.clientId, k1)).toEqual({ status: 200, reason: null });

    serve([], { status: 404 });
    const clients = await db().client.count();
    const error = await rejection(createClient(cast.operatorOwner, clientInput(cast.teamA.id, { authMethod: "private_key_jwt", environment: "development" }), { jwksUri: `${base}/jwks` }), "invalid");
    expect(error.fields).toHaveProperty("jwks_uri");
    expect(await db().client.count()).toBe(clients);
  });

  it("keeps registered keys and a jwks_uri apart: never both", async () => {
    const withKeys = await jwtClient(cast.admin, cast.teamA.id, [k1], { environment: "development" });
    await rejection(linkJwksUri(cast.admin, withKeys.id, `${base}/jwks`), "conflict");
    const linked = await linkedClient();
    await rejection(addKeys(cast.admin, linked.id, { kind: "jwks", text: JSON.stringify({ keys: [k2.publicJwk] }) }), "conflict");
  });

  it("refuses an operator of another team and an auditor before fetching anything", async () => {
    const client = await jwtClient(cast.admin, cast.teamA.id, [], { environment: "development" });
    const before = served.requests;
    for (const who of ["operatorOther", "auditor"] as const) await rejection(linkJwksUri(cast[who], client.id, `${base}/jwks`), "forbidden");
    expect(served.requests).toBe(before);
  });
});

describe("refreshing", () => {
  it("fetches again when an assertion names a kid the copy lacks, once per cooldown", async () => {
    const client = await linkedClient([k1]);
    serve([k1, k2]);
    // within the cooldown after the link's own fetch, an unknown kid does not make Keyshift fetch
    const linkRequests = served.requests;
    expect(await authenticate(client.clientId, k2)).toEqual({ status: 401, reason: "kid_unknown" });
    expect(served.requests).toBe(linkRequests);
    await db().client.update({ where: { id: client.id }, data: { jwksFetchedAt: new Date(Date.now() - 61_000) } });
    expect(await authenticate(client.clientId, k2)).toEqual({ status: 200, reason: null });
    const [, refresh] = await fetches(client.id);
    expect(refresh).toMatchObject({ trigger: "unknown_kid", outcome: "ok", added: JSON.stringify(["k2"]) });
    expect(await lastAudit()).toMatchObject({ action: "client_key.jwks_refresh", actorId: null, details: expect.objectContaining({ added: ["k2"], trigger: "unknown_kid" }) });

    // a stranger's kid: one more fetch is allowed only after the cooldown, whatever the caller sends
    const stranger = await makeKey("ES256", "nobody");
    const requests = served.requests;
    expect(await authenticate(client.clientId, stranger)).toEqual({ status: 401, reason: "kid_unknown" });
    expect(await authenticate(client.clientId, stranger)).toEqual({ status: 401, reason: "kid_unknown" });
    expect(served.requests).toBe(requests);
  });

  it("retires a key dropped from the document at the next refresh, and brings it back if it returns", async () => {
    const client = await linkedClient([k1, k2]);
    serve([k2]);
    const outcome = await refreshJwksNow(cast.operatorOwner, client.id);
    expect(outcome).toMatchObject({ status: "ok", removed: ["k1"], added: [] });
    expect((await listClientKeys(cast.admin, client.id)).find((k) => k.kid === "k1")).toMatchObject({ status: "retired", retireReason: "removed from the jwks_uri document" });
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 401, reason: "key_not_active" });

    serve([k1, k2]);
    expect(await refreshJwksNow(cast.operatorOwner, client.id)).toMatchObject({ status: "ok", added: ["k1"] });
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 200, reason: null });
  });

  it("keeps a key retired in Keyshift (compromise) refused although the document still lists it", async () => {
    const client = await linkedClient([k1, k2]);
    const k1Row = (await listClientKeys(cast.admin, client.id)).find((k) => k.kid === "k1")!;
    await rejection(retireKey(cast.admin, client.id, k1Row.id, { mode: "scheduled" }), "conflict");
    await retireKey(cast.admin, client.id, k1Row.id, { mode: "now", reason: "private key leaked" });
    const outcome = await refreshJwksNow(cast.admin, client.id);
    expect(outcome.status === "ok" && outcome.ignored).toEqual([expect.objectContaining({ kid: "k1", reason: expect.stringMatching(/retired in Keyshift/) })]);
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 401, reason: "key_not_active" });
    expect(await authenticate(client.clientId, k2)).toEqual({ status: 200, reason: null });
  });

  it("serves the last good keys while the uri fails, up to the maximum staleness", async () => {
    const client = await linkedClient([k1]);
    serve([], { status: 503 });
    const outcome = await refreshJwksNow(cast.admin, client.id);
    expect(outcome).toMatchObject({ status: "error", code: "http_status", httpStatus: 503 });
    const state = await clientJwksUri(cast.admin, client.id);
    expect(state?.uri).toMatchObject({ health: "degraded", failures: 1 });
    expect(state?.fetches[0]).toMatchObject({ outcome: "error", httpStatus: 503, errorCode: "http_status" });
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 200, reason: null });
    expect((await unhealthyJwksUris(cast.auditor)).map((c) => [c.clientId, c.health])).toContainEqual([client.clientId, "degraded"]);

    // the last good fetch is now older than the 24 hour maximum
    await db().client.update({ where: { id: client.id }, data: { jwksGoodAt: new Date(Date.now() - 25 * 3_600_000) } });
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 401, reason: "jwks_uri_stale" });
    expect((await clientJwksUri(cast.admin, client.id))?.uri.health).toBe("failing");

    // the uri recovers: the next refresh makes the client healthy again
    serve([k1]);
    expect(await refreshJwksNow(cast.admin, client.id)).toMatchObject({ status: "ok" });
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 200, reason: null });
  });

  it("refuses a client whose uri was never fetched successfully", async () => {
    const client = await linkedClient([k1]);
    await db().client.update({ where: { id: client.id }, data: { jwksGoodAt: null } });
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 401, reason: "jwks_uri_unavailable" });
  });

  const caching: { name: string; header?: string; seconds: number }[] = [
    { name: "honours Cache-Control max-age", header: "public, max-age=900", seconds: 900 },
    { name: "refreshes no sooner than a minute", header: "max-age=5", seconds: 60 },
    { name: "refreshes at least daily", header: "max-age=604800", seconds: 86_400 },
    { name: "refreshes after five minutes without a header", seconds: 300 },
  ];
  for (const { name, header, seconds } of caching) {
    it(`${name} (${seconds} s)`, async () => {
      const client = await linkedClient([k1]);
      serve([k1], { cacheControl: header });
      const before = Date.now();
      await refreshJwksNow(cast.admin, client.id);
      const { jwksRefreshAt } = await db().client.findUniqueOrThrow({ where: { id: client.id }, select: { jwksRefreshAt: true } });
      expect(Math.round((jwksRefreshAt!.getTime() - before) / 1000)).toBeGreaterThanOrEqual(seconds - 1);
      expect(Math.round((jwksRefreshAt!.getTime() - before) / 1000)).toBeLessThanOrEqual(seconds + 2);
    });
  }

  it("fetches once for concurrent refreshes in one process, and not at all while another instance holds the lease", async () => {
    const client = await linkedClient([k1]);
    await db().client.update({ where: { id: client.id }, data: { jwksRefreshAt: new Date(Date.now() - 1000) } });
    const before = served.requests;
    const outcomes = await Promise.all([refreshJwks(client.id, "background"), refreshJwks(client.id, "background"), refreshJwks(client.id, "manual")]);
    expect(served.requests - before).toBe(1);
    expect(outcomes.every((o) => o === outcomes[0])).toBe(true);

    // refreshed: a background refresh has nothing to do until the copy is due again
    expect(await refreshJwks(client.id, "background")).toEqual({ status: "skipped", why: "cooldown" });
    await db().client.update({ where: { id: client.id }, data: { jwksLeaseUntil: new Date(Date.now() + 20_000), jwksRefreshAt: new Date(Date.now() - 1000) } });
    expect(await refreshJwks(client.id, "background")).toEqual({ status: "skipped", why: "busy" });
    expect(served.requests - before).toBe(1);
  });
});

describe("the background refresher", () => {
  it("fetches the clients whose copy is due, and only those", async () => {
    const due = await linkedClient([k1]);
    const fresh = await linkedClient([k1]);
    // other files' clients may be due too: leave only these two in play
    await db().client.updateMany({ where: { keySource: "jwks_uri", id: { notIn: [due.id, fresh.id] } }, data: { jwksRefreshAt: new Date(Date.now() + 3_600_000) } });
    await db().client.update({ where: { id: due.id }, data: { jwksRefreshAt: new Date(Date.now() - 1000) } });
    serve([k1, k2]);
    expect(await refreshDueJwks()).toBe(1);
    expect((await fetches(due.id)).at(-1)).toMatchObject({ trigger: "background", outcome: "ok", added: JSON.stringify(["k2"]) });
    expect(await fetches(fresh.id)).toHaveLength(1);
    expect(await refreshDueJwks()).toBe(0);
  });
});

describe("unlinking", () => {
  it("refuses to unlink the jwks_uri of a client that authenticates with its keys", async () => {
    const client = await linkedClient([k1]);
    const error = await rejection(unlinkJwksUri(cast.operatorOwner, client.id), "conflict");
    expect(error.message).toMatch(/without them/);
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 200, reason: null });
  });

  it("retires the uri's keys at once and audits it; linking again brings them back", async () => {
    const client = await linkedClient([k1]);
    // a secret client that had linked its keys ahead of its migration
    await db().client.update({ where: { id: client.id }, data: { authMethod: "client_secret_basic", acceptedMethods: "client_secret_basic" } });
    await unlinkJwksUri(cast.operatorOwner, client.id);
    expect(await lastAudit()).toMatchObject({ action: "client.jwks_uri_unlink", details: { uri: `${base}/jwks`, retired: ["k1"] } });
    expect(await clientJwksUri(cast.admin, client.id)).toBeNull();
    expect((await listClientKeys(cast.admin, client.id))[0].status).toBe("retired");
    await rejection(unlinkJwksUri(cast.operatorOwner, client.id), "conflict");

    await linkJwksUri(cast.operatorOwner, client.id, `${base}/jwks`);
    await db().client.update({ where: { id: client.id }, data: { acceptedMethods: "private_key_jwt" } });
    expect(await authenticate(client.clientId, k1)).toEqual({ status: 200, reason: null });
  });

  it("discards a document fetched for a uri unlinked during the fetch", async () => {
    const client = await linkedClient([k1]);
    await db().client.update({ where: { id: client.id }, data: { authMethod: "client_secret_basic", acceptedMethods: "client_secret_basic" } });
    serve([k1, k2], { delayMs: 300 });
    const refreshing = refreshJwksNow(cast.operatorOwner, client.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await unlinkJwksUri(cast.operatorOwner, client.id);
    expect(await refreshing).toEqual({ status: "skipped", why: "not_linked" });
    const keys = await listClientKeys(cast.admin, client.id);
    expect(keys.map((k) => [k.kid, k.status])).toEqual([["k1", "retired"]]);
    expect(await db().client.findUniqueOrThrow({ where: { id: client.id }, select: { keySource: true } })).toEqual({ keySource: "none" });
  });

  it("refuses the manual refresh of a client without a jwks_uri", async () => {
    const client = await secretClient(cast.admin, cast.teamA.id);
    await rejection(refreshJwksNow(cast.admin, client.id), "conflict");
  });
});
