// `kit assertion`: one client assertion as RFC 7523 and draft-ietf-oauth-rfc7523bis want it, the same
// one `kit token` sends.
import crypto from "node:crypto";
import { SignJWT } from "jose";
import { MAX_LIFETIME_SECONDS, type AssertionTyp } from "./args";
import type { SigningKey } from "./keys";
import { UsageError } from "./usage";

export type AssertionInput = {
  clientId: string;
  issuer: string;
  key: SigningKey;
  lifetimeSeconds: number;
  typ: AssertionTyp;
  now?: Date;
};

export async function signAssertion(input: AssertionInput): Promise<string> {
  const { lifetimeSeconds } = input;
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > MAX_LIFETIME_SECONDS) {
    throw new UsageError(`--lifetime must be a whole number of seconds from 1 to ${MAX_LIFETIME_SECONDS}`);
  }
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  // RFC 7523 3: iss and sub are the client_id. rfc7523bis (the 2025 audience-injection fix): aud is
  // the issuer identifier exactly, as a single string, not an array and not the token endpoint URL.
  // RFC 7523 3(7): a jti, new for every assertion, so the server can refuse a replay.
  return new SignJWT({ iss: input.clientId, sub: input.clientId, aud: input.issuer, iat, exp: iat + lifetimeSeconds, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: input.key.alg, typ: input.typ, kid: input.key.kid })
    .sign(input.key.key);
}
