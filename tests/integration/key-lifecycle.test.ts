// A client's keys over their life, through the domain and the token endpoint: PEM keys and
// certificates, scheduled activation, rotation with overlap, retirement on a date or at once, the
// recent-use confirmation, and finding a key by thumbprint across clients.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuer } from "@/lib/config";
import { createClient } from "@/lib/clients/commands";
import { db, disconnect } from "@/lib/db";
import { addKeys, keepKey, retireKey } from "@/lib/keys/lifecycle";
import { expiringKeys, findKeysByThumbprint, listClientKeys, sharedKeys } from "@/lib/keys/queries";
import { forgetCachedClients } from "@/lib/oauth/client-auth";
import { forgetEndpointPolicy } from "@/lib/oauth/policy";
import { auditCount, clientInput, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";
import { assertion, form, jwtClient, jwtParams, lastEvent, makeKey, secretClient, tokenRequest, type TestKey } from "./oauth-fixtures";

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, "../fixtures/keys", name), "utf8");
const DAY = 86_400_000;

let cast: Cast;
beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  forgetEndpointPolicy();
});
afterAll(disconnect);

const state = async (clientDbId: string) => ({
  keys: await db().clientKey.findMany({ where: { clientId: clientDbId }, orderBy: { kid: "asc" } }),
  audit: await auditCount(),
});

/** Authenticates with the key and says what the token endpoint answered and recorded. */
async function authenticate(clientId: string, key: TestKey) {
  forgetCachedClients();
  const response = await tokenRequest(form(jwtParams(await assertion(clientId, issuer(), key))));
  const event = await lastEvent(clientId);
  return { status: response.status, reason: event?.reason ?? null };
}

describe("PEM keys and certificates", () => {
  it("registers a PEM public key under its thumbprint, with source pem", async () => {
    const client = await secretClient(cast.operatorOwner, cast.teamA.id);
    const { keys } = await addKeys(cast.operatorOwner, client.id, { kind: "pem", text: fixture("ec.pub.pem") });
    expect(keys).toEqual([expect.objectContaining({ source: "pem", kidAssigned: true, kty: "EC", expiresAt: null })]);
    const [view] = await listClientKeys(cast.auditor, client.id);
    expect(view).toMatchObject({ kid: keys[0].thumbprint, source: "pem", status: "active", crv: "P-256", certificate: null });
    expect(await lastAudit()).toMatchObject({ action: "client_key.add" });
  });

  it("takes a certificate's notAfter as the key's expiry and keeps who issued it", async () => {
    const client = await secretClient(cast.operatorOwner, cast.teamA.id);
    await addKeys(cast.operatorOwner, client.id, { kind: "pem", text: fixture("rsa.crt.pem"), kid: "billing-2099", alg: "PS256" });
    const [view] = await listClientKeys(cast.auditor, client.id);
    expect(view).toMatchObject({ kid: "billing-2099", source: "certificate", alg: "PS256", bits: 2048, status: "active" });
    expect(view.expiresAt?.getUTCFullYear()).toBe(2099);
    expect(view.certificate?.notAfter.getTime()).toBe(view.expiresAt?.getTime());
    expect(view.certificate?.subject).toMatch(/CN=/);
  });

  it("accepts a certificate as base64 DER", async () => {
    const client = await secretClient(cast.operatorOwner, cast.teamA.id);
    const { keys } = await addKeys(cast.operatorOwner, client.id, { kind: "pem", text: fixture("ec.crt.b64") });
    expect(keys[0]).toMatchObject({ source: "certificate", kty: "EC" });
    expect(keys[0].expiresAt?.getUTCFullYear()).toBe(2099);
  });

  it("refuses an expired certificate with that reason and stores nothing", async () => {
    const client = await secretClient(cast.operatorOwner, cast.teamA.id);
    const before = await state(client.id);
    const error = await rejection(addKeys(cast.operatorOwner, client.id, { kind: "pem", text: fixture("expired.crt.pem") }), "invalid");
    expect(error.message).toMatch(/certificate expired on 2024-01-31/);
    expect(error.fields).toHaveProperty("pem");
    expect(await state(client.id)).toEqual(before);
  });

  it("schedules the key of a certificate that is not valid yet until its notBefore", async () => {
    const client = await secretClient(cast.operatorOwner, cast.teamA.id);
    await addKeys(cast.operatorOwner, client.id, { kind: "pem", text: fixture("future.crt.pem") });
    const [view] = await listClientKeys(cast.auditor, client.id);
    expect(view.status).toBe("scheduled");
    expect(view.notBefore?.getUTCFullYear()).toBe(2090);
  });

  it("refuses a pasted private key with the compromise warning, storing nothing", async () => {
    const client = await secretClient(cast.operatorOwner, cast.teamA.id);
    const { privateKey } = await import("node:crypto").then((c) => c.generateKeyPairSync("ec", { namedCurve: "P-256" }));
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const before = await state(client.id);
    const error = await rejection(addKeys(cast.operatorOwner, client.id, { kind: "pem", text: pem }), "invalid");
    expect(error.message).toMatch(/PRIVATE key.*Nothing was saved.*compromised/);
    expect(error.message).not.toContain(pem.split("\n")[1]);
    expect(await state(client.id)).toEqual(before);
  });
});

