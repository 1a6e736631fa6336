// The migration of one client, step by step, against the token endpoint: every transition and guard,
// readiness from real traffic, rollback, finalising (with and without a reason), the break-glass secret,
// permissions, and concurrent steps on one client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuer } from "@/lib/config";
import { db, disconnect } from "@/lib/db";
import { addKeys, retireKey } from "@/lib/keys/lifecycle";
import { listClientKeys } from "@/lib/keys/queries";
import { getMigration } from "@/lib/migration/state";
import { changeDualWindow, finaliseMigration, issueBreakGlassSecret, openDualWindow, rollBackDualWindow } from "@/lib/migration/steps";
import { forgetCachedClients } from "@/lib/oauth/client-auth";
import { flushAuthEvents } from "@/lib/oauth/events";
import { forgetEndpointPolicy } from "@/lib/oauth/policy";
import { auditCount, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";
import { assertion, basic, form, jwtParams, lastEvent, makeKey, secretClient, tokenRequest, type TestKey } from "./oauth-fixtures";

const DAY = 86_400_000;
let cast: Cast;
beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  forgetEndpointPolicy();
});
afterAll(disconnect);

type Client = Awaited<ReturnType<typeof secretClient>>;

async function withSecret(actorOwner = true): Promise<Client> {
  return secretClient(actorOwner ? cast.operatorOwner : cast.admin, cast.teamA.id);
}

async function register(client: Client, key: TestKey) {
  await addKeys(cast.operatorOwner, client.id, { kind: "jwks", text: JSON.stringify({ keys: [key.publicJwk] }) });
}

async function bySecret(client: Client) {
  forgetCachedClients();
  const response = await tokenRequest(form({ grant_type: "client_credentials" }), { authorization: basic(client.clientId, client.secret) });
  return { status: response.status, reason: (await lastEvent(client.clientId))?.reason ?? null };
}

async function byKey(client: Client, key: TestKey) {
  forgetCachedClients();
  const response = await tokenRequest(form(jwtParams(await assertion(client.clientId, issuer(), key))));
  return { status: response.status, reason: (await lastEvent(client.clientId))?.reason ?? null };
}

const snapshot = async (id: string) => ({
  client: await db().client.findUniqueOrThrow({ where: { id }, select: { migrationState: true, acceptedMethods: true, authMethod: true, dualUntil: true } }),
  secrets: await db().clientSecret.findMany({ where: { clientId: id }, select: { revokedAt: true }, orderBy: { createdAt: "asc" } }),
  audit: await auditCount(),
});

