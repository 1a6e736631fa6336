// The authorization server's signing keys as the Settings page lists and rotates them: the same
// domain calls rotateServerKeysAction and the page make, with the actor the session would give.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnect } from "@/lib/db";
import { forgetEndpointPolicy } from "@/lib/oauth/policy";
import { forgetSigningKey, listServerKeys, publishedJwks, rotateServerKeys } from "@/lib/oauth/server-keys";
import { updateSettings } from "@/lib/settings";
import { auditCount, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";

let cast: Cast;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  forgetSigningKey();
  forgetEndpointPolicy();
});
afterAll(disconnect);

const stages = async () => Object.fromEntries((await listServerKeys(cast.auditor)).filter((k) => k.status !== "retired").map((k) => [k.status, k.kid]));

describe("signing keys", () => {
  it("lists a current and a next key to every role, without key material", async () => {
    for (const who of ["admin", "operatorOwner", "auditor"] as const) {
      const keys = await listServerKeys(cast[who]);
      expect(keys.map((k) => k.status).sort()).toEqual(["current", "next"]);
      expect(keys.every((k) => k.alg === "ES256")).toBe(true);
      expect(JSON.stringify(keys)).not.toMatch(/privateKey|publicJwk/);
    }
  });

  it("rotates for an administrator: next becomes current, current stays published until its tokens expire, audited", async () => {
    await updateSettings(cast.admin, { "token.lifetimeSeconds": 900, "assertion.clockSkewSeconds": 30 });
    forgetEndpointPolicy();
    const before = await stages();
    const started = Date.now();
    const rotated = await rotateServerKeys(cast.admin);
    expect(rotated).toMatchObject({ current: before.next, previous: before.current });
    const after = await stages();
    expect(after).toEqual({ current: before.next, previous: before.current, next: rotated.next });

    const previous = await db().serverKey.findUniqueOrThrow({ where: { kid: before.current } });
    const publishedFor = previous.publishUntil!.getTime() - started;
    expect(publishedFor).toBeGreaterThanOrEqual(930_000 - 1_000);
    expect(publishedFor).toBeLessThanOrEqual(930_000 + 5_000);
    forgetSigningKey();
    expect((await publishedJwks()).keys.map((k) => k.kid)).toEqual([after.current, after.next, after.previous]);

    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "server_key.rotate", actorId: cast.admin.id });
    expect(entry.details).toMatchObject({ current: before.next, previous: before.current, next: rotated.next });
  });

  for (const who of ["operatorOwner", "auditor"] as const) {
    it(`refuses the ${who} and changes nothing`, async () => {
      const [before, audit] = [await stages(), await auditCount()];
      const error = await rejection(rotateServerKeys(cast[who]), "forbidden");
      expect(error.message).toBe(who === "auditor" ? "Auditors have read-only access." : "Only administrators rotate the signing keys.");
      expect(await stages()).toEqual(before);
      expect(await auditCount()).toBe(audit);
    });
  }
});