describe("creating a client as private_key_jwt", () => {
  it("creates it with its keys and no secret, audited in one entry, and it authenticates at once", async () => {
    const key = await makeKey("ES256", "day-one");
    const created = await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { authMethod: "private_key_jwt" }), { material: { kind: "jwks", text: JSON.stringify({ keys: [key.publicJwk] }) } });
    expect(created.secret).toBeNull();
    const row = await db().client.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ authMethod: "private_key_jwt", acceptedMethods: "private_key_jwt", keySource: "inline", secretCreatedAt: null });
    expect(await db().clientSecret.count({ where: { clientId: created.id } })).toBe(0);
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "client.create" });
    expect(entry.details).not.toHaveProperty("secretId");
    expect(entry.details.keys).toEqual([expect.objectContaining({ kid: "day-one", source: "upload" })]);
    expect(await authenticate(created.clientId, key)).toEqual({ status: 200, reason: null });
  });

  it("creates it from a certificate", async () => {
    const created = await createClient(cast.admin, clientInput(cast.teamA.id, { authMethod: "private_key_jwt" }), { material: { kind: "pem", text: fixture("rsa.crt.pem") } });
    expect((await listClientKeys(cast.admin, created.id))[0]).toMatchObject({ source: "certificate", status: "active" });
  });

  const refusals: { name: string; input: Record<string, unknown>; keys: Parameters<typeof createClient>[2]; field: string }[] = [
    { name: "private_key_jwt with an expired certificate", input: { authMethod: "private_key_jwt" }, keys: { material: { kind: "pem", text: fixture("expired.crt.pem") } }, field: "pem" },
    { name: "private_key_jwt with both keys and a jwks_uri", input: { authMethod: "private_key_jwt" }, keys: { material: { kind: "pem", text: fixture("ec.pub.pem") }, jwksUri: "https://client.example.test/jwks" }, field: "jwks" },
    { name: "a secret client with keys", input: {}, keys: { material: { kind: "pem", text: fixture("ec.pub.pem") } }, field: "authMethod" },
  ];
  for (const { name, input, keys, field } of refusals) {
    it(`refuses ${name}, writing nothing`, async () => {
      const [clients, audit] = [await db().client.count(), await auditCount()];
      const error = await rejection(createClient(cast.admin, clientInput(cast.teamA.id, input), keys), "invalid");
      expect(Object.keys(error.fields ?? {})).toEqual([field]);
      expect([await db().client.count(), await auditCount()]).toEqual([clients, audit]);
    });
  }
});