describe("a whole migration", () => {
  it("moves secret only → keys registered → dual → private_key_jwt, with traffic as evidence", async () => {
    const key = await makeKey("ES256", "k1");
    const client = await withSecret();
    expect((await getMigration(cast.auditor, client.id)).state).toBe("secret_only");
    expect(await byKey(client, key)).toEqual({ status: 401, reason: "method_not_accepted" });

    await register(client, key);
    expect((await getMigration(cast.auditor, client.id)).state).toBe("keys_registered");
    expect((await lastAudit()).details).toMatchObject({ migrationState: "keys_registered" });
    // registering keys changes nothing at the token endpoint yet
    expect(await byKey(client, key)).toEqual({ status: 401, reason: "method_not_accepted" });

    const dual = await openDualWindow(cast.operatorOwner, client.id);
    expect(dual).toMatchObject({ state: "dual", from: "client_secret_basic", overdue: false });
    expect(Math.round((dual.dualUntil!.getTime() - Date.now()) / DAY)).toBe(30);
    expect(await lastAudit()).toMatchObject({ action: "migration.dual_open" });
    expect(await bySecret(client)).toEqual({ status: 200, reason: null });
    expect(await byKey(client, key)).toEqual({ status: 200, reason: null });
    await flushAuthEvents();

    // the secret was used a moment ago: finalising is not offered without a reason
    let view = await getMigration(cast.auditor, client.id);
    expect(view.readiness).toMatchObject({ usableKeys: 1, readyToFinalise: false, daysWithoutSecret: 0, quietDays: 7 });
    expect(view.readiness.firstAssertionAt).not.toBeNull();
    expect(view.readiness.notReadyBecause).toEqual([expect.stringMatching(/used today; 7 days without use/)]);

    // eight quiet days later (the secret's last use moved back), it is
    await db().clientSecret.updateMany({ where: { clientId: client.id }, data: { lastUsedAt: new Date(Date.now() - 8 * DAY) } });
    view = await getMigration(cast.auditor, client.id);
    expect(view.readiness).toMatchObject({ readyToFinalise: true, daysWithoutSecret: 8, notReadyBecause: [] });

    const done = await finaliseMigration(cast.operatorOwner, client.id);
    expect(done.state).toBe("private_key_jwt");
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "migration.finalise" });
    expect(entry.details).toMatchObject({ from: "client_secret_basic", ready: true, daysWithoutSecret: 8, revokedSecrets: [client.secret.slice(0, 8)] });
    expect(entry.details).not.toHaveProperty("reason");
    const row = await db().client.findUniqueOrThrow({ where: { id: client.id } });
    expect(row).toMatchObject({ authMethod: "private_key_jwt", acceptedMethods: "private_key_jwt", secretCreatedAt: null });
    expect(await bySecret(client)).toEqual({ status: 401, reason: "method_not_accepted" });
    expect(await byKey(client, key)).toEqual({ status: 200, reason: null });
    expect(await db().clientSecret.count({ where: { clientId: client.id, revokedAt: null } })).toBe(0);
  });
});

