// Typed organisation settings: one table, a key per setting, defaults in code. Later issues extend
// SETTINGS (policy); every read goes through getSettings so a missing row means the default.
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { isResourceIndicator } from "../clients/schema";
import { ASSERTION_ALGORITHMS } from "../oauth/algorithms";
import { db, transaction, type Tx } from "../db";
import { invalid } from "../errors";

/** A whole number of days; an empty field is an error, never silently 0. */
const days = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
    z
      .number({ error: "Enter a whole number of days" })
      .int("Enter a whole number of days")
      .min(min, `At least ${min} day${min === 1 ? "" : "s"}`)
      .max(max, `At most ${max} days`),
  );

/** A whole number of seconds within bounds. */
const secondsBetween = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
    z
      .number({ error: "Enter a whole number of seconds" })
      .int("Enter a whole number of seconds")
      .min(min, `At least ${min} seconds`)
      .max(max, `At most ${max} seconds`),
  );

/** A whole number of hours within bounds. */
const hoursBetween = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
    z
      .number({ error: "Enter a whole number of hours" })
      .int("Enter a whole number of hours")
      .min(min, `At least ${min} hour${min === 1 ? "" : "s"}`)
      .max(max, `At most ${max} hours`),
  );

/** A calendar date (YYYY-MM-DD, UTC), or empty for none. */
const dateOrEmpty = z
  .string({ error: "Enter a date" })
  .trim()
  .refine((v) => v === "" || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))), "A date as YYYY-MM-DD, or empty");

/** A checkbox group: one value arrives as a string, several as an array. */
const listOf = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.preprocess((v) => (typeof v === "string" ? [v] : v === undefined ? [] : v), z.array(z.enum(values, { error: `Unknown ${label}` })).min(1, `Choose at least one ${label}`));

/**
 * Day thresholds for advance notices ("30, 7, 1"): distinct whole numbers, largest first. A form sends
 * text, the API an array; an empty list turns the notices off.
 */
const dayThresholds = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean).map((d) => (/^-?\d+(\.\d+)?$/.test(d) ? Number(d) : d)) : v),
    z
      .array(z.number({ error: "Days as whole numbers separated by commas, e.g. 30, 7, 1" }).int("Whole numbers of days only").min(1, "Each threshold is at least 1 day").max(max, `Each threshold is at most ${max} days`), { error: "Days as whole numbers separated by commas, e.g. 30, 7, 1" })
      .max(5, "At most 5 thresholds")
      .refine((list) => new Set(list).size === list.length, "Each threshold once")
      .transform((list) => [...list].sort((a, b) => b - a)),
  );

const notifyDays = (what: string, fallback: number[], max: number) => ({
  label: `Notify before ${what} (days)`,
  help: `Advance notices, e.g. 30, 7, 1: one notice when the first threshold is crossed, another at each smaller one. Empty: no notices for ${what}.`,
  schema: dayThresholds(max),
  default: fallback,
  kind: "text" as const,
  group: "notifications" as const,
});

/** on/off, from a select or a checkbox */
const onOff = z.preprocess((v) => (v === "on" || v === "true" ? true : v === "off" || v === "false" || v === undefined || v === "" ? false : v), z.boolean({ error: "On or off" }));

const maxAge = (environment: string, fallback: number) => ({
  label: `Maximum secret age, ${environment} (days)`,
  help: `A ${environment} client whose current secret is older breaches the policy. 0: no maximum.`,
  schema: days(0, 3650),
  default: fallback,
  group: "policy" as const,
});

const requiredMethod = (environment: string) => ({
  label: `Required method, ${environment}`,
  help: `From the effective date, new ${environment} clients cannot be created with a secret, and every ${environment} client still on a secret breaches the policy (it may still rotate its secret, so nothing breaks).`,
  schema: z.enum(["any", "private_key_jwt"], { error: "Choose any or private_key_jwt" }),
  default: "any",
  options: [
    { value: "any", label: "Any method" },
    { value: "private_key_jwt", label: "private_key_jwt" },
  ],
  group: "policy" as const,
});

const requiredFrom = (environment: string) => ({
  label: `Effective date, ${environment}`,
  help: "The required method applies from this day (UTC). Empty: from now, once the method is required.",
  schema: dateOrEmpty,
  default: "",
  kind: "date" as const,
  group: "policy" as const,
});

/** An absolute URI without a fragment (RFC 8707 resource indicator), or empty. */
const audienceUri = z
  .string()
  .trim()
  .max(2048, "At most 2048 characters")
  .refine((v) => v === "" || isResourceIndicator(v), "An absolute URI without a fragment, or empty");

