// Organisation policy: its effect at client creation, key registration and the token endpoint, the
// breaches it reveals (never enforced by cutting a client off), and the preview before saving.
import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiCreateClient } from "@/lib/api/clients";
import { createClient } from "@/lib/clients/commands";
import { issuer } from "@/lib/config";
import { db, disconnect } from "@/lib/db";
import { addKeys } from "@/lib/keys/lifecycle";
import { listClientKeys } from "@/lib/keys/queries";
import { forgetCachedClients } from "@/lib/oauth/client-auth";
import { forgetEndpointPolicy } from "@/lib/oauth/policy";
import { clientBreaches, policyOf } from "@/lib/policy";
import { breachCounts, previewPolicy } from "@/lib/policy/preview";
import { rotateSecret } from "@/lib/secrets/commands";
import { getSettings, updateSettings } from "@/lib/settings";
import { auditCount, clientInput, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";
import { assertion, form, jwtClient, jwtParams, lastEvent, makeKey, secretClient, tokenRequest } from "./oauth-fixtures";

const DAY = 86_400_000;
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
let cast: Cast;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
beforeEach(async () => {
  await db().setting.deleteMany({ where: { key: { startsWith: "policy." } } });
  forgetEndpointPolicy();
  forgetCachedClients();
});
afterAll(disconnect);

async function breachesOf(clientDbId: string) {
  const client = await db().client.findUniqueOrThrow({ where: { id: clientDbId } });
  const keys = await listClientKeys(cast.admin, clientDbId);
  return clientBreaches({ ...client, keys: keys.map((k) => ({ kid: k.kid, alg: k.alg, jwk: k.publicJwk, retired: k.status === "retired" })) }, policyOf(await getSettings()), new Date()).map((b) => b.code);
}

async function ageSecret(clientDbId: string, days: number) {
  const at = new Date(Date.now() - days * DAY);
  await db().clientSecret.updateMany({ where: { clientId: clientDbId }, data: { createdAt: at } });
  await db().client.update({ where: { id: clientDbId }, data: { secretCreatedAt: at } });
}

describe("the method required per environment", () => {
  it("refuses a new production client with a secret from the effective date, and lets an existing one rotate", async () => {
    const existing = await secretClient(cast.operatorOwner, cast.teamA.id);
    await updateSettings(cast.admin, { "policy.requiredMethod.production": "private_key_jwt", "policy.requiredMethodFrom.production": day(-1) });
    expect(await lastAudit()).toMatchObject({ action: "settings.update" });
    const clients = await db().client.count();
    const error = await rejection(createClient(cast.operatorOwner, clientInput(cast.teamA.id)), "invalid");
    expect(error.message).toMatch(/production clients use private_key_jwt since/);
    expect(error.fields).toEqual({ authMethod: "private_key_jwt is required in this environment" });
    expect(await db().client.count()).toBe(clients);

    // other environments, and private_key_jwt with its keys, are fine
    await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { environment: "staging" }));
    const key = await makeKey("ES256", "k");
    await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { authMethod: "private_key_jwt" }), { material: { kind: "jwks", text: JSON.stringify({ keys: [key.publicJwk] }) } });
    // nothing breaks for the existing client: it still rotates, and it shows as a breach
    await rotateSecret(cast.operatorOwner, existing.id);
    expect(await breachesOf(existing.id)).toContain("secret_after_required_date");
  });

  it("applies nothing before the effective date", async () => {
    await updateSettings(cast.admin, { "policy.requiredMethod.production": "private_key_jwt", "policy.requiredMethodFrom.production": day(30) });
    const created = await secretClient(cast.operatorOwner, cast.teamA.id);
    expect(await breachesOf(created.id)).not.toContain("secret_after_required_date");
  });
});

describe("secret age", () => {
  it("flags a secret older than its environment's maximum, per environment", async () => {
    const prod = await secretClient(cast.admin, cast.teamA.id);
    const dev = await secretClient(cast.admin, cast.teamA.id, { environment: "development" });
    await ageSecret(prod.id, 400);
    await ageSecret(dev.id, 400);
    expect(await breachesOf(prod.id)).toEqual(["secret_too_old"]);
    // development has no maximum by default
    expect(await breachesOf(dev.id)).toEqual([]);
    const counts = await breachCounts(cast.auditor);
    expect(counts.find((c) => c.environment === "production")!.oldSecrets).toBeGreaterThanOrEqual(1);
  });
});

