// The "last used" times the event writer keeps (lib/oauth/events.ts): written with each batch of events,
// through the hot path's own statements. They only move forward, whatever order
// batches arrive in (several instances flush on their own), and traffic is not an edit of the client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnect } from "@/lib/db";
import { flushAuthEvents, recordAuthEvent, type AuthEventInput } from "@/lib/oauth/events";
import { makeCast, resetDatabase, type Cast } from "./helpers";
import { jwtClient, makeKey, secretClient } from "./oauth-fixtures";

let cast: Cast;
beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(async () => {
  await flushAuthEvents();
  await disconnect();
});

const at = (iso: string) => new Date(iso);

function success(client: { id: string; clientId: string }, when: Date, used: Partial<AuthEventInput>): AuthEventInput {
  return { at: when, endpoint: "token", clientDbId: client.id, clientId: client.clientId, method: "client_secret_basic", outcome: "success", reason: null, kid: null, secretHint: null, audienceForm: null, address: "203.0.113.9", ...used };
}

describe("last used times", () => {
  it("take each secret's, key's and client's latest use in a batch, and move only forward across batches", async () => {
    const secret = await secretClient(cast.admin, cast.teamA.id);
    const jwt = await jwtClient(cast.admin, cast.teamA.id, [await makeKey("ES256")]);
    const keyId = (await db().clientKey.findFirstOrThrow({ where: { clientId: jwt.id } })).id;
    const updatedBefore = (await db().client.findUniqueOrThrow({ where: { id: secret.id } })).updatedAt;

    recordAuthEvent(success(secret, at("2026-11-02T10:00:00.000Z"), { secretId: secret.secretId }));
    recordAuthEvent(success(secret, at("2026-11-02T10:00:05.250Z"), { secretId: secret.secretId, method: "client_secret_post" }));
    recordAuthEvent(success(secret, at("2026-11-02T10:00:03.000Z"), { secretId: secret.secretId }));
    // a failure uses nothing
    recordAuthEvent({ ...success(secret, at("2026-11-02T11:00:00.000Z"), { secretId: secret.secretId }), outcome: "failure", reason: "secret_mismatch" });
    recordAuthEvent(success(jwt, at("2026-11-02T09:00:00.000Z"), { keyId, method: "private_key_jwt" }));
    recordAuthEvent(success(jwt, at("2026-11-02T09:30:00.000Z"), { keyId, method: "private_key_jwt" }));
    await flushAuthEvents();

    const read = async () => ({
      secret: (await db().clientSecret.findUniqueOrThrow({ where: { id: secret.secretId } })).lastUsedAt,
      key: (await db().clientKey.findUniqueOrThrow({ where: { id: keyId } })).lastUsedAt,
      client: await db().client.findUniqueOrThrow({ where: { id: secret.id }, select: { lastAuthAt: true, lastAuthMethod: true, updatedAt: true } }),
      jwt: await db().client.findUniqueOrThrow({ where: { id: jwt.id }, select: { lastAuthAt: true, lastAuthMethod: true, firstAssertionAt: true } }),
    });
    expect(await read()).toEqual({
      secret: at("2026-11-02T10:00:05.250Z"),
      key: at("2026-11-02T09:30:00.000Z"),
      client: { lastAuthAt: at("2026-11-02T10:00:05.250Z"), lastAuthMethod: "client_secret_post", updatedAt: updatedBefore },
      jwt: { lastAuthAt: at("2026-11-02T09:30:00.000Z"), lastAuthMethod: "private_key_jwt", firstAssertionAt: at("2026-11-02T09:00:00.000Z") },
    });

    // a later batch with older uses (another instance flushing late) changes nothing
    const settled = await read();
    recordAuthEvent(success(secret, at("2026-11-01T08:00:00.000Z"), { secretId: secret.secretId, method: "client_secret_basic" }));
    recordAuthEvent(success(jwt, at("2026-11-01T08:00:00.000Z"), { keyId, method: "private_key_jwt" }));
    await flushAuthEvents();
    expect(await read()).toEqual(settled);

    // a newer one moves them on; the first assertion stays the first
    recordAuthEvent(success(jwt, at("2026-11-03T12:00:00.000Z"), { keyId, method: "private_key_jwt" }));
    await flushAuthEvents();
    const moved = await read();
    expect(moved.key).toEqual(at("2026-11-03T12:00:00.000Z"));
    expect(moved.jwt).toEqual({ lastAuthAt: at("2026-11-03T12:00:00.000Z"), lastAuthMethod: "private_key_jwt", firstAssertionAt: at("2026-11-02T09:00:00.000Z") });
    // and the events themselves landed, every one, the failure included
    expect(await db().authEvent.count({ where: { clientDbId: { in: [secret.id, jwt.id] } } })).toBe(9);
  });
});