export const SETTINGS = {
  "secret.lifetimeDays": {
    label: "Secret lifetime (days)",
    help: "How long a newly issued secret stays valid.",
    schema: days(1, 3650),
    default: 90,
  },
  "secret.rotationOverlapDays": {
    label: "Rotation overlap (days)",
    help: "After a rotation the old secret keeps working this long, so clients can switch without an outage.",
    schema: days(0, 90),
    default: 7,
    group: "policy",
  },
  "secret.expiringSoonDays": {
    label: "Expiring-soon window (days)",
    help: "Secrets expiring within this many days are listed on the overview.",
    schema: days(1, 365),
    default: 14,
  },
  "assertion.maxLifetimeSeconds": {
    label: "Maximum client assertion lifetime (seconds)",
    help: "How far ahead a private_key_jwt assertion's exp may be. 300 s suits client libraries that sign once for five minutes; lower it once every client signs per request (most sign for 60 s).",
    schema: secondsBetween(60, 300),
    default: 300,
    group: "policy",
  },
  "assertion.clockSkewSeconds": {
    label: "Allowed clock skew (seconds)",
    help: "Tolerance for clients' clocks when checking an assertion's exp, iat and nbf.",
    schema: secondsBetween(0, 120),
    default: 30,
    group: "policy",
  },
  "policy.allowedAlgorithms": {
    label: "Allowed signing algorithms",
    help: "Client assertions signed with another algorithm are refused at the token endpoint (alg_not_allowed), and keys naming another algorithm cannot be registered.",
    schema: listOf(ASSERTION_ALGORITHMS, "algorithm"),
    default: [...ASSERTION_ALGORITHMS] as string[],
    options: ASSERTION_ALGORITHMS.map((a) => ({ value: a, label: a })),
    kind: "multi",
    group: "policy",
  },
  "policy.minRsaBits": {
    label: "Minimum RSA key size",
    help: "RSA keys below it cannot be registered; registered ones show as policy breaches.",
    schema: z.coerce.number().pipe(z.union([z.literal(2048), z.literal(3072), z.literal(4096)], { error: "2048, 3072 or 4096" })),
    default: 2048,
    options: [
      { value: "2048", label: "2048 bits" },
      { value: "3072", label: "3072 bits" },
      { value: "4096", label: "4096 bits" },
    ],
    group: "policy",
  },
  "policy.minEcBits": {
    label: "Minimum EC curve",
    help: "EC keys on a weaker curve cannot be registered; registered ones show as policy breaches.",
    schema: z.coerce.number().pipe(z.union([z.literal(256), z.literal(384), z.literal(521)], { error: "256, 384 or 521" })),
    default: 256,
    options: [
      { value: "256", label: "P-256 or stronger" },
      { value: "384", label: "P-384 or stronger" },
      { value: "521", label: "P-521" },
    ],
    group: "policy",
  },
  "policy.defaultAudienceCompat": {
    label: "Audience compatibility for new clients",
    help: "Whether a new client starts with audience compatibility on (the token endpoint URL also accepted as aud, and recorded). Off keeps every new client strict.",
    schema: onOff,
    default: false,
    options: [
      { value: "false", label: "Off (strict)" },
      { value: "true", label: "On" },
    ],
    group: "policy",
  },
  "policy.maxSecretAgeDays.production": maxAge("production", 365),
  "policy.maxSecretAgeDays.staging": maxAge("staging", 365),
  "policy.maxSecretAgeDays.development": maxAge("development", 0),
  "policy.requiredMethod.production": requiredMethod("production"),
  "policy.requiredMethodFrom.production": requiredFrom("production"),
  "policy.requiredMethod.staging": requiredMethod("staging"),
  "policy.requiredMethodFrom.staging": requiredFrom("staging"),
  "policy.requiredMethod.development": requiredMethod("development"),
  "policy.requiredMethodFrom.development": requiredFrom("development"),
  "keys.rotationOverlapDays": {
    label: "Key rotation overlap (days)",
    help: "When a new key replaces the current ones, the old keys stay accepted (retiring) this long after the new key becomes active.",
    schema: days(0, 90),
    default: 7,
    group: "policy",
  },
  "keys.recentUseDays": {
    label: "Recent key use (days)",
    help: "Retiring a key used within this many days asks for an explicit confirmation, since a client may still sign with it.",
    schema: days(1, 365),
    default: 7,
  },
  "keys.expiringSoonDays": {
    label: "Keys expiring soon (days)",
    help: "Keys and certificates expiring within this many days are listed on the keys page.",
    schema: days(1, 365),
    default: 30,
  },
  "jwks.maxStalenessHours": {
    label: "jwks_uri maximum staleness (hours)",
    help: "While a client's jwks_uri fails, its last good key set keeps working this long after the last successful fetch; then authentication fails (jwks_uri_stale).",
    schema: hoursBetween(1, 720),
    default: 24,
  },
  "migration.dualWindowDays": {
    label: "Dual window (days)",
    help: "How long a client accepts both its secret and its key when its migration opens the dual window (the end date can be changed per client). Past it the client is flagged overdue, never cut off.",
    schema: days(1, 365),
    default: 30,
  },
  "migration.quietDays": {
    label: "Days without secret use before finalising",
    help: "Finalising a migration (revoking the secrets) is offered once an assertion has succeeded and the secret has not been used for this many days; earlier needs a typed reason.",
    schema: days(0, 90),
    default: 7,
  },
  "events.retentionDays": {
    label: "Authentication event retention (days)",
    help: "Raw authentication events (each attempt, with its address and reason) are deleted after this many days. The dashboards read daily counts, which are kept.",
    schema: days(30, 3650),
    default: 90,
  },
  "token.lifetimeSeconds": {
    label: "Access token lifetime (seconds)",
    help: "How long an issued access token is valid. Short tokens limit what a stolen token can do.",
    schema: secondsBetween(60, 86_400),
    default: 600,
  },
  "token.defaultAudience": {
    label: "Default access token audience",
    help: "The aud of a token issued without a resource parameter. Empty: the issuer identifier.",
    schema: audienceUri,
    default: "",
    kind: "text",
  },
  "notify.secretExpiryDays": notifyDays("a secret expires", [30, 7, 1], 365),
  "notify.keyExpiryDays": notifyDays("a key or certificate expires", [30, 7, 1], 365),
  "notify.campaignDeadlineDays": notifyDays("a campaign deadline", [7, 1], 365),
  "notify.webhookMaxAttempts": {
    label: "Webhook attempts",
    help: "How often a webhook delivery is tried (with exponential back-off from one minute, capped at an hour) before it is marked failed.",
    schema: z.preprocess(
      (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
      z.number({ error: "Enter a whole number" }).int("Enter a whole number").min(1, "At least 1").max(20, "At most 20"),
    ),
    default: 8,
    group: "notifications",
  },
  "notify.retentionDays": {
    label: "Keep notifications (days)",
    help: "Sent and failed notifications older than this are deleted, with their delivery log. A condition that still holds after that is notified again: a reminder.",
    schema: days(7, 3650),
    default: 180,
    group: "notifications",
  },
  "sso.unknownUsers": {
    label: "First single sign-on of an unknown user",
    help: "When someone your identity provider vouches for has no Keyshift account: refuse them, or create a read-only auditor account for them (an administrator can raise the role later).",
    schema: z.enum(["refuse", "auditor"], { error: "Choose refuse or auditor" }),
    default: "refuse",
    options: [
      { value: "refuse", label: "Refuse sign-in" },
      { value: "auditor", label: "Create an auditor account" },
    ],
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: z.infer<(typeof SETTINGS)[K]["schema"]> };
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export async function getSettings(client: Tx = db()): Promise<Settings> {
  const rows = await client.setting.findMany({ where: { key: { in: SETTING_KEYS } } });
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const result = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) {
    const raw = stored.get(key);
    const parsed = raw === undefined ? undefined : SETTINGS[key].schema.safeParse(JSON.parse(raw));
    result[key] = parsed?.success ? parsed.data : SETTINGS[key].default;
  }
  return result as Settings;
}

/** The given values, each checked; throws `invalid` naming every bad or unknown field. */
export function parseSettingsInput(input: Record<string, unknown>): Partial<Settings> {
  const fields: Record<string, string> = {};
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) {
    if (!(key in input)) continue;
    const parsed = SETTINGS[key].schema.safeParse(input[key]);
    if (parsed.success) values[key] = parsed.data;
    else fields[key] = parsed.error.issues[0]?.message ?? "Invalid value";
  }
  const unknown = Object.keys(input).filter((k) => !(SETTING_KEYS as string[]).includes(k));
  for (const key of unknown) fields[key] = "Unknown setting";
  if (Object.keys(fields).length) throw invalid("Some settings are not valid.", fields);
  return values as Partial<Settings>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Validates every given value first; writes nothing unless all are valid. */
export async function updateSettings(actor: Actor, input: Record<string, unknown>): Promise<Settings> {
  assertCan(actor, "settings.update");
  const values = parseSettingsInput(input);

  return transaction(async (tx) => {
    const before = await getSettings(tx);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(values) as [SettingKey, unknown][]) {
      if (same(before[key], value)) continue;
      changed[key] = { from: before[key], to: value };
      const data = { value: JSON.stringify(value), updatedById: actor.type === "user" ? actor.id : null };
      await tx.setting.upsert({ where: { key }, create: { key, ...data }, update: data });
    }
    if (Object.keys(changed).length) await appendAudit(tx, actor, { action: "settings.update", target: { type: "settings", id: "organisation" }, details: { changed } });
    return getSettings(tx);
  });
}
