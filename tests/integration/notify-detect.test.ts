// Detection: each condition the issue names becomes one candidate event per episode, with the owner team
// and a dedupe key, and nothing else does (retired keys, rotated or revoked secrets, healthy jwks_uris,
// closed campaigns, disabled clients). A pass records each event once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnect } from "@/lib/db";
import { DETECTOR_PAGE, detectEvents } from "@/lib/notify/detect";
import type { CandidateEvent } from "@/lib/notify/events";
import { runNotificationPass } from "@/lib/notify/scheduler";
import { rotateSecret } from "@/lib/secrets/commands";
import { getSettings, updateSettings } from "@/lib/settings";
import { makeCast, resetDatabase, type Cast } from "./helpers";
import { jwtClient, makeKey, secretClient } from "./oauth-fixtures";

const DAY = 86_400_000;
let cast: Cast;
const now = new Date();
const at = (days: number) => new Date(now.getTime() + days * DAY);

async function detected(type: string): Promise<CandidateEvent[]> {
  return (await detectEvents(now, await getSettings())).filter((e) => e.type === type);
}

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);
beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notification.deleteMany();
  await db().campaign.deleteMany();
  await db().client.deleteMany();
  await db().setting.deleteMany();
});

describe("detection", () => {
  it("finds a current secret expiring, not one rotating out nor a disabled client's", async () => {
    const rotated = await secretClient(cast.admin, cast.teamA.id);
    await rotateSecret(cast.admin, rotated.id);
    const disabled = await secretClient(cast.admin, cast.teamA.id);
    await db().client.update({ where: { id: disabled.id }, data: { status: "disabled" } });
    // the rotated-out secret expires at the end of the overlap (7 days); the new one in 90 days
    expect(await detected("secret.expiring")).toEqual([]);
    const events = (await detectEvents(at(85), await getSettings())).filter((e) => e.type === "secret.expiring");
    expect(events.map((e) => e.client?.clientId)).toEqual([rotated.clientId]);
    expect(events[0]).toMatchObject({ teamId: cast.teamA.id, contacts: ["owner@example.test"], subject: { type: "client", id: rotated.id } });
  });

  it("finds keys and certificates expiring, each under its own threshold, and leaves retired keys out", async () => {
    const [k1, k2, k3] = await Promise.all([makeKey("ES256", "k1"), makeKey("ES256", "k2"), makeKey("ES256", "k3")]);
    const client = await jwtClient(cast.admin, cast.teamA.id, [k1, k2, k3]);
    const key = (kid: string) => db().clientKey.findFirstOrThrow({ where: { clientId: client.id, kid } });
    await db().clientKey.update({ where: { id: (await key("k1")).id }, data: { expiresAt: at(5) } });
    await db().clientKey.update({ where: { id: (await key("k2")).id }, data: { expiresAt: at(20), certificate: JSON.stringify({ subject: "CN=billing" }) } });
    await db().clientKey.update({ where: { id: (await key("k3")).id }, data: { expiresAt: at(2), status: "retired", retiredAt: now } });
    const keys = await detected("key.expiring");
    const certificates = await detected("certificate.expiring");
    expect(keys.map((e) => [e.details.kid, e.details.threshold_days])).toEqual([["k1", 7]]);
    expect(certificates.map((e) => [e.details.kid, e.details.threshold_days])).toEqual([["k2", 30]]);
    expect(certificates[0].summary).toMatch(/^The certificate k2 of .* expires in 20 days/);
  });

  it("finds degraded and failing jwks_uris, one episode per last good fetch", async () => {
    const link = (id: string, data: Record<string, unknown>) => db().client.update({ where: { id }, data: { keySource: "jwks_uri", jwksUri: "https://keys.example.com/jwks", ...data } });
    const degraded = await secretClient(cast.admin, cast.teamA.id);
    const failing = await secretClient(cast.admin, cast.teamB.id);
    const healthy = await secretClient(cast.admin, cast.teamB.id);
    await link(degraded.id, { jwksGoodAt: new Date(now.getTime() - 2 * 3_600_000), jwksFailures: 3, jwksLastError: "keys.example.com answered 503." });
    await link(failing.id, { jwksGoodAt: new Date(now.getTime() - 48 * 3_600_000), jwksFailures: 9 });
    await link(healthy.id, { jwksGoodAt: now, jwksFailures: 0 });
    const [d] = await detected("jwks.degraded");
    const [f, ...more] = await detected("jwks.failing");
    expect(more).toEqual([]);
    expect(d).toMatchObject({ teamId: cast.teamA.id, client: { clientId: degraded.clientId }, details: { failures: 3, last_error: "keys.example.com answered 503." } });
    expect(d.dedupeKey).toBe(`jwks.degraded:${degraded.id}:${new Date(now.getTime() - 2 * 3_600_000).toISOString()}`);
    expect(f).toMatchObject({ teamId: cast.teamB.id, client: { clientId: failing.clientId } });
    expect(f.summary).toMatch(/authentication of this client fails now/);
  });

  it("finds dual windows past their end date", async () => {
    const overdue = await secretClient(cast.admin, cast.teamA.id);
    const running = await secretClient(cast.admin, cast.teamA.id);
    await db().client.update({ where: { id: overdue.id }, data: { migrationState: "dual", dualUntil: at(-1) } });
    await db().client.update({ where: { id: running.id }, data: { migrationState: "dual", dualUntil: at(3) } });
    const events = await detected("migration.dual_overdue");
    expect(events.map((e) => e.client?.clientId)).toEqual([overdue.clientId]);
    expect(events[0].dedupeKey).toBe(`migration.dual_overdue:${overdue.id}:${at(-1).toISOString()}`);
  });

  it("finds active campaigns whose deadline approaches, for the organisation and the campaign's owner", async () => {
    const campaign = (name: string, deadline: Date, status = "active") =>
      db().campaign.create({ data: { name, kind: "migration", ownerId: cast.operatorOwner.id, deadline, cohortQuery: "{}", status } });
    const soon = await campaign("Q3 payments", at(3));
    await campaign("Closed early", at(2), "closed");
    await campaign("Next year", at(300));
    const events = await detected("campaign.deadline");
    expect(events).toEqual([
      expect.objectContaining({ teamId: null, contacts: [cast.operatorOwner.email], subject: { type: "campaign", id: soon.id }, path: `/campaigns/${soon.id}`, dedupeKey: `campaign.deadline:${soon.id}:7` }),
    ]);
  });

  it("finds policy breaches: a secret too old, a secret where keys are required, a key whose algorithm is no longer allowed", async () => {
    const old = await secretClient(cast.admin, cast.teamA.id);
    await db().client.update({ where: { id: old.id }, data: { secretCreatedAt: at(-40) } });
    const fresh = await secretClient(cast.admin, cast.teamA.id);
    const staging = await secretClient(cast.admin, cast.teamB.id, { environment: "staging" });
    const rsa = await makeKey("RS256", "legacy-rsa");
    const keyed = await jwtClient(cast.admin, cast.teamB.id, [await makeKey("ES256", "fine")]);
    await db().clientKey.create({ data: { clientId: keyed.id, kid: rsa.kid, kty: "RSA", alg: "RS256", thumbprint: "t", publicJwk: JSON.stringify(rsa.publicJwk), source: "upload" } });
    // the policy tightens after these clients were registered
    await updateSettings(cast.admin, {
      "policy.maxSecretAgeDays.production": 30,
      "policy.requiredMethod.staging": "private_key_jwt",
      "policy.allowedAlgorithms": ["ES256", "PS256"],
    });

    const events = await detected("policy.breach");
    const byClient = (id: string) => events.filter((e) => e.subject.id === id).map((e) => e.details.breach);
    expect(byClient(old.id)).toEqual(["secret_too_old"]);
    expect(byClient(fresh.id)).toEqual([]);
    expect(byClient(staging.id)).toEqual(["secret_after_required_date"]);
    expect(byClient(keyed.id)).toEqual(["key_algorithm_not_allowed"]);
    expect(events.find((e) => e.subject.id === old.id)?.summary).toMatch(/is 40 days old; production secrets may be at most 30 days old/);
  });

  it("finds break-glass secrets still valid", async () => {
    const client = await secretClient(cast.admin, cast.teamA.id);
    const alive = await db().clientSecret.create({ data: { clientId: client.id, hint: "kss_AbCd", breakGlass: true, expiresAt: at(1) } });
    await db().clientSecret.create({ data: { clientId: client.id, hint: "kss_EfGh", breakGlass: true, expiresAt: at(1), revokedAt: now } });
    const events = await detected("secret.break_glass");
    expect(events.map((e) => e.dedupeKey)).toEqual([`secret.break_glass:${alive.id}`]);
    expect(events[0].summary).toMatch(/^A break-glass secret kss_AbCd… was issued for/);
  });

  it("reads past the first page: every client is reached, each once", async () => {
    const count = DETECTOR_PAGE + 50;
    const rows = Array.from({ length: count }, (_, i) => ({
      id: `bulk-${String(i).padStart(5, "0")}`,
      clientId: `bulk-${i}`,
      name: `Bulk ${i}`,
      environment: "development",
      ownerTeamId: cast.teamA.id,
      contactEmail: "bulk@example.test",
      authMethod: "client_secret_basic",
      acceptedMethods: "client_secret_basic",
      grantTypes: "client_credentials",
      searchText: `bulk-${i}`,
      secretCreatedAt: at(-80),
      // many clients share an expiry: the keyset cursor must still move past each
      secretExpiresAt: at(10 + (i % 3)),
    }));
    await db().client.createMany({ data: rows });
    await db().clientSecret.createMany({ data: rows.map((r) => ({ id: `s-${r.id}`, clientId: r.id, hint: "kss_bulk", createdAt: r.secretCreatedAt, expiresAt: r.secretExpiresAt })) });
    const events = await detected("secret.expiring");
    expect(events).toHaveLength(count);
    expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(count);
    expect((await runNotificationPass(now)).recorded).toBe(count);
    expect((await runNotificationPass(new Date(now.getTime() + 60_000))).recorded).toBe(0);
  });

  it("reads past the first page of secrets too old, and leaves out in the query those already told", async () => {
    const count = DETECTOR_PAGE + 50;
    const rows = Array.from({ length: count }, (_, i) => ({
      id: `old-${String(i).padStart(5, "0")}`,
      clientId: `old-${i}`,
      name: `Old ${i}`,
      environment: "production",
      ownerTeamId: cast.teamB.id,
      contactEmail: "old@example.test",
      authMethod: "client_secret_post",
      acceptedMethods: "client_secret_post",
      grantTypes: "client_credentials",
      searchText: `old-${i}`,
      // imported secrets without an expiry, older than production's 365 days; ties on the creation time
      secretCreatedAt: at(-400 - (i % 3)),
    }));
    await db().client.createMany({ data: rows });
    const events = await detected("policy.breach");
    expect(events).toHaveLength(count);
    expect(new Set(events.map((e) => e.subject.id)).size).toBe(count);
    expect((await runNotificationPass(now)).recorded).toBe(count);
    expect(await detected("policy.breach")).toEqual([]);
    // a secret rotated tomorrow starts a new episode: that client breaches again once the new one is too old
    await db().client.update({ where: { id: rows[7].id }, data: { secretCreatedAt: at(1) } });
    const later = (await detectEvents(at(1 + 366), await getSettings())).filter((e) => e.type === "policy.breach");
    expect(later.map((e) => e.subject.id)).toEqual([rows[7].id]);
  });

  it("records each event once however many passes find it", async () => {
    const client = await secretClient(cast.admin, cast.teamA.id);
    await db().client.update({ where: { id: client.id }, data: { migrationState: "dual", dualUntil: at(-1) } });
    await db().clientSecret.create({ data: { clientId: client.id, hint: "kss_AbCd", breakGlass: true, expiresAt: at(1) } });
    expect((await runNotificationPass(now)).recorded).toBe(2);
    expect((await runNotificationPass(new Date(now.getTime() + 60_000))).recorded).toBe(0);
    expect(await db().notification.count()).toBe(2);
  });
});
