// Client authentication at the token and introspection endpoints (RFC 6749 2.3, RFC 7521/7523, OIDC
// Core 9): exactly one method per request, one the client currently accepts, verified strictly. The
// outcome names the precise reason for the authentication event; the caller sees only invalid_client.
import type { JWK } from "jose";
import { spaceSeparated } from "../clients/schema";
import { db, writeEpochOf, type Prisma } from "../db";
import { jwksHealth, refreshJwks } from "../keys/jwks-uri";
import { logUnexpected } from "../log";
import { matchSecret } from "../secrets/material";
import { secretStatus } from "../secrets/status";
import { ASSERTION_TYPE, checkAssertion, peekAssertion, type AssertionKey, type AudienceForm } from "./assertion";
import type { AuthMethod } from "./events";
import { endpointPolicy } from "./policy";
import type { FailureReason } from "./reasons";
import { reserveJti } from "./replay";
import { basicCredentials, type BasicCredentials } from "./request";

export type AuthenticatedClient = {
  id: string;
  clientId: string;
  grantTypes: string[];
  scopes: string[];
  resources: string[];
  introspection: boolean;
};

type Evidence = { method: AuthMethod | null; clientId: string; clientDbId: string | null; kid: string | null; secretHint: string | null; audienceForm: AudienceForm | null };

export type ClientAuthResult =
  | ({ ok: true; client: AuthenticatedClient; secretId?: string; keyId?: string; usedBasicHeader: boolean } & Evidence)
  | ({ ok: false; reason: FailureReason; usedBasicHeader: boolean } & Evidence);

const clientSelect = {
  id: true,
  clientId: true,
  status: true,
  acceptedMethods: true,
  grantTypes: true,
  scopes: true,
  resources: true,
  introspection: true,
  audienceCompat: true,
  keySource: true,
  jwksGoodAt: true,
  jwksFailures: true,
  jwksRefreshAt: true,
  breakGlassUntil: true,
} as const;


const secretSelect = { id: true, hash: true, hint: true, revokedAt: true, expiresAt: true, rotatedAt: true } as const;

type ClientRow = Prisma.ClientGetPayload<{ select: typeof clientSelect }>;
type SecretRow = Prisma.ClientSecretGetPayload<{ select: typeof secretSelect }>;

// What authentication reads about a client (its row, keys and secret hashes) is cached per instance for
// at most CLIENT_CACHE_MS, as DESIGN.md allows, so a request does not pay two or three queries for data
// that rarely changes. An entry also dies when this process commits any domain change (writeEpochOf):
// a secret revoked in this console stops working here at once, on other instances within 5 seconds.
// Only found clients are cached, failed loads are dropped, and the maps are bounded. The jti
// reservation is never cached: it stays a committed insert per request.
export const CLIENT_CACHE_MS = 5_000;
const MAX_CACHED = 10_000;
type Cached<T> = { at: number; epoch: number; value: Promise<T> };
const clientRows = new Map<string, Cached<ClientRow | null>>();
const clientKeys = new Map<string, Cached<AssertionKey[]>>();
const clientSecrets = new Map<string, Cached<SecretRow[]>>();

function cached<T>(map: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const epoch = writeEpochOf();
  const hit = map.get(key);
  if (hit && hit.epoch === epoch && now - hit.at < CLIENT_CACHE_MS && now >= hit.at) return hit.value;
  // a native promise: awaiting Prisma's thenable makes new promises on every await of the cached entry
  const value = Promise.resolve(load());
  map.delete(key);
  if (map.size >= MAX_CACHED) map.delete(map.keys().next().value!);
  map.set(key, { at: now, epoch, value });
  const drop = () => {
    if (map.get(key)?.value === value) map.delete(key);
  };
  value.then((v) => v === null && drop(), drop);
  return value;
}

// A jwks_uri refresh this process asked for is shared by the client's requests for CLIENT_CACHE_MS: the
// ones arriving while it runs wait for it, and when it changed nothing (not due, in its cooldown,
// another instance fetching, the uri failing) the later ones take its answer instead of paying the
// refresh's two queries each, until the cached row expires. A refresh that changed the keys is
// forgotten at once.
const refreshAsked = new Map<string, { at: number; outcome: ReturnType<typeof refreshJwks> }>();

