// Organisation settings: every value validated before anything is written, every change audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnect, db } from "@/lib/db";
import { getSettings, SETTINGS, updateSettings } from "@/lib/settings";
import { auditCount, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";

let cast: Cast;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

describe("updateSettings", () => {
  it("reads defaults while nothing is stored", async () => {
    expect(await getSettings()).toEqual({ "secret.lifetimeDays": 90, "secret.rotationOverlapDays": 7, "secret.expiringSoonDays": 14,
      "assertion.maxLifetimeSeconds": 300,
      "assertion.clockSkewSeconds": 30,
      "policy.allowedAlgorithms": ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA", "Ed25519"],
      "policy.minRsaBits": 2048,
      "policy.minEcBits": 256,
      "policy.defaultAudienceCompat": false,
      "policy.maxSecretAgeDays.production": 365,
      "policy.maxSecretAgeDays.staging": 365,
      "policy.maxSecretAgeDays.development": 0,
      "policy.requiredMethod.production": "any",
      "policy.requiredMethodFrom.production": "",
      "policy.requiredMethod.staging": "any",
      "policy.requiredMethodFrom.staging": "",
      "policy.requiredMethod.development": "any",
      "policy.requiredMethodFrom.development": "",
      "keys.rotationOverlapDays": 7,
      "keys.recentUseDays": 7,
      "keys.expiringSoonDays": 30,
      "jwks.maxStalenessHours": 24,
      "events.retentionDays": 90,
      "migration.dualWindowDays": 30,
      "migration.quietDays": 7,
      "token.lifetimeSeconds": 600,
      "token.defaultAudience": "",
      "notify.secretExpiryDays": [30, 7, 1],
      "notify.keyExpiryDays": [30, 7, 1],
      "notify.campaignDeadlineDays": [7, 1],
      "notify.webhookMaxAttempts": 8,
      "notify.retentionDays": 180,
      "sso.unknownUsers": "refuse",
    });
  });

  const bad: { name: string; input: Record<string, unknown>; fields: Record<string, RegExp> }[] = [
    { name: "a lifetime of 0 days", input: { "secret.lifetimeDays": 0 }, fields: { "secret.lifetimeDays": /At least 1 day/ } },
    { name: "a lifetime over ten years", input: { "secret.lifetimeDays": 3651 }, fields: { "secret.lifetimeDays": /At most 3650 days/ } },
    { name: "a fractional lifetime", input: { "secret.lifetimeDays": 1.5 }, fields: { "secret.lifetimeDays": /whole number of days/ } },
    { name: "an empty overlap", input: { "secret.rotationOverlapDays": "" }, fields: { "secret.rotationOverlapDays": /whole number of days/ } },
    { name: "a lifetime that is not a number", input: { "secret.lifetimeDays": "ninety" }, fields: { "secret.lifetimeDays": /number/i } },
    { name: "a negative overlap", input: { "secret.rotationOverlapDays": -1 }, fields: { "secret.rotationOverlapDays": /At least 0 days/ } },
    { name: "an overlap over 90 days", input: { "secret.rotationOverlapDays": 91 }, fields: { "secret.rotationOverlapDays": /At most 90 days/ } },
    { name: "an expiring-soon window of 0", input: { "secret.expiringSoonDays": 0 }, fields: { "secret.expiringSoonDays": /At least 1 day/ } },
    { name: "an assertion lifetime over five minutes", input: { "assertion.maxLifetimeSeconds": 3600 }, fields: { "assertion.maxLifetimeSeconds": /At most 300 seconds/ } },
    { name: "a default audience with a fragment", input: { "token.defaultAudience": "https://api.example.test/#x" }, fields: { "token.defaultAudience": /without a fragment/ } },
    // single sign-on may create read-only accounts at most, never administrators
    { name: "single sign-on creating administrators", input: { "sso.unknownUsers": "admin" }, fields: { "sso.unknownUsers": /refuse or auditor/ } },
    { name: "a notice threshold that is not a number", input: { "notify.secretExpiryDays": "30, soon" }, fields: { "notify.secretExpiryDays": /whole numbers separated by commas/ } },
    { name: "a notice threshold of 0 days", input: { "notify.keyExpiryDays": "30, 0" }, fields: { "notify.keyExpiryDays": /at least 1 day/ } },
    { name: "a notice threshold given twice", input: { "notify.secretExpiryDays": "7, 7" }, fields: { "notify.secretExpiryDays": /Each threshold once/ } },
    { name: "no webhook attempt at all", input: { "notify.webhookMaxAttempts": 0 }, fields: { "notify.webhookMaxAttempts": /At least 1/ } },
    { name: "an unknown setting", input: { "secret.maxAgeDays": 30 }, fields: { "secret.maxAgeDays": /Unknown setting/ } },
    {
      name: "one bad value beside a good one",
      input: { "secret.lifetimeDays": 30, "secret.rotationOverlapDays": 91 },
      fields: { "secret.rotationOverlapDays": /At most 90 days/ },
    },
  ];
  for (const { name, input, fields } of bad) {
    it(`rejects ${name} with a field error and writes nothing`, async () => {
      const auditBefore = await auditCount();
      const error = await rejection(updateSettings(cast.admin, input), "invalid");
      expect(Object.keys(error.fields ?? {})).toEqual(Object.keys(fields));
      for (const [key, message] of Object.entries(fields)) expect(error.fields![key]).toMatch(message);
      expect(await db().setting.count()).toBe(0);
      expect(await auditCount()).toBe(auditBefore);
    });
  }

  it("stores a valid change and audits what changed from what", async () => {
    const settings = await updateSettings(cast.admin, { "secret.lifetimeDays": "30", "secret.rotationOverlapDays": 7 });
    expect(settings["secret.lifetimeDays"]).toBe(30);
    expect(await getSettings()).toMatchObject({ "secret.lifetimeDays": 30, "secret.rotationOverlapDays": 7 });
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "settings.update", actorId: cast.admin.id, targetType: "settings" });
    // the unchanged overlap is not reported as a change
    expect(entry.details).toEqual({ changed: { "secret.lifetimeDays": { from: 90, to: 30 } } });
    const row = await db().setting.findUniqueOrThrow({ where: { key: "secret.lifetimeDays" } });
    expect(row.updatedById).toBe(cast.admin.id);
  });

  it("writes no audit entry when nothing changes", async () => {
    const auditBefore = await auditCount();
    await updateSettings(cast.admin, { "secret.lifetimeDays": 30 });
    expect(await auditCount()).toBe(auditBefore);
  });

  it("falls back to the default when a stored value is no longer valid", async () => {
    await db().setting.update({ where: { key: "secret.lifetimeDays" }, data: { value: "0" } });
    expect((await getSettings())["secret.lifetimeDays"]).toBe(SETTINGS["secret.lifetimeDays"].default);
  });
});
