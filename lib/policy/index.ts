// Organisation policy: the settings that say what a client must be (secret age per environment, the
// method required per environment from a date, allowed algorithms, minimum key sizes, the audience
// default for new clients). Read by the token endpoint, key validation and client creation; breaches are
// shown, never enforced by cutting a client off.
import type { JWK } from "jose";
import { ENVIRONMENTS, SECRET_METHODS, type AuthMethod } from "../clients/schema";
import type { KeyRules } from "../keys/validate";
import { EC_CURVE_BITS } from "../keys/validate";
import { rsaBits } from "../oauth/algorithms";
import type { Settings } from "../settings";

export type Environment = (typeof ENVIRONMENTS)[number];
const DAY_MS = 86_400_000;

export type OrganisationPolicy = {
  maxSecretAgeDays: Record<Environment, number>;
  requiredMethod: Record<Environment, { method: "any" | "private_key_jwt"; from: Date | null }>;
  allowedAlgorithms: string[];
  minRsaBits: number;
  minEcBits: number;
  defaultAudienceCompat: boolean;
};

export function policyOf(settings: Settings): OrganisationPolicy {
  const byEnv = <T>(fn: (env: Environment) => T) => Object.fromEntries(ENVIRONMENTS.map((e) => [e, fn(e)])) as Record<Environment, T>;
  return {
    maxSecretAgeDays: byEnv((e) => settings[`policy.maxSecretAgeDays.${e}`]),
    requiredMethod: byEnv((e) => {
      const from = settings[`policy.requiredMethodFrom.${e}`];
      return { method: settings[`policy.requiredMethod.${e}`], from: from ? new Date(`${from}T00:00:00Z`) : null };
    }),
    allowedAlgorithms: [...settings["policy.allowedAlgorithms"]],
    minRsaBits: settings["policy.minRsaBits"],
    minEcBits: settings["policy.minEcBits"],
    defaultAudienceCompat: settings["policy.defaultAudienceCompat"],
  };
}

export function keyRulesOf(settings: Settings): KeyRules {
  const p = policyOf(settings);
  return { allowedAlgorithms: p.allowedAlgorithms, minRsaBits: p.minRsaBits, minEcBits: p.minEcBits };
}

/** private_key_jwt is required in this environment now (the method is set and its date has come). */
export function keysRequired(policy: OrganisationPolicy, environment: string, now: Date): boolean {
  const rule = policy.requiredMethod[environment as Environment];
  return !!rule && rule.method === "private_key_jwt" && (!rule.from || rule.from <= now);
}

export type BreachCode = "secret_too_old" | "secret_after_required_date" | "key_too_weak" | "key_algorithm_not_allowed";
export type Breach = { code: BreachCode; message: string };

export type PolicyClient = {
  environment: string;
  authMethod: string;
  status: string;
  /** creation of the newest unrevoked secret (Client.secretCreatedAt) */
  secretCreatedAt: Date | null;
  keys: { kid: string; alg: string | null; jwk: JWK; retired: boolean }[];
};

/** Why a key falls short of the policy, or null. */
export function keyShortfall(key: { alg: string | null; jwk: JWK }, policy: OrganisationPolicy): { code: BreachCode; why: string } | null {
  if (key.alg && !policy.allowedAlgorithms.includes(key.alg)) return { code: "key_algorithm_not_allowed", why: `its algorithm ${key.alg} is no longer allowed` };
  if (key.jwk.kty === "RSA" && rsaBits(key.jwk) < policy.minRsaBits) return { code: "key_too_weak", why: `RSA ${rsaBits(key.jwk)} bits, below the minimum of ${policy.minRsaBits}` };
  if (key.jwk.kty === "EC" && (EC_CURVE_BITS[key.jwk.crv ?? ""] ?? 0) < policy.minEcBits) return { code: "key_too_weak", why: `curve ${key.jwk.crv}, below the minimum of ${policy.minEcBits} bits` };
  return null;
}

/** Every way the client falls short of the policy now, in plain words. */
export function clientBreaches(client: PolicyClient, policy: OrganisationPolicy, now: Date): Breach[] {
  if (client.status === "deleted") return [];
  const breaches: Breach[] = [];
  const env = client.environment as Environment;
  const usesSecret = SECRET_METHODS.includes(client.authMethod as AuthMethod);
  const maxAge = policy.maxSecretAgeDays[env] ?? 0;
  if (usesSecret && maxAge > 0 && client.secretCreatedAt) {
    const age = Math.floor((now.getTime() - client.secretCreatedAt.getTime()) / DAY_MS);
    if (age > maxAge) breaches.push({ code: "secret_too_old", message: `Its secret is ${age} days old; ${env} secrets may be at most ${maxAge} days old. Rotate it.` });
  }
  if (usesSecret && keysRequired(policy, env, now)) {
    const from = policy.requiredMethod[env].from;
    breaches.push({ code: "secret_after_required_date", message: `${env} clients must use private_key_jwt${from ? ` since ${from.toISOString().slice(0, 10)}` : ""}; this one still uses a secret. Migrate it.` });
  }
  for (const key of client.keys) {
    if (key.retired) continue;
    const shortfall = keyShortfall(key, policy);
    if (shortfall) breaches.push({ code: shortfall.code, message: `Key ${key.kid}: ${shortfall.why}. Rotate it.` });
  }
  return breaches;
}