describe("activation and rotation at the token endpoint", () => {
  it("refuses a scheduled key until its activation date, then accepts it", async () => {
    const key = await makeKey("ES256", "next");
    const client = await jwtClient(cast.admin, cast.teamA.id, []);
    await addKeys(cast.admin, client.id, { kind: "jwks", text: JSON.stringify({ keys: [key.publicJwk] }) }, { notBefore: new Date(Date.now() + DAY) });
    expect((await listClientKeys(cast.admin, client.id))[0].status).toBe("scheduled");
    expect(await authenticate(client.clientId, key)).toEqual({ status: 401, reason: "key_not_active" });

    await db().clientKey.updateMany({ where: { clientId: client.id }, data: { notBefore: new Date(Date.now() - 1000) } });
    expect((await listClientKeys(cast.admin, client.id))[0].status).toBe("active");
    expect(await authenticate(client.clientId, key)).toEqual({ status: 200, reason: null });
  });

  it("rotates with an overlap: the old key is accepted while retiring, refused once its window ends", async () => {
    const [oldKey, newKey] = [await makeKey("ES256", "2025"), await makeKey("ES256", "2026")];
    const client = await jwtClient(cast.admin, cast.teamA.id, [oldKey]);
    const { retiring } = await addKeys(cast.operatorOwner, client.id, { kind: "jwks", text: JSON.stringify({ keys: [newKey.publicJwk] }) }, { retireCurrent: true });
    const overlapDays = 7;
    expect(retiring).toEqual([{ kid: "2025", until: expect.any(Date) }]);
    expect(Math.round((retiring[0].until.getTime() - Date.now()) / DAY)).toBe(overlapDays);
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "client_key.rotate" });
    expect(entry.details.retiring).toEqual([{ kid: "2025", until: retiring[0].until.toISOString() }]);

    expect(await authenticate(client.clientId, oldKey)).toEqual({ status: 200, reason: null });
    expect(await authenticate(client.clientId, newKey)).toEqual({ status: 200, reason: null });

    await db().clientKey.updateMany({ where: { clientId: client.id, kid: "2025" }, data: { retiringUntil: new Date(Date.now() - 1000) } });
    expect((await listClientKeys(cast.admin, client.id)).find((k) => k.kid === "2025")?.status).toBe("retired");
    expect(await authenticate(client.clientId, oldKey)).toEqual({ status: 401, reason: "key_not_active" });
    expect(await authenticate(client.clientId, newKey)).toEqual({ status: 200, reason: null });
  });

  it("starts the overlap at a scheduled key's activation, not now", async () => {
    const [oldKey, newKey] = [await makeKey("ES256", "a"), await makeKey("ES256", "b")];
    const client = await jwtClient(cast.admin, cast.teamA.id, [oldKey]);
    const activation = new Date(Date.now() + 3 * DAY);
    const { retiring } = await addKeys(cast.admin, client.id, { kind: "jwks", text: JSON.stringify({ keys: [newKey.publicJwk] }) }, { notBefore: activation, retireCurrent: true });
    expect(retiring[0].until.getTime()).toBe(activation.getTime() + 7 * DAY);
  });
});

