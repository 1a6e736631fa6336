// The overview's secret-age histogram counts each client's current valid secret by age, exactly as the
// client list it links to filters them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/lib/auth/actor";
import { createClient, deleteClient, setClientEnabled } from "@/lib/clients/commands";
import { listClients } from "@/lib/clients/queries";
import { ClientListQuerySchema } from "@/lib/clients/schema";
import { disconnect, db } from "@/lib/db";
import { overview } from "@/lib/metrics/overview";
import { revokeSecret, rotateSecret } from "@/lib/secrets/commands";
import { DAY_MS } from "@/lib/secrets/status";
import { clientInput, makeCast, rejection, resetDatabase, type Cast } from "./helpers";

const now = new Date("2026-06-15T12:00:00.000Z");
let cast: Cast;

/** A client whose only secret was created `ageMs` before `now` and expires `expiresInDays` after it. */
async function clientWithSecretAged(ageMs: number, expiresInDays = 400, overrides: Record<string, unknown> = {}) {
  const created = await createClient(SYSTEM, clientInput(cast.teamA.id, overrides));
  const createdAt = new Date(now.getTime() - ageMs);
  const expiresAt = new Date(now.getTime() + expiresInDays * DAY_MS);
  await db().clientSecret.update({ where: { id: created.secret!.id }, data: { createdAt, expiresAt } });
  await db().client.update({ where: { id: created.id }, data: { secretCreatedAt: createdAt, secretExpiresAt: expiresAt } });
  return created;
}

const days = (n: number) => n * DAY_MS;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  // 0–30: 3, 31–90: 2, 91–180: 1, 181–365: 0, over 365: 2
  for (const age of [0, days(10), days(31) - 1]) await clientWithSecretAged(age);
  for (const age of [days(31), days(90) + 5]) await clientWithSecretAged(age, 10, { environment: "staging" });
  await clientWithSecretAged(days(150), 3, { authMethod: "client_secret_post" });
  for (const age of [days(366), days(900)]) await clientWithSecretAged(age);
  // not counted: an expired secret, a revoked secret, a deleted client's secret
  await clientWithSecretAged(days(200), -1);
  const revoked = await clientWithSecretAged(days(250));
  await revokeSecret(SYSTEM, revoked.id, revoked.secret!.id);
  const deleted = await clientWithSecretAged(days(300));
  await deleteClient(SYSTEM, deleted.id, deleted.clientId);
});
afterAll(disconnect);

describe("overview", () => {
  it("counts clients' current valid secrets into age buckets by their age", async () => {
    const result = await overview(cast.auditor, now);
    expect(Object.fromEntries(result.secretAges.map((b) => [b.bucket, b.count]))).toEqual({ "0-30": 3, "31-90": 2, "91-180": 1, "181-365": 0, "365+": 2 });
    expect(result.totals.withValidSecret).toBe(8);
  });

  it("agrees with the client list for every bucket it links to", async () => {
    const result = await overview(cast.auditor, now);
    for (const bucket of result.secretAges) {
      const list = await listClients(cast.auditor, ClientListQuerySchema.parse({ age: bucket.bucket }), now);
      expect(list.total, bucket.bucket).toBe(bucket.count);
      expect(bucket.href).toBe(`/clients?age=${encodeURIComponent(bucket.bucket)}`);
    }
  });

  it("moves a rotated client to its new secret's age at once (the old one is rotating out)", async () => {
    const created = await clientWithSecretAged(days(500));
    const later = new Date(Date.now() + 60_000); // the rotation happens at the real clock
    const count = async (bucket: string) => (await overview(cast.auditor, later)).secretAges.find((b) => b.bucket === bucket)!.count;
    const [fresh, old] = [await count("0-30"), await count("365+")];
    await rotateSecret(SYSTEM, created.id);
    expect(await count("0-30")).toBe(fresh + 1);
    expect(await count("365+")).toBe(old - 1);
    for (const secret of await db().clientSecret.findMany({ where: { clientId: created.id } })) await revokeSecret(SYSTEM, created.id, secret.id);
  });

  it("counts clients by method and status, leaving out deleted ones", async () => {
    const disabled = await clientWithSecretAged(days(1));
    await setClientEnabled(SYSTEM, disabled.id, false);
    const result = await overview(cast.auditor, now);
    const byMethod = Object.fromEntries(result.byMethod.map((m) => [m.method, m.count]));
    expect(byMethod).toEqual({ client_secret_basic: 11, client_secret_post: 1, private_key_jwt: 0 });
    expect(result.totals).toMatchObject({ clients: 12, active: 11, disabled: 1 });
  });

  it("lists clients whose current secret expires within the expiring-soon window", async () => {
    const result = await overview(cast.auditor, now);
    expect(result.expiring.days).toBe(14);
    expect(result.expiring.count).toBe(3);
    expect(result.expiring.rows.map((r) => r.secretExpiresAt!.getTime() - now.getTime())).toEqual([days(3), days(10), days(10)]);
  });

  it("never returns a secret hash", async () => {
    const result = await overview(cast.auditor, now);
    expect(JSON.stringify(result)).not.toMatch(/"hash"/);
  });

  it("refuses a caller whose role grants no client.read", async () => {
    await rejection(overview({ ...cast.auditor, role: "nobody" as never }, now), "forbidden");
  });
});
