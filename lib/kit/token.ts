// `kit token`: the client_credentials request with private_key_jwt (RFC 7523 2.2), against Keyshift or
// any RFC 8414 authorization server, and what to print about its answer.
import { decodeJwt } from "jose";
import { ASSERTION_TYPE } from "../oauth/assertion";
import type { TokenOptions } from "./args";
import { signAssertion } from "./assertion";
import { checkMetadata, discover, httpRequest, type Fetch } from "./discovery";
import type { SigningKey } from "./keys";
import { OAuthRefusal, ServerUnusable } from "./usage";

export type TokenResponse = { access_token: string; token_type?: string; expires_in?: number; scope?: string; [name: string]: unknown };
export type TokenResult = { tokenEndpoint: string; status: number; body: string; response: TokenResponse };

export async function resolveTokenEndpoint(options: Pick<TokenOptions, "issuer" | "tokenEndpoint">, alg: string, fetchFn: Fetch): Promise<string> {
  if (options.tokenEndpoint) return options.tokenEndpoint;
  return checkMetadata(await discover(options.issuer, fetchFn), options.issuer, alg);
}

export function tokenRequestBody(options: Pick<TokenOptions, "clientId" | "scope" | "resource">, assertion: string): string {
  const params = new URLSearchParams({ grant_type: "client_credentials", client_id: options.clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
  if (options.scope) params.set("scope", options.scope);
  if (options.resource) params.set("resource", options.resource);
  return params.toString();
}

export async function requestToken(options: TokenOptions, key: SigningKey, fetchFn: Fetch = fetch): Promise<TokenResult> {
  const tokenEndpoint = await resolveTokenEndpoint(options, key.alg, fetchFn);
  // signed after discovery, so its short lifetime is not spent waiting on the network; aud stays the
  // issuer even when --token-endpoint is given
  const assertion = await signAssertion({ clientId: options.clientId, issuer: options.issuer, key, lifetimeSeconds: options.lifetimeSeconds, typ: options.typ });
  const response = await httpRequest(fetchFn, tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: tokenRequestBody(options, assertion),
    // a redirected POST would carry the assertion to wherever the redirect points
    redirect: "manual",
  });
  const body = await response.text();
  let parsed: Record<string, unknown> | null = null;
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === "object" && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    // not JSON: reported below
  }
  if (response.status === 200 && typeof parsed?.access_token === "string") return { tokenEndpoint, status: response.status, body, response: parsed as TokenResponse };
  if (response.status >= 400 && typeof parsed?.error === "string") {
    const description = typeof parsed.error_description === "string" ? parsed.error_description : undefined;
    throw new OAuthRefusal(response.status, parsed.error, description, body, response.headers.get("retry-after"));
  }
  const where = response.status >= 300 && response.status < 400 ? ` (a redirect to ${response.headers.get("location") ?? "?"}; give the final URL with --token-endpoint)` : "";
  throw new ServerUnusable(`${tokenEndpoint} answered HTTP ${response.status}${where} without an OAuth token or error response`);
}

/** The human summary of a token response: its fields, then the access token's claims if it is a JWT. */
export function describeTokenResponse(response: TokenResponse): string {
  const lines = [
    `token_type    ${response.token_type ?? "(none)"}`,
    `expires_in    ${response.expires_in ?? "(not given)"}`,
    `scope         ${response.scope ?? "(not given: the client's default)"}`,
    `access_token  ${response.access_token}`,
  ];
  let claims: unknown;
  try {
    claims = decodeJwt(response.access_token);
  } catch {
    claims = undefined;
  }
  lines.push(claims ? `claims (decoded, not verified):\n${JSON.stringify(claims, null, 2)}` : "the access token is opaque (not a JWT): ask the resource server or introspection what it means");
  return `${lines.join("\n")}\n`;
}

const HINTS: Record<string, (ctx: { clientId: string; kid: string; issuer: string; retryAfter: string | null }) => string> = {
  invalid_client: ({ clientId, kid, issuer }) =>
    `check the kid is registered (and active) for the client (kid ${JSON.stringify(kid)}, client_id ${JSON.stringify(clientId)}), the clock of this machine, and that aud is the issuer (${JSON.stringify(issuer)}; --issuer must be the server's issuer identifier exactly). In Keyshift, the client's page shows the precise reason of each failed attempt.`,
  invalid_scope: () => "ask only for scopes registered for the client, or leave --scope out to get its default scopes.",
  invalid_target: () => "--resource must be one of the resources the client is permitted (RFC 8707).",
  unauthorized_client: () => "the client is not registered for the client_credentials grant.",
  unsupported_grant_type: () => "the server does not offer client_credentials at this token endpoint.",
  invalid_request: () => "the server found the request malformed: check --token-endpoint is a token endpoint, and that the client accepts private_key_jwt.",
  temporarily_unavailable: ({ retryAfter }) => `too many failed attempts; retry ${retryAfter ? `after ${retryAfter} s` : "later"}.`,
  access_denied: () => "the client may not use this endpoint.",
};

export function refusalHint(refusal: OAuthRefusal, ctx: { clientId: string; kid: string; issuer: string }): string | null {
  return HINTS[refusal.error]?.({ ...ctx, retryAfter: refusal.retryAfter }) ?? null;
}