describe("retiring a key", () => {
  it("retires on a date: accepted until then, and the audit says until when", async () => {
    const key = await makeKey("ES256", "k");
    const client = await jwtClient(cast.admin, cast.teamA.id, [key, await makeKey("ES256", "replacement")]);
    const view = (await listClientKeys(cast.admin, client.id)).find((k) => k.kid === "k")!;
    const until = new Date(Date.now() + 2 * DAY);
    await retireKey(cast.operatorOwner, client.id, view.id, { mode: "scheduled", until });
    const after = (await listClientKeys(cast.admin, client.id)).find((k) => k.kid === "k");
    expect(after).toMatchObject({ status: "retiring", retiringUntil: until });
    expect(await lastAudit()).toMatchObject({ action: "client_key.retire", details: expect.objectContaining({ kid: "k", until: until.toISOString() }) });
    expect(await authenticate(client.clientId, key)).toEqual({ status: 200, reason: null });
  });

  it("retires now with a reason: refused at once", async () => {
    const key = await makeKey("ES256", "leaked");
    const client = await jwtClient(cast.admin, cast.teamA.id, [key]);
    const [view] = await listClientKeys(cast.admin, client.id);
    await retireKey(cast.operatorOwner, client.id, view.id, { mode: "now", reason: "private key found in a public repository" });
    const [after] = await listClientKeys(cast.admin, client.id);
    expect(after).toMatchObject({ status: "retired", retireReason: "private key found in a public repository" });
    expect(await lastAudit()).toMatchObject({ action: "client_key.retire_now", details: expect.objectContaining({ kid: "leaked", reason: "private key found in a public repository" }) });
    expect(await authenticate(client.clientId, key)).toEqual({ status: 401, reason: "key_not_active" });
  });

  it("asks for a confirmation when the key was used recently, naming when", async () => {
    const key = await makeKey("ES256", "busy");
    const client = await jwtClient(cast.admin, cast.teamA.id, [key]);
    expect(await authenticate(client.clientId, key)).toEqual({ status: 200, reason: null });
    const { flushAuthEvents } = await import("@/lib/oauth/events");
    await flushAuthEvents();
    const [view] = await listClientKeys(cast.admin, client.id);
    expect(view.lastUsedAt).not.toBeNull();
    const before = await state(client.id);
    const error = await rejection(retireKey(cast.operatorOwner, client.id, view.id, { mode: "now", reason: "rotation" }), "conflict");
    expect(error.message).toContain(view.lastUsedAt!.toISOString());
    expect(error.fields).toEqual({ confirm_recent_use: expect.any(String) });
    expect(await state(client.id)).toEqual(before);
    await retireKey(cast.operatorOwner, client.id, view.id, { mode: "now", reason: "rotation" }, true);
    expect((await listClientKeys(cast.admin, client.id))[0].status).toBe("retired");
  });

  const refusals: { name: string; request: Parameters<typeof retireKey>[3]; code: string; message: RegExp }[] = [
    { name: "retire now without a reason", request: { mode: "now", reason: "  " }, code: "invalid", message: /Say why/ },
    { name: "a retirement date in the past", request: { mode: "scheduled", until: new Date(Date.now() - DAY) }, code: "invalid", message: /must be in the future/ },
    { name: "a retirement date more than a year ahead", request: { mode: "scheduled", until: new Date(Date.now() + 400 * DAY) }, code: "invalid", message: /more than a year/ },
  ];
  for (const { name, request, code, message } of refusals) {
    it(`refuses ${name}, changing nothing`, async () => {
      const client = await jwtClient(cast.admin, cast.teamA.id, [await makeKey("ES256", "k")]);
      const [view] = await listClientKeys(cast.admin, client.id);
      const before = await state(client.id);
      const error = await rejection(retireKey(cast.operatorOwner, client.id, view.id, request), code as never);
      expect(error.message).toMatch(message);
      expect(await state(client.id)).toEqual(before);
    });
  }

  it("keeps a retiring key (cancels its retirement), but not a retired one", async () => {
    const client = await jwtClient(cast.admin, cast.teamA.id, [await makeKey("ES256", "k"), await makeKey("ES256", "other")]);
    const view = (await listClientKeys(cast.admin, client.id)).find((k) => k.kid === "k")!;
    await retireKey(cast.admin, client.id, view.id, { mode: "scheduled" });
    await keepKey(cast.operatorOwner, client.id, view.id);
    expect((await listClientKeys(cast.admin, client.id)).find((k) => k.kid === "k")).toMatchObject({ status: "active", retiringUntil: null });
    expect(await lastAudit()).toMatchObject({ action: "client_key.keep" });
    await retireKey(cast.admin, client.id, view.id, { mode: "now", reason: "done" });
    await rejection(keepKey(cast.admin, client.id, view.id), "conflict");
    await rejection(retireKey(cast.admin, client.id, view.id, { mode: "now", reason: "again" }), "conflict");
  });

  it("refuses a planned retirement that would leave a key-only client without a key, but not a compromise", async () => {
    const client = await jwtClient(cast.admin, cast.teamA.id, [await makeKey("ES256", "only")]);
    const [view] = await listClientKeys(cast.admin, client.id);
    const before = await state(client.id);
    const error = await rejection(retireKey(cast.operatorOwner, client.id, view.id, { mode: "scheduled" }), "conflict");
    expect(error.message).toMatch(/last key.*without a working credential.*replacement/);
    expect(await state(client.id)).toEqual(before);
    // a replacement that is active by then makes the same retirement fine
    await addKeys(cast.operatorOwner, client.id, { kind: "jwks", text: JSON.stringify({ keys: [(await makeKey("ES256", "next")).publicJwk] }) }, { notBefore: new Date(Date.now() + DAY) });
    await retireKey(cast.operatorOwner, client.id, view.id, { mode: "scheduled", until: new Date(Date.now() + 2 * DAY) });
    await retireKey(cast.operatorOwner, client.id, view.id, { mode: "now", reason: "compromised" });
  });

  it("refuses to register a retired key again under another kid", async () => {
    const key = await makeKey("ES256", "first");
    const client = await jwtClient(cast.admin, cast.teamA.id, [key]);
    const [view] = await listClientKeys(cast.admin, client.id);
    await retireKey(cast.admin, client.id, view.id, { mode: "now", reason: "compromised" });
    const error = await rejection(addKeys(cast.admin, client.id, { kind: "jwks", text: JSON.stringify({ keys: [{ ...key.publicJwk, kid: "second" }] }) }), "conflict");
    expect(error.message).toMatch(/retired/);
  });

  for (const who of ["operatorOther", "auditor"] as const) {
    it(`refuses the ${who}: retire and keep change nothing`, async () => {
      const client = await jwtClient(cast.admin, cast.teamA.id, [await makeKey("ES256", "k")]);
      const [view] = await listClientKeys(cast.admin, client.id);
      const before = await state(client.id);
      await rejection(retireKey(cast[who], client.id, view.id, { mode: "now", reason: "x" }), "forbidden");
      await rejection(keepKey(cast[who], client.id, view.id), "forbidden");
      expect(await state(client.id)).toEqual(before);
    });
  }
});

