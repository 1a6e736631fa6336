// What a policy change would do, before it is saved: counts of the clients and keys that would breach
// the new rules, beside how many breach the current ones ("14 production clients would breach the new
// maximum age; 3 do today"). Read-only; the same checks as clientBreaches, counted in the database.
import type { JWK } from "jose";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { ENVIRONMENTS, SECRET_METHODS } from "../clients/schema";
import { db } from "../db";
import { getSettings, parseSettingsInput, type Settings } from "../settings";
import { keyShortfall, keysRequired, policyOf, type Environment, type OrganisationPolicy } from "./index";

const DAY_MS = 86_400_000;

export type PolicyEffect = { setting: string; message: string; count: number | null };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

async function clientsWithOldSecrets(environment: Environment, maxAge: number, now: Date): Promise<number> {
  if (maxAge <= 0) return 0;
  return db().client.count({
    where: { status: { not: "deleted" }, environment, authMethod: { in: [...SECRET_METHODS] }, secretCreatedAt: { lt: new Date(now.getTime() - maxAge * DAY_MS) } },
  });
}

async function secretClients(environment: Environment): Promise<number> {
  return db().client.count({ where: { status: { not: "deleted" }, environment, authMethod: { in: [...SECRET_METHODS] } } });
}

async function keysFallingShort(policy: OrganisationPolicy): Promise<number> {
  const keys = await db().clientKey.findMany({ where: { status: { not: "retired" }, client: { status: { not: "deleted" } } }, select: { alg: true, publicJwk: true } });
  return keys.filter((k) => keyShortfall({ alg: k.alg, jwk: JSON.parse(k.publicJwk) as JWK }, policy)).length;
}

/** The effect of saving `input` (settings fields, as the policy form sends them); nothing is written. */
export async function previewPolicy(actor: Actor, input: Record<string, unknown>, now = new Date()): Promise<PolicyEffect[]> {
  assertCan(actor, "settings.read");
  const current = await getSettings();
  const proposed: Settings = { ...current, ...parseSettingsInput(input) };
  const [before, after] = [policyOf(current), policyOf(proposed)];
  const effects: PolicyEffect[] = [];

  for (const env of ENVIRONMENTS) {
    const [was, will] = [before.maxSecretAgeDays[env], after.maxSecretAgeDays[env]];
    if (was !== will) {
      const [now_, next] = await Promise.all([clientsWithOldSecrets(env, was, now), clientsWithOldSecrets(env, will, now)]);
      effects.push({
        setting: `policy.maxSecretAgeDays.${env}`,
        count: next,
        message:
          will === 0
            ? `No maximum secret age for ${env} any more: the ${plural(now_, "client")} breaching it today would no longer breach.`
            : `${plural(next, `${env} client`)} would breach the new maximum age of ${will} days (${now_} breach${now_ === 1 ? "es" : ""} the current ${was ? `${was} days` : "no maximum"}).`,
      });
    }
    const [ruleWas, ruleWill] = [before.requiredMethod[env], after.requiredMethod[env]];
    if (ruleWas.method !== ruleWill.method || ruleWas.from?.getTime() !== ruleWill.from?.getTime()) {
      if (ruleWill.method === "private_key_jwt") {
        const count = await secretClients(env);
        const when = ruleWill.from && ruleWill.from > now ? `from ${ruleWill.from.toISOString().slice(0, 10)}` : "at once";
        effects.push({
          setting: `policy.requiredMethod.${env}`,
          count,
          message: `${plural(count, `${env} client`)} still on a secret would breach ${when}; no new ${env} client could be created with a secret ${when} (existing ones can still rotate theirs).`,
        });
      } else {
        effects.push({ setting: `policy.requiredMethod.${env}`, count: 0, message: `${env} clients could again be created with a secret, and secret clients would no longer breach.` });
      }
    }
  }

  const removed = before.allowedAlgorithms.filter((a) => !after.allowedAlgorithms.includes(a));
  if (removed.length) {
    const count = await db().clientKey.count({ where: { status: { not: "retired" }, alg: { in: removed }, client: { status: { not: "deleted" } } } });
    effects.push({
      setting: "policy.allowedAlgorithms",
      count,
      message: `Assertions signed with ${removed.join(", ")} would be refused at the token endpoint (alg_not_allowed); ${plural(count, "registered key")} restricted to ${removed.length === 1 ? "it" : "them"} would breach.`,
    });
  }
  if (before.minRsaBits !== after.minRsaBits || before.minEcBits !== after.minEcBits) {
    const [was, will] = await Promise.all([keysFallingShort(before), keysFallingShort(after)]);
    effects.push({ setting: "policy.minRsaBits", count: will, message: `${plural(will, "registered key")} would fall below the new minimum key sizes (${was} below the current ones); new keys below them could not be registered.` });
  }
  if (before.defaultAudienceCompat !== after.defaultAudienceCompat) {
    effects.push({ setting: "policy.defaultAudienceCompat", count: null, message: `New clients would start with audience compatibility ${after.defaultAudienceCompat ? "on (the token endpoint URL also accepted as aud)" : "off (strict)"}; existing clients keep theirs.` });
  }
  if (current["assertion.maxLifetimeSeconds"] !== proposed["assertion.maxLifetimeSeconds"]) {
    effects.push({ setting: "assertion.maxLifetimeSeconds", count: null, message: `Assertions whose exp is more than ${proposed["assertion.maxLifetimeSeconds"]} s ahead would be refused (exp_too_far).` });
  }
  if (current["assertion.clockSkewSeconds"] !== proposed["assertion.clockSkewSeconds"]) {
    effects.push({ setting: "assertion.clockSkewSeconds", count: null, message: `Clients' clocks would be allowed ${proposed["assertion.clockSkewSeconds"]} s of skew (now ${current["assertion.clockSkewSeconds"]} s).` });
  }
  return effects;
}

/** Where each environment stands against the policy today: for the overview. */
export async function breachCounts(actor: Actor, now = new Date()): Promise<{ environment: Environment; oldSecrets: number; secretsAfterRequired: number }[]> {
  assertCan(actor, "client.read");
  const policy = policyOf(await getSettings());
  return Promise.all(
    ENVIRONMENTS.map(async (environment) => ({
      environment,
      oldSecrets: await clientsWithOldSecrets(environment, policy.maxSecretAgeDays[environment], now),
      secretsAfterRequired: keysRequired(policy, environment, now) ? await secretClients(environment) : 0,
    })),
  );
}