function askRefresh(clientDbId: string, trigger: "background" | "unknown_kid", now: number): ReturnType<typeof refreshJwks> {
  const key = `${trigger}:${clientDbId}`;
  const asked = refreshAsked.get(key);
  if (asked && now - asked.at < CLIENT_CACHE_MS && now >= asked.at) return asked.outcome;
  if (refreshAsked.size >= MAX_CACHED) refreshAsked.delete(refreshAsked.keys().next().value!);
  const outcome = refreshJwks(clientDbId, trigger);
  const entry = { at: now, outcome };
  refreshAsked.set(key, entry);
  const forget = () => refreshAsked.get(key) === entry && refreshAsked.delete(key);
  void outcome.then((o) => o.status === "ok" && forget(), forget);
  return outcome;
}

/** Forgets every cached client, key and secret: for tests that change rows directly, as another instance would. */
export function forgetCachedClients(): void {
  clientRows.clear();
  clientKeys.clear();
  clientSecrets.clear();
  refreshAsked.clear();
}

export type Credentials = {
  params: Map<string, string>;
  basic: BasicCredentials | null | "malformed";
  /** the assertion's header and claims, read once for the whole request (not yet verified) */
  peeked: ReturnType<typeof peekAssertion>;
  /** the client the request says it is: Basic's, else the body's client_id, else the assertion's sub */
  claimedClientId: string;
};

/** What the request presents, read once: the endpoint limits and records by it before authenticating. */
export function readCredentials(params: Map<string, string>, authorization: string | undefined): Credentials {
  const basic = basicCredentials(authorization);
  const assertion = params.get("client_assertion");
  const peeked = assertion ? peekAssertion(assertion) : null;
  const sub = peeked?.claims.sub;
  const claimedClientId = (basic && basic !== "malformed" ? basic.clientId : undefined) ?? params.get("client_id") ?? (typeof sub === "string" ? sub : "");
  return { params, basic, peeked, claimedClientId };
}

/**
 * Who is calling. Checks the cheap things first (shape, client, method) so a bogus request costs no
 * hashing or signature check.
 */
export async function authenticateClient(credentials: Credentials, now: Date): Promise<ClientAuthResult> {
  const { params, basic, peeked } = credentials;
  const usedBasicHeader = basic !== null;
  const bodyClientId = params.get("client_id");
  const evidence: Evidence = { method: null, clientId: bodyClientId ?? "", clientDbId: null, kid: null, secretHint: null, audienceForm: null };
  const failure = (reason: FailureReason): ClientAuthResult => ({ ok: false, reason, usedBasicHeader, ...evidence });

  if (basic === "malformed") return failure("malformed_basic");
  const presented: AuthMethod[] = [];
  if (basic) presented.push("client_secret_basic");
  if (params.has("client_secret")) presented.push("client_secret_post");
  if (params.has("client_assertion") || params.has("client_assertion_type")) presented.push("private_key_jwt");
  if (basic) evidence.clientId = basic.clientId;
  if (presented.length > 1) return failure("multiple_methods");
  if (presented.length === 0) return failure("no_client_auth");
  const method = presented[0];
  evidence.method = method;

  let assertion: string | undefined;
  if (method === "client_secret_basic") {
    if (bodyClientId !== undefined && bodyClientId !== basic!.clientId) return failure("client_id_mismatch");
  } else if (method === "client_secret_post") {
    if (bodyClientId === undefined) return failure("invalid_request");
  } else {
    assertion = params.get("client_assertion");
    // the body's client_id (when sent) names the client; the assertion's iss and sub must then match it
    evidence.clientId = credentials.claimedClientId;
    if (params.get("client_assertion_type") !== ASSERTION_TYPE) return failure("assertion_type_invalid");
    if (!assertion) return failure("invalid_request");
    if (assertion.split(".").length === 5) return failure("assertion_encrypted");
    if (!peeked) return failure("assertion_malformed");
    if (!evidence.clientId) return failure("sub_mismatch");
    if (typeof peeked.header.kid === "string") evidence.kid = peeked.header.kid;
  }

  const clientId = evidence.clientId;
  const client = await cached(clientRows, clientId, () => db().client.findUnique({ where: { clientId }, select: clientSelect }));
  if (!client || client.status === "deleted") return failure("client_unknown");
  evidence.clientDbId = client.id;
  if (client.status !== "active") return failure("client_disabled");
  // a finalised client's break-glass secret is accepted beside its keys until it expires (lib/migration)
  const breakGlass = method !== "private_key_jwt" && !!client.breakGlassUntil && client.breakGlassUntil > now;
  if (!spaceSeparated(client.acceptedMethods).includes(method) && !breakGlass) return failure("method_not_accepted");
  const authenticated: AuthenticatedClient = {
    id: client.id,
    clientId: client.clientId,
    grantTypes: spaceSeparated(client.grantTypes),
    scopes: spaceSeparated(client.scopes),
    resources: spaceSeparated(client.resources),
    introspection: client.introspection,
  };

  if (method !== "private_key_jwt") {
    const presentedSecret = method === "client_secret_basic" ? basic!.secret : params.get("client_secret")!;
    // every secret with a stored hash, revoked and expired too, so the event can say which it was
    const secrets = await cached(clientSecrets, client.id, () =>
      db().clientSecret.findMany({
        where: { clientId: client.id, hash: { not: null } },
        select: secretSelect,
      }),
    );
    const index = matchSecret(presentedSecret, secrets.map((s) => s.hash!));
    if (index < 0) return failure("secret_mismatch");
    const secret = secrets[index];
    evidence.secretHint = secret.hint;
    const status = secretStatus(secret, now);
    if (status === "revoked") return failure("secret_revoked");
    if (status === "expired") return failure("secret_expired");
    return { ok: true, client: authenticated, secretId: secret.id, usedBasicHeader, ...evidence };
  }

  // one after the other: both are nearly always cached, and then Promise.all would only add promises
  let keys = await cached(clientKeys, client.id, () => assertionKeys(client.id));
  const policy = await endpointPolicy(now.getTime());
  if (client.keySource === "jwks_uri") {
    const source = await jwksUriKeys(client, keys, evidence.kid, policy.jwksMaxStalenessHours, now);
    if ("reason" in source) return failure(source.reason);
    keys = source.keys;
  }
  const checked = await checkAssertion(
    assertion!,
    { clientId: client.clientId, issuer: policy.issuer, tokenEndpoint: policy.tokenEndpoint, audienceCompat: client.audienceCompat, keys, policy, now },
    { stopAtFirstFailure: true, decoded: peeked! },
  );
  evidence.audienceForm = checked.audienceForm;
  if (!checked.ok) return failure(checked.reason!);
  // single use: the reservation is committed before any token is issued, on every instance alike
  if (!(await reserveJti(client.id, checked.jti!, checked.jtiExpiresAt!))) return failure("jti_replayed");
  return { ok: true, client: authenticated, keyId: checked.key!.id, usedBasicHeader, ...evidence };
}

