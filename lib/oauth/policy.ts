// What the token endpoint reads from the organisation settings, cached for at most five seconds so a
// change reaches every instance within that time (DESIGN.md) without a query per request. A change
// committed in this process reaches it at once (writeEpochOf), whichever copy of this module serves the
// endpoint (the app's server loads one beside Next.js's bundle).
import { issuer } from "../config";
import { processCache } from "../db";
import { getSettings } from "../settings";
import { ASSERTION_ALGORITHMS } from "./algorithms";
import type { AssertionPolicy } from "./assertion";

export type EndpointPolicy = AssertionPolicy & {
  /** the configured issuer and token endpoint URL, read from the environment with the settings (not per request) */
  issuer: string;
  tokenEndpoint: string;
  tokenLifetimeSeconds: number;
  defaultAudience: string;
  /** how long a failing jwks_uri's last good key set keeps working */
  jwksMaxStalenessHours: number;
};

export const POLICY_CACHE_MS = 5_000;
const cached = processCache<EndpointPolicy>(POLICY_CACHE_MS, () =>
  getSettings().then((s) => ({
    issuer: issuer(),
    tokenEndpoint: tokenEndpointUrl(),
    // organisation policy: only the allowed algorithms (always a subset of the asymmetric ones)
    allowedAlgorithms: s["policy.allowedAlgorithms"].filter((a) => (ASSERTION_ALGORITHMS as readonly string[]).includes(a)),
    maxLifetimeSeconds: s["assertion.maxLifetimeSeconds"],
    clockSkewSeconds: s["assertion.clockSkewSeconds"],
    tokenLifetimeSeconds: s["token.lifetimeSeconds"],
    defaultAudience: s["token.defaultAudience"] || issuer(),
    jwksMaxStalenessHours: s["jwks.maxStalenessHours"],
  })),
);

export function endpointPolicy(now = Date.now()): Promise<EndpointPolicy> {
  return cached.get(now);
}

/** Tests change settings and want the endpoint to see them at once. */
export function forgetEndpointPolicy(): void {
  cached.forget();
}

/** Discovery advertises KEYSHIFT_TOKEN_ENDPOINT when the token server runs elsewhere (DESIGN.md). */
export function tokenEndpointUrl(): string {
  return process.env.KEYSHIFT_TOKEN_ENDPOINT?.trim() || `${issuer().replace(/\/$/, "")}/oauth/token`;
}

export function introspectionEndpointUrl(): string {
  return tokenEndpointUrl().replace(/\/token$/, "/introspect");
}