describe("algorithms and key sizes", () => {
  it("refuses an assertion signed with an algorithm the policy no longer allows, and a key restricted to it", async () => {
    const rsa = await makeKey("RS256", "rsa");
    const client = await jwtClient(cast.admin, cast.teamA.id, [rsa]);
    await updateSettings(cast.admin, { "policy.allowedAlgorithms": ["ES256", "PS256", "EdDSA"] });
    forgetEndpointPolicy();
    await tokenRequest(form(jwtParams(await assertion(client.clientId, issuer(), rsa))));
    expect((await lastEvent(client.clientId))?.reason).toBe("alg_not_allowed");
    const other = await jwtClient(cast.admin, cast.teamA.id, []);
    const error = await rejection(addKeys(cast.admin, other.id, { kind: "jwks", text: JSON.stringify({ keys: [{ ...rsa.publicJwk, kid: "r2", alg: "RS256" }] }) }), "invalid");
    expect(error.message).toMatch(/alg "RS256" is not allowed/);
  });

  it("refuses new keys below the minimum sizes and flags registered ones", async () => {
    const rsa2048 = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });
    const client = await jwtClient(cast.admin, cast.teamA.id, []);
    await addKeys(cast.admin, client.id, { kind: "jwks", text: JSON.stringify({ keys: [{ ...rsa2048, kid: "old-rsa" }] }) });
    await updateSettings(cast.admin, { "policy.minRsaBits": "3072", "policy.minEcBits": "384" });
    expect(await breachesOf(client.id)).toEqual(["key_too_weak"]);
    const p256 = (await makeKey("ES256", "p256")).publicJwk;
    for (const key of [{ ...rsa2048, kid: "rsa-2" }, p256]) {
      const error = await rejection(addKeys(cast.admin, client.id, { kind: "jwks", text: JSON.stringify({ keys: [key] }) }), "invalid");
      expect(error.message).toMatch(/organisation/);
    }
  });
});

describe("the audience default for new clients", () => {
  it("applies to API creations that do not say, and never overrides what they say", async () => {
    await updateSettings(cast.admin, { "policy.defaultAudienceCompat": "true" });
    const base = { name: "Compat", environment: "staging", owner_team_id: cast.teamA.id, contact_email: "a@example.test", auth_method: "client_secret_basic", grant_types: ["client_credentials"] };
    expect((await apiCreateClient(cast.operatorOwner, base)).client.audience_compat).toBe(true);
    expect((await apiCreateClient(cast.operatorOwner, { ...base, audience_compat: false })).client.audience_compat).toBe(false);
  });
});

describe("previewPolicy", () => {
  it("counts the clients a new maximum age would put in breach, and writes nothing", async () => {
    const client = await secretClient(cast.admin, cast.teamA.id);
    await ageSecret(client.id, 200);
    const [settings, audit] = [await db().setting.count(), await auditCount()];
    const effects = await previewPolicy(cast.auditor, { "policy.maxSecretAgeDays.production": "180" });
    const effect = effects.find((e) => e.setting === "policy.maxSecretAgeDays.production")!;
    const expected = await db().client.count({ where: { environment: "production", status: { not: "deleted" }, authMethod: { not: "private_key_jwt" }, secretCreatedAt: { lt: new Date(Date.now() - 180 * DAY) } } });
    expect(effect.count).toBe(expected);
    expect(effect.count).toBeGreaterThanOrEqual(1);
    expect(effect.message).toMatch(new RegExp(`^${expected} production clients? would breach the new maximum age of 180 days`));
    expect([await db().setting.count(), await auditCount()]).toEqual([settings, audit]);
  });

  it("says who a required method would put in breach, and from when", async () => {
    await secretClient(cast.admin, cast.teamA.id, { environment: "staging" });
    const from = day(60);
    const [effect] = await previewPolicy(cast.admin, { "policy.requiredMethod.staging": "private_key_jwt", "policy.requiredMethodFrom.staging": from });
    expect(effect.setting).toBe("policy.requiredMethod.staging");
    expect(effect.message).toContain(`from ${from}`);
    expect(effect.count).toBe(await db().client.count({ where: { environment: "staging", status: { not: "deleted" }, authMethod: { in: ["client_secret_basic", "client_secret_post"] } } }));
  });

  it("refuses an invalid value naming the field, and lets only administrators save", async () => {
    const error = await rejection(previewPolicy(cast.admin, { "policy.allowedAlgorithms": [], "policy.requiredMethodFrom.production": "next week" }), "invalid");
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["policy.allowedAlgorithms", "policy.requiredMethodFrom.production"]);
    await rejection(updateSettings(cast.operatorOwner, { "policy.minRsaBits": "4096" }), "forbidden");
  });
});