describe("finding keys across clients", () => {
  it("finds every client using a key by its thumbprint and flags the key as shared", async () => {
    const key = await makeKey("ES256", "shared");
    const one = await jwtClient(cast.admin, cast.teamA.id, [key]);
    const two = await jwtClient(cast.admin, cast.teamA.id, [key]);
    const [view] = await listClientKeys(cast.admin, one.id);
    expect(view.sharedWith).toEqual([{ id: two.id, clientId: two.clientId }]);
    const found = await findKeysByThumbprint(cast.auditor, view.thumbprint);
    expect(found.map((k) => k.client.clientId).sort()).toEqual([one.clientId, two.clientId].sort());
    expect((await sharedKeys(cast.auditor)).find((g) => g.thumbprint === view.thumbprint)?.clients.map((c) => c.clientId).sort()).toEqual([one.clientId, two.clientId].sort());
    await rejection(findKeysByThumbprint(cast.auditor, "not a thumbprint"), "invalid");
  });

  it("lists keys expiring within the window, soonest first, leaving out retired ones", async () => {
    const client = await jwtClient(cast.admin, cast.teamA.id, [await makeKey("ES256", "soon"), await makeKey("ES256", "later"), await makeKey("ES256", "gone")]);
    const at = (days: number) => new Date(Date.now() + days * DAY);
    await db().clientKey.updateMany({ where: { clientId: client.id, kid: "soon" }, data: { expiresAt: at(3) } });
    await db().clientKey.updateMany({ where: { clientId: client.id, kid: "later" }, data: { expiresAt: at(20) } });
    await db().clientKey.updateMany({ where: { clientId: client.id, kid: "gone" }, data: { expiresAt: at(2), status: "retired" } });
    const mine = (keys: { client: { id: string }; kid: string }[]) => keys.filter((k) => k.client.id === client.id).map((k) => k.kid);
    expect(mine((await expiringKeys(cast.auditor, 30)).keys)).toEqual(["soon", "later"]);
    expect(mine((await expiringKeys(cast.auditor, 7)).keys)).toEqual(["soon"]);
  });
});
