// The token, introspection, metadata and JWKS endpoints as plain functions from a request to a
// response, so the Next.js routes and the token server (scripts/token-server.ts) are thin adapters over
// one core and the same tests run against both.
import { isResourceIndicator, spaceSeparated } from "../clients/schema";
import { issuer } from "../config";
import { db } from "../db";
import { ASSERTION_ALGORITHMS } from "./algorithms";
import { authenticateClient, readCredentials, type ClientAuthResult } from "./client-auth";
import { recordAuthEvent, type AuthEventInput } from "./events";
import { endpointPolicy, introspectionEndpointUrl, tokenEndpointUrl } from "./policy";
import { FailureLimiter } from "./rate-limit";
import type { FailureReason } from "./reasons";
import { pruneUsedAssertionsWhenDue } from "./replay";
import { parseForm, type OAuthRequest } from "./request";
import { publishedJwks } from "./server-keys";
import { issueAccessToken, verifyAccessToken } from "./tokens";

export type OAuthResponse = { status: number; headers: Record<string, string>; body: string };

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

function json(status: number, body: unknown, headers: Record<string, string> = {}): OAuthResponse {
  return { status, headers: { "Content-Type": "application/json", ...NO_STORE, ...headers }, body: JSON.stringify(body) };
}

// RFC 6749 5.2: the description is fixed per error; the precise reason goes to the event only
const DESCRIPTIONS: Record<string, string> = {
  invalid_request: "The request is missing a parameter, repeats one, or is otherwise malformed.",
  invalid_client: "Client authentication failed.",
  unauthorized_client: "The client is not authorized for this grant type.",
  unsupported_grant_type: "The grant type is not supported.",
  invalid_scope: "The requested scope is invalid or exceeds the scope granted to the client.",
  invalid_target: "The requested resource is invalid or not permitted for this client.",
  temporarily_unavailable: "Too many failed attempts. Retry later.",
  access_denied: "The client may not use this endpoint.",
};

function oauthError(status: number, error: string, headers: Record<string, string> = {}): OAuthResponse {
  return json(status, { error, error_description: DESCRIPTIONS[error] }, headers);
}

const REQUEST_REASONS = new Set<FailureReason>(["invalid_request", "multiple_methods"]);

function authFailureResponse(result: Extract<ClientAuthResult, { ok: false }>): OAuthResponse {
  if (REQUEST_REASONS.has(result.reason)) return oauthError(400, "invalid_request");
  // RFC 6749 5.2: 401 with a challenge for the scheme the client tried
  return oauthError(401, "invalid_client", result.usedBasicHeader ? { "WWW-Authenticate": 'Basic realm="keyshift", charset="UTF-8"' } : {});
}

export const limiter = new FailureLimiter();

type Endpoint = AuthEventInput["endpoint"];

function event(endpoint: Endpoint, request: OAuthRequest, at: Date, from: Partial<AuthEventInput> & { clientId: string }): AuthEventInput {
  return { at, endpoint, clientDbId: null, method: null, outcome: "failure", reason: null, kid: null, secretHint: null, audienceForm: null, address: request.address, ...from };
}

type Refusal = { ok: false; response: OAuthResponse };

// module-level rather than closures made per request: in the token server (run by tsx, which keeps
// function names) each closure costs a defineProperty on every request
function refused(endpoint: Endpoint, request: OAuthRequest, now: Date, clientId: string, reason: FailureReason, response: OAuthResponse, from: Partial<AuthEventInput> = {}): Refusal {
  recordAuthEvent(event(endpoint, request, now, { clientId, reason, ...from }));
  return { ok: false, response };
}

/** Parse, limit and authenticate: what both the token and introspection endpoints do first. */
async function authenticate(
  endpoint: Endpoint,
  request: OAuthRequest,
  now: Date,
  beforeAuth?: (params: Map<string, string>) => FailureReason | null,
): Promise<{ ok: true; params: Map<string, string>; auth: Extract<ClientAuthResult, { ok: true }> } | Refusal> {
  const form = parseForm(request);
  const credentials = readCredentials(form.ok ? form.params : new Map(), request.headers.authorization);
  const clientId = credentials.claimedClientId;
  const wait = limiter.retryAfter(clientId, request.address);
  if (wait > 0) {
    const response = oauthError(429, "temporarily_unavailable", { "Retry-After": String(wait) });
    return limiter.firstRefusal(clientId, request.address) ? refused(endpoint, request, now, clientId, "rate_limited", response) : { ok: false, response };
  }
  if (!form.ok) {
    limiter.recordFailure(clientId, request.address);
    return refused(endpoint, request, now, clientId, "invalid_request", oauthError(400, "invalid_request"));
  }
  const early = beforeAuth?.(form.params);
  if (early) {
    limiter.recordFailure(clientId, request.address);
    return refused(endpoint, request, now, clientId, early, oauthError(400, early === "unsupported_grant_type" ? "unsupported_grant_type" : "invalid_request"));
  }
  const auth = await authenticateClient(credentials, now);
  if (!auth.ok) {
    limiter.recordFailure(auth.clientId, request.address);
    const { ok: _ok, usedBasicHeader: _basic, ...evidence } = auth;
    return refused(endpoint, request, now, clientId, auth.reason, authFailureResponse(auth), evidence);
  }
  return { ok: true, params: form.params, auth };
}