/**
 * The keys of a client linked to a jwks_uri: the stored copy of its document, refreshed when an
 * assertion names a kid the copy lacks (one fetch at a time per client, with a cooldown, so a caller
 * cannot make Keyshift hammer the uri) and, in the background, when the copy is due. While the uri
 * fails the last good copy serves, up to the maximum staleness.
 */
async function jwksUriKeys(
  client: ClientRow,
  keys: AssertionKey[],
  kid: string | null,
  maxStalenessHours: number,
  now: Date,
): Promise<{ keys: AssertionKey[] } | { reason: FailureReason }> {
  // due: refreshed in the background (fetch failures are recorded by the refresh itself)
  if (client.jwksRefreshAt && client.jwksRefreshAt <= now) askRefresh(client.id, "background", now.getTime()).catch((error) => logUnexpected(error, "jwks_uri refresh failed"));
  if (kid !== null && !keys.some((k) => k.kid === kid)) {
    const outcome = await askRefresh(client.id, "unknown_kid", now.getTime());
    if (outcome.status === "ok") {
      keys = await assertionKeys(client.id);
      clientKeys.delete(client.id);
      clientRows.delete(client.clientId);
      return { keys };
    }
  }
  if (!client.jwksGoodAt) return { reason: "jwks_uri_unavailable" };
  if (jwksHealth(client, now, maxStalenessHours) === "failing") return { reason: "jwks_uri_stale" };
  return { keys };
}

/**
 * The client's registered keys in the shape the assertion rules read, retired ones included so a
 * request signed with one is refused as "retired" rather than "unknown kid". The jwks_uri source (keys
 * issue) plugs in here, refreshing its copy when an assertion names a kid it does not hold.
 */
export async function assertionKeys(clientDbId: string): Promise<AssertionKey[]> {
  const rows = await db().clientKey.findMany({
    where: { clientId: clientDbId },
    select: { id: true, kid: true, status: true, notBefore: true, expiresAt: true, retiringUntil: true, publicJwk: true },
  });
  return rows.map(({ publicJwk, ...r }) => ({ ...r, jwk: JSON.parse(publicJwk) as JWK }));
}
