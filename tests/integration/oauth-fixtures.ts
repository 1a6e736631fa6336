// Clients, keys and requests for the token endpoint tests. Keys are registered through the inline JWKS
// path (lib/keys/lifecycle.ts). Switching a client to accept private_key_jwt is the migration issue's
// audited step; until it exists, fixtures set the accepted methods on the row directly.
import crypto from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { createClient } from "@/lib/clients/commands";
import { db } from "@/lib/db";
import { addKeys } from "@/lib/keys/lifecycle";
import { flushAuthEvents } from "@/lib/oauth/events";
import { handleTokenRequest, type OAuthResponse } from "@/lib/oauth/endpoint";
import { ASSERTION_TYPE } from "@/lib/oauth/assertion";
import type { UserActor } from "@/lib/auth/actor";
import { clientInput, uniq } from "./helpers";

export type TestKey = { kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK };

export async function makeKey(alg: "ES256" | "ES384" | "RS256" | "PS256" | "EdDSA", kid: string = uniq(alg.toLowerCase())): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid } };
}

export async function secretClient(actor: UserActor, teamId: string, overrides: Record<string, unknown> = {}) {
  const created = await createClient(actor, clientInput(teamId, { clientId: uniq("svc"), ...overrides }));
  return { id: created.id, clientId: created.clientId, secret: created.secret!.secret, secretId: created.secret!.id };
}

/** A client that accepts only private_key_jwt, with the given keys registered. */
export async function jwtClient(actor: UserActor, teamId: string, keys: TestKey[], overrides: Record<string, unknown> = {}) {
  const created = await createClient(actor, clientInput(teamId, { clientId: uniq("jwt"), ...overrides }));
  if (keys.length) await addKeys(actor, created.id, { kind: "jwks", text: JSON.stringify({ keys: keys.map((k) => k.publicJwk) }) });
  await db().client.update({ where: { id: created.id }, data: { authMethod: "private_key_jwt", acceptedMethods: "private_key_jwt" } });
  return { id: created.id, clientId: created.clientId };
}

export type AssertionOptions = {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** claims to leave out */
  omit?: string[];
  key?: TestKey;
  kid?: string | null;
};

/** A client assertion as a well-behaved client signs one, with the test's changes applied. */
export async function assertion(clientId: string, issuer: string, key: TestKey, options: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iss: clientId, sub: clientId, aud: issuer, iat: now, exp: now + 60, jti: crypto.randomUUID(), ...options.claims };
  for (const name of options.omit ?? []) delete claims[name];
  const signer = options.key ?? key;
  const kid = options.kid === null ? undefined : (options.kid ?? key.kid);
  const header: Record<string, unknown> & { alg: string } = { alg: signer.alg, ...(kid ? { kid } : {}), ...options.header };
  // jose signs a crit header only when told its extensions are understood
  const crit = Array.isArray(header.crit) ? Object.fromEntries((header.crit as string[]).map((name) => [name, true])) : undefined;
  return new SignJWT(claims as never).setProtectedHeader(header).sign(signer.privateKey, crit ? { crit } : undefined);
}

export function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export function basic(clientId: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

export const FORM_TYPE = "application/x-www-form-urlencoded";

// each request comes from its own address unless a test says otherwise, so the per-address failure
// limit of one case never answers another case's request
let addresses = 0;
const nextAddress = () => `10.${(++addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;

export async function tokenRequest(
  body: string,
  options: { authorization?: string; contentType?: string; address?: string } = {},
): Promise<{ status: number; headers: Record<string, string>; json: Record<string, unknown>; address: string }> {
  const address = options.address ?? nextAddress();
  const response: OAuthResponse = await handleTokenRequest({
    headers: { "content-type": options.contentType ?? FORM_TYPE, ...(options.authorization ? { authorization: options.authorization } : {}) },
    body,
    address,
  });
  await flushAuthEvents();
  return { status: response.status, headers: response.headers, json: JSON.parse(response.body) as Record<string, unknown>, address };
}

export function jwtParams(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { grant_type: "client_credentials", client_assertion_type: ASSERTION_TYPE, client_assertion: token, ...extra };
}

export async function lastEvent(clientId?: string) {
  return db().authEvent.findFirst({ where: clientId === undefined ? {} : { clientId }, orderBy: { id: "desc" } });
}