function successEvent(endpoint: Endpoint, request: OAuthRequest, now: Date, auth: Extract<ClientAuthResult, { ok: true }>, reason: FailureReason | null = null): AuthEventInput {
  return event(endpoint, request, now, {
    clientId: auth.clientId,
    clientDbId: auth.clientDbId,
    method: auth.method,
    // authenticated, but the request was refused afterwards (scope, resource, grant): still a failure
    outcome: reason ? "failure" : "success",
    reason,
    kid: auth.kid,
    secretHint: auth.secretHint,
    audienceForm: auth.audienceForm,
    secretId: reason ? undefined : auth.secretId,
    keyId: reason ? undefined : auth.keyId,
  });
}


function grantCheck(params: Map<string, string>): FailureReason | null {
  const grant = params.get("grant_type");
  if (!grant) return "invalid_request";
  return grant === "client_credentials" ? null : "unsupported_grant_type";
}

/** An authenticated client asking for what it may not have: a 400 whose error is the recorded reason. */
function refusedAfterAuth(request: OAuthRequest, now: Date, auth: Extract<ClientAuthResult, { ok: true }>, reason: "unauthorized_client" | "invalid_scope" | "invalid_target"): OAuthResponse {
  recordAuthEvent(successEvent("token", request, now, auth, reason));
  return oauthError(400, reason);
}

export async function handleTokenRequest(request: OAuthRequest, now = new Date()): Promise<OAuthResponse> {
  pruneUsedAssertionsWhenDue(now);
  const authenticated = await authenticate("token", request, now, grantCheck);
  if (!authenticated.ok) return authenticated.response;
  const { params, auth } = authenticated;
  const client = auth.client;
  if (!client.grantTypes.includes("client_credentials")) return refusedAfterAuth(request, now, auth, "unauthorized_client");
  const requested = spaceSeparated(params.get("scope"));
  for (const s of requested) if (!client.scopes.includes(s)) return refusedAfterAuth(request, now, auth, "invalid_scope");
  const scope = (requested.length ? requested : client.scopes).join(" ");
  const resource = params.get("resource");
  if (resource !== undefined && (!isResourceIndicator(resource) || !client.resources.includes(resource))) return refusedAfterAuth(request, now, auth, "invalid_target");

  const policy = await endpointPolicy(now.getTime());
  const token = await issueAccessToken({ issuer: policy.issuer, clientId: client.clientId, audience: resource ?? policy.defaultAudience, scope, lifetimeSeconds: policy.tokenLifetimeSeconds, now });
  recordAuthEvent(successEvent("token", request, now, auth));
  limiter.recordSuccess(client.clientId, request.address);
  const body: Record<string, unknown> = { access_token: token.accessToken, token_type: "Bearer", expires_in: token.expiresIn };
  if (token.scope) body.scope = token.scope;
  return json(200, body);
}

/** RFC 7662, for resource servers: clients granted the introspection permission. */
export async function handleIntrospectionRequest(request: OAuthRequest, now = new Date()): Promise<OAuthResponse> {
  const authenticated = await authenticate("introspect", request, now, (params) => (params.get("token") ? null : "invalid_request"));
  if (!authenticated.ok) return authenticated.response;
  const { params, auth } = authenticated;
  if (!auth.client.introspection) {
    recordAuthEvent(successEvent("introspect", request, now, auth, "introspection_not_permitted"));
    return oauthError(403, "access_denied");
  }
  recordAuthEvent(successEvent("introspect", request, now, auth));
  limiter.recordSuccess(auth.client.clientId, request.address);
  const claims = await verifyAccessToken(params.get("token")!);
  if (!claims) return json(200, { active: false });
  return json(200, { active: true, token_type: "Bearer", ...claims });
}

let scopes: { at: number; value: Promise<string[]> } | undefined;
const SCOPES_CACHE_MS = 60_000;

/** Every scope some active client is registered for, refreshed at most once a minute. */
function supportedScopes(now: number): Promise<string[]> {
  if (scopes && now - scopes.at < SCOPES_CACHE_MS) return scopes.value;
  const value = db()
    .client.findMany({ where: { status: "active", scopes: { not: "" } }, distinct: ["scopes"], select: { scopes: true } })
    .then((rows) => [...new Set(rows.flatMap((r) => spaceSeparated(r.scopes)))].sort());
  scopes = { at: now, value };
  value.catch(() => (scopes = undefined));
  return value;
}

/** RFC 8414 metadata, served at both well-known paths. */
export async function authorizationServerMetadata(now = Date.now()): Promise<OAuthResponse> {
  const base = issuer().replace(/\/$/, "");
  const methods = ["client_secret_basic", "client_secret_post", "private_key_jwt"];
  const body = {
    issuer: issuer(),
    token_endpoint: tokenEndpointUrl(),
    jwks_uri: `${base}/.well-known/jwks.json`,
    introspection_endpoint: introspectionEndpointUrl(),
    grant_types_supported: ["client_credentials"],
    response_types_supported: [],
    scopes_supported: await supportedScopes(now),
    token_endpoint_auth_methods_supported: methods,
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    introspection_endpoint_auth_methods_supported: methods,
    introspection_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
  };
  return { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=60" }, body: JSON.stringify(body) };
}

export async function jwksResponse(): Promise<OAuthResponse> {
  return { status: 200, headers: { "Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=60" }, body: JSON.stringify(await publishedJwks()) };
}