describe("guards", () => {
  it("opens no dual window without a usable key, and none before keys are registered", async () => {
    const client = await withSecret();
    await rejection(openDualWindow(cast.operatorOwner, client.id), "conflict");
    const key = await makeKey("ES256", "later");
    await addKeys(cast.operatorOwner, client.id, { kind: "jwks", text: JSON.stringify({ keys: [key.publicJwk] }) }, { notBefore: new Date(Date.now() + DAY) });
    const before = await snapshot(client.id);
    const error = await rejection(openDualWindow(cast.operatorOwner, client.id), "conflict");
    expect(error.message).toMatch(/no active key/);
    expect(await snapshot(client.id)).toEqual(before);
  });

  const windows: { name: string; until: Date; message: RegExp }[] = [
    { name: "an end date in the past", until: new Date(Date.now() - DAY), message: /in the future/ },
    { name: "an end date more than a year ahead", until: new Date(Date.now() + 400 * DAY), message: /365 days/ },
  ];
  for (const { name, until, message } of windows) {
    it(`refuses a dual window with ${name}, changing nothing`, async () => {
      const client = await withSecret();
      await register(client, await makeKey("ES256", "k"));
      const before = await snapshot(client.id);
      const error = await rejection(openDualWindow(cast.operatorOwner, client.id, { until }), "invalid");
      expect(error.message).toMatch(message);
      expect(error.fields).toEqual({ until: expect.any(String) });
      expect(await snapshot(client.id)).toEqual(before);
    });
  }

  it("finalises early only with a typed reason, recorded with the evidence", async () => {
    const key = await makeKey("ES256", "k");
    const client = await withSecret();
    await register(client, key);
    await openDualWindow(cast.operatorOwner, client.id);
    const before = await snapshot(client.id);
    const error = await rejection(finaliseMigration(cast.operatorOwner, client.id), "invalid");
    expect(error.message).toMatch(/no assertion has succeeded yet/);
    expect(error.fields).toEqual({ reason: "A reason is required" });
    expect(await snapshot(client.id)).toEqual(before);
    await finaliseMigration(cast.operatorOwner, client.id, { reason: "the secret leaked; the client deploys its key today" });
    expect((await lastAudit()).details).toMatchObject({ ready: false, reason: "the secret leaked; the client deploys its key today", firstAssertionAt: null });
  });

  it("does not finalise a client whose keys were all retired meanwhile", async () => {
    const key = await makeKey("ES256", "k");
    const client = await withSecret();
    await register(client, key);
    await openDualWindow(cast.operatorOwner, client.id);
    const [view] = await listClientKeys(cast.admin, client.id);
    await retireKey(cast.operatorOwner, client.id, view.id, { mode: "now", reason: "compromised" });
    const before = await snapshot(client.id);
    const error = await rejection(finaliseMigration(cast.operatorOwner, client.id, { reason: "anyway" }), "conflict");
    expect(error.message).toMatch(/without a working credential/);
    expect(await snapshot(client.id)).toEqual(before);
    // the secret still works: the dual window never took it away
    expect(await bySecret(client)).toEqual({ status: 200, reason: null });
  });

  it("rolls the dual window back to the secret alone and keeps the keys", async () => {
    const key = await makeKey("ES256", "k");
    const client = await withSecret();
    await register(client, key);
    await openDualWindow(cast.operatorOwner, client.id);
    expect(await byKey(client, key)).toEqual({ status: 200, reason: null });
    const view = await rollBackDualWindow(cast.operatorOwner, client.id, "the client's library cannot sign yet");
    expect(view).toMatchObject({ state: "keys_registered", dualUntil: null });
    expect(await lastAudit()).toMatchObject({ action: "migration.rollback", details: { acceptedMethods: ["client_secret_basic"], reason: "the client's library cannot sign yet" } });
    expect(await byKey(client, key)).toEqual({ status: 401, reason: "method_not_accepted" });
    expect(await bySecret(client)).toEqual({ status: 200, reason: null });
    expect(await listClientKeys(cast.admin, client.id)).toHaveLength(1);
    // and the window can open again
    await openDualWindow(cast.operatorOwner, client.id);
  });

  it("flags a dual window past its end date as overdue, and keeps accepting both", async () => {
    const key = await makeKey("ES256", "k");
    const client = await withSecret();
    await register(client, key);
    await openDualWindow(cast.operatorOwner, client.id);
    await db().client.update({ where: { id: client.id }, data: { dualUntil: new Date(Date.now() - 1000) } });
    expect((await getMigration(cast.auditor, client.id)).overdue).toBe(true);
    expect(await bySecret(client)).toEqual({ status: 200, reason: null });
    expect(await byKey(client, key)).toEqual({ status: 200, reason: null });
    const extended = await changeDualWindow(cast.operatorOwner, client.id, new Date(Date.now() + 14 * DAY));
    expect(extended.overdue).toBe(false);
    expect(await lastAudit()).toMatchObject({ action: "migration.dual_change" });
  });

  const outOfOrder: { name: string; run: (c: Client) => Promise<unknown> }[] = [
    { name: "finalising before the dual window", run: (c) => finaliseMigration(cast.admin, c.id, { reason: "x" }) },
    { name: "rolling back without a dual window", run: (c) => rollBackDualWindow(cast.admin, c.id) },
    { name: "moving the end of a window that is not open", run: (c) => changeDualWindow(cast.admin, c.id, new Date(Date.now() + DAY)) },
    { name: "a break-glass secret before finalising", run: (c) => issueBreakGlassSecret(cast.admin, c.id, "lost") },
  ];
  for (const { name, run } of outOfOrder) {
    it(`refuses ${name}, changing nothing`, async () => {
      const client = await withSecret();
      await register(client, await makeKey("ES256", "k"));
      const before = await snapshot(client.id);
      await rejection(run(client), "conflict");
      expect(await snapshot(client.id)).toEqual(before);
    });
  }

  it("lets one of two concurrent steps on a client win, and the other fail cleanly", async () => {
    const client = await withSecret();
    await register(client, await makeKey("ES256", "k"));
    const results = await Promise.allSettled([openDualWindow(cast.operatorOwner, client.id), openDualWindow(cast.admin, client.id), openDualWindow(cast.operatorOwner, client.id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) expect(r.reason).toMatchObject({ code: "conflict" });
    expect(await db().auditEvent.count({ where: { action: "migration.dual_open", targetId: client.clientId } })).toBe(1);

    const final = await Promise.allSettled([finaliseMigration(cast.operatorOwner, client.id, { reason: "now" }), rollBackDualWindow(cast.admin, client.id)]);
    expect(final.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const state = (await getMigration(cast.auditor, client.id)).state;
    expect(["private_key_jwt", "keys_registered"]).toContain(state);
    expect(await db().auditEvent.count({ where: { action: { in: ["migration.finalise", "migration.rollback"] }, targetId: client.clientId } })).toBe(1);
  });
});

describe("break-glass", () => {
  async function finalised() {
    const key = await makeKey("ES256", "k");
    const client = await withSecret();
    await register(client, key);
    await openDualWindow(cast.operatorOwner, client.id);
    await finaliseMigration(cast.operatorOwner, client.id, { reason: "test" });
    return { client, key };
  }

  it("issues an admin a one-day secret, accepted beside the keys until it expires, flagged and audited", async () => {
    const { client } = await finalised();
    const secret = await issueBreakGlassSecret(cast.admin, client.id, "the host holding the key was lost");
    expect(Math.round((secret.expiresAt.getTime() - Date.now()) / 3_600_000)).toBe(24);
    expect(await lastAudit()).toMatchObject({ action: "migration.break_glass", details: expect.objectContaining({ reason: "the host holding the key was lost", secretHint: secret.hint }) });
    expect(JSON.stringify((await lastAudit()).details)).not.toContain(secret.secret);
    expect((await getMigration(cast.auditor, client.id)).breakGlassUntil?.getTime()).toBe(secret.expiresAt.getTime());
    const withBreakGlass = { ...client, secret: secret.secret };
    expect(await bySecret(withBreakGlass)).toEqual({ status: 200, reason: null });

    await db().client.update({ where: { id: client.id }, data: { breakGlassUntil: new Date(Date.now() - 1000) } });
    await db().clientSecret.updateMany({ where: { id: secret.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await bySecret(withBreakGlass)).toEqual({ status: 401, reason: "method_not_accepted" });
    expect((await getMigration(cast.auditor, client.id)).breakGlassUntil).toBeNull();
  });

  it("refuses operators, and a request without a reason", async () => {
    const { client } = await finalised();
    const before = await snapshot(client.id);
    const denied = await rejection(issueBreakGlassSecret(cast.operatorOwner, client.id, "lost"), "forbidden");
    expect(denied.message).toBe("Only administrators issue break-glass secrets.");
    await rejection(issueBreakGlassSecret(cast.admin, client.id, "  "), "invalid");
    expect(await snapshot(client.id)).toEqual(before);
  });
});

describe("permissions", () => {
  for (const who of ["operatorOther", "auditor"] as const) {
    it(`refuses the ${who} every step, changing nothing`, async () => {
      const client = await withSecret();
      await register(client, await makeKey("ES256", "k"));
      const before = await snapshot(client.id);
      await rejection(openDualWindow(cast[who], client.id), "forbidden");
      await openDualWindow(cast.operatorOwner, client.id);
      const open = await snapshot(client.id);
      for (const step of [() => rollBackDualWindow(cast[who], client.id), () => finaliseMigration(cast[who], client.id, { reason: "x" }), () => changeDualWindow(cast[who], client.id, new Date(Date.now() + DAY))]) {
        await rejection(step(), "forbidden");
      }
      expect(await snapshot(client.id)).toEqual(open);
      expect(before.client.migrationState).toBe("keys_registered");
    });
  }
});
