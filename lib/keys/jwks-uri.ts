// A client whose keys come from its jwks_uri. Keyshift keeps a copy of the document's signing keys as
// key rows (source "jwks_uri"), refreshed: when the copy is due (Cache-Control within bounds), when an
// assertion names a kid the copy lacks (one fetch at a time per client, with a cooldown), and by the
// background refresher. A key removed from the document stops working at the next refresh; while the
// uri fails, the last good copy keeps working up to the maximum staleness. Every fetch is recorded.
import type { Actor } from "../auth/actor";
import { SYSTEM } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { db, transaction, type Prisma, type Tx } from "../db";
import { conflict, DomainError, invalid, notFound } from "../errors";
import { fetchJson, GuardedFetchError } from "../net/guarded-fetch";
import { keyRulesOf } from "../policy";
import { getSettings } from "../settings";
import { validateJwksDocument, type IgnoredKey, type ValidatedKey } from "./validate";

/** The cached copy is refreshed within these bounds whatever Cache-Control says. */
export const JWKS_MIN_CACHE_SECONDS = 60;
export const JWKS_MAX_CACHE_SECONDS = 86_400;
/** Without a usable max-age. */
export const JWKS_DEFAULT_CACHE_SECONDS = 300;
/** After an unknown kid triggered a fetch, the next such fetch waits this long (a client cannot make Keyshift hammer its uri). */
export const JWKS_UNKNOWN_KID_COOLDOWN_SECONDS = 60;
/** A fetcher's lease: longer than a fetch can take (its deadline is 5 s), short enough that a crash frees it soon. */
const LEASE_MS = 30_000;
/** Failures back off exponentially from a minute to an hour. */
const BACKOFF_MIN_SECONDS = 60;
const BACKOFF_MAX_SECONDS = 3_600;
const HISTORY_DAYS = 90;
const MAX_URI = 2048;
/** A key the document dropped is retired with this reason, and comes back if the document lists it again. */
export const REMOVED_FROM_DOCUMENT = "removed from the jwks_uri document";
const UNLINKED = "jwks_uri unlinked";
/** Retirements Keyshift made on its own; a key retired by a person (compromise) never comes back by itself. */
const AUTOMATIC_RETIREMENTS: ReadonlySet<string | null> = new Set([REMOVED_FROM_DOCUMENT, UNLINKED]);

export type FetchTrigger = "link" | "background" | "unknown_kid" | "manual";
export type JwksHealth = "healthy" | "degraded" | "failing";

export type RefreshOutcome =
  | { status: "ok"; keyCount: number; added: string[]; removed: string[]; ignored: IgnoredKey[] }
  | { status: "error"; code: string; message: string; httpStatus: number | null }
  | { status: "skipped"; why: "busy" | "cooldown" | "not_linked" };

/** Checks a jwks_uri for a client of this environment; returns it normalised or throws `invalid`. */
export function checkJwksUri(value: string, environment: string): string {
  const text = value.trim();
  if (!text) throw invalid("Enter the jwks_uri.", { jwks_uri: "Required" });
  if (text.length > MAX_URI) throw invalid(`The jwks_uri is longer than ${MAX_URI} characters.`, { jwks_uri: `At most ${MAX_URI} characters` });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid("The jwks_uri is not an absolute URL.", { jwks_uri: "Not a URL" });
  }
  if (url.protocol === "http:" && environment !== "development") {
    throw invalid(`A ${environment} client's jwks_uri must use https; plain http is allowed only for development clients.`, { jwks_uri: "https required" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid("The jwks_uri must be an https URL.", { jwks_uri: "https required" });
  if (url.username || url.password) throw invalid("The jwks_uri must not carry credentials.", { jwks_uri: "No user:password@ in the URL" });
  if (url.hash) throw invalid("The jwks_uri must not have a fragment (#…).", { jwks_uri: "No fragment" });
  return url.href;
}

/** healthy: the last fetch worked; degraded: it failed, the last good keys still serve; failing: they no longer do. */
export function jwksHealth(client: { jwksGoodAt: Date | null; jwksFailures: number }, now: Date, maxStalenessHours: number): JwksHealth {
  if (!client.jwksGoodAt) return "failing";
  if (client.jwksFailures === 0) return "healthy";
  return now.getTime() - client.jwksGoodAt.getTime() > maxStalenessHours * 3_600_000 ? "failing" : "degraded";
}

function cacheSeconds(maxAge: number | null, noStore: boolean): number {
  if (noStore || maxAge === null) return noStore ? JWKS_MIN_CACHE_SECONDS : JWKS_DEFAULT_CACHE_SECONDS;
  return Math.min(JWKS_MAX_CACHE_SECONDS, Math.max(JWKS_MIN_CACHE_SECONDS, maxAge));
}

type Fetched = { ok: true; keys: ValidatedKey[]; ignored: IgnoredKey[]; httpStatus: number; durationMs: number; cache: number } | { ok: false; code: string; message: string; httpStatus: number | null; durationMs: number };

async function fetchDocument(uri: string, environment: string): Promise<Fetched> {
  const started = Date.now();
  try {
    const response = await fetchJson(uri, { allowHttp: environment === "development", accept: "application/jwk-set+json, application/json" });
    try {
      const { keys, ignored } = validateJwksDocument(JSON.stringify(response.body), { mode: "jwks_uri", now: new Date(), ...keyRulesOf(await getSettings()) });
      return { ok: true, keys, ignored, httpStatus: response.status, durationMs: response.durationMs, cache: cacheSeconds(response.cacheControl.maxAge, response.cacheControl.noStore) };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, code: "invalid_document", message: error.message, httpStatus: response.status, durationMs: Date.now() - started };
      throw error;
    }
  } catch (error) {
    if (error instanceof GuardedFetchError) return { ok: false, code: error.code, message: error.message, httpStatus: error.status ?? null, durationMs: Date.now() - started };
    throw error;
  }
}

const inFlight = new Map<string, Promise<RefreshOutcome>>();

/**
 * Fetches the client's jwks_uri and brings its key rows in line with the document. One fetch at a time
 * per client: in this process concurrent callers share one promise; across instances a lease on the
 * client row decides, and a caller that loses it is told "busy".
 */
export function refreshJwks(clientDbId: string, trigger: FetchTrigger, actor: Actor = SYSTEM): Promise<RefreshOutcome> {
  const running = inFlight.get(clientDbId);
  if (running) return running;
  const promise = runRefresh(clientDbId, trigger, actor).finally(() => inFlight.delete(clientDbId));
  inFlight.set(clientDbId, promise);
  return promise;
}

async function runRefresh(clientDbId: string, trigger: FetchTrigger, actor: Actor): Promise<RefreshOutcome> {
  const now = new Date();
  const conditions: Prisma.ClientWhereInput[] = [{ OR: [{ jwksLeaseUntil: null }, { jwksLeaseUntil: { lt: now } }] }];
  // an unknown kid may fetch once per cooldown; a background refresh only when the copy is due (another
  // instance may have refreshed it a moment ago, while this one still held the old due date in its cache)
  if (trigger === "unknown_kid") conditions.push({ OR: [{ jwksFetchedAt: null }, { jwksFetchedAt: { lt: new Date(now.getTime() - JWKS_UNKNOWN_KID_COOLDOWN_SECONDS * 1000) } }] });
  if (trigger === "background") conditions.push({ OR: [{ jwksRefreshAt: null }, { jwksRefreshAt: { lte: now } }] });
  const claimed = await db().client.updateMany({
    where: { id: clientDbId, keySource: "jwks_uri", status: { not: "deleted" }, AND: conditions },
    data: { jwksLeaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  if (claimed.count === 0) {
    const client = await db().client.findUnique({ where: { id: clientDbId }, select: { keySource: true, jwksLeaseUntil: true } });
    if (!client || client.keySource !== "jwks_uri") return { status: "skipped", why: "not_linked" };
    return { status: "skipped", why: client.jwksLeaseUntil && client.jwksLeaseUntil >= now ? "busy" : "cooldown" };
  }
  const client = await db().client.findUniqueOrThrow({ where: { id: clientDbId }, select: { id: true, clientId: true, name: true, environment: true, jwksUri: true, jwksFailures: true } });
  try {
    const fetched = await fetchDocument(client.jwksUri!, client.environment);
    return await recordFetch(client, trigger, actor, fetched);
  } catch (error) {
    // unexpected (a database error): free the lease so the next attempt need not wait for it to lapse
    await db().client.updateMany({ where: { id: clientDbId }, data: { jwksLeaseUntil: null } }).catch(() => undefined);
    throw error;
  }
}

type FetchClient = { id: string; clientId: string; name: string; jwksUri: string | null; jwksFailures: number };

async function recordFetch(client: FetchClient, trigger: FetchTrigger, actor: Actor, fetched: Fetched): Promise<RefreshOutcome> {
  const now = new Date();
  const uri = client.jwksUri!;
  if (!fetched.ok) {
    const failures = client.jwksFailures + 1;
    const backoff = Math.min(BACKOFF_MAX_SECONDS, BACKOFF_MIN_SECONDS * 2 ** Math.min(failures - 1, 10));
    const recorded = await transaction(async (tx) => {
      // only while the client is still linked to this uri (it may have been unlinked during the fetch)
      const still = await tx.client.updateMany({
        where: { id: client.id, keySource: "jwks_uri", jwksUri: uri },
        data: { jwksFetchedAt: now, jwksFailures: failures, jwksLastError: fetched.message, jwksRefreshAt: new Date(now.getTime() + backoff * 1000), jwksLeaseUntil: null },
      });
      if (still.count === 0) return false;
      await tx.jwksFetch.create({ data: { clientId: client.id, uri, at: now, trigger, outcome: "error", httpStatus: fetched.httpStatus, errorCode: fetched.code, error: fetched.message, durationMs: fetched.durationMs } });
      return true;
    });
    if (!recorded) return { status: "skipped", why: "not_linked" };
    return { status: "error", code: fetched.code, message: fetched.message, httpStatus: fetched.httpStatus };
  }
  const applied = await transaction((tx) => applyDocument(tx, client, trigger, actor, fetched));
  return applied ?? { status: "skipped", why: "not_linked" };
}

type Good = Extract<Fetched, { ok: true }>;
type Applied = Extract<RefreshOutcome, { status: "ok" }>;

/** Brings the client's jwks_uri key rows in line with a good document, inside the caller's transaction. */
async function applyDocument(tx: Tx, client: FetchClient, trigger: FetchTrigger, actor: Actor, fetched: Good): Promise<Applied | null> {
  const now = new Date();
  const uri = client.jwksUri!;
  // a document fetched for a uri the client no longer uses (unlinked or replaced during the fetch) changes nothing
  const linked = await tx.client.count({ where: { id: client.id, keySource: "jwks_uri", jwksUri: uri } });
  if (linked === 0) return null;
  const existing = await tx.clientKey.findMany({ where: { clientId: client.id }, select: { id: true, kid: true, source: true, status: true, thumbprint: true, retireReason: true } });
  const byKid = new Map(existing.map((k) => [k.kid, k]));
  const added: string[] = [];
  const removed: string[] = [];
  const ignored = [...fetched.ignored];
  const listed = new Set<string>();
  for (const key of fetched.keys) {
    const old = byKid.get(key.kid);
    const data = { kty: key.kty, alg: key.alg, thumbprint: key.thumbprint, publicJwk: JSON.stringify(key.publicJwk), expiresAt: key.expiresAt, certificate: key.certificate ? JSON.stringify(key.certificate) : null };
    if (!old) {
      await tx.clientKey.create({ data: { clientId: client.id, kid: key.kid, source: "jwks_uri", status: "active", ...data } });
      added.push(key.kid);
    } else if (old.source !== "jwks_uri") {
      ignored.push({ index: -1, kid: key.kid, reason: "this kid belongs to a key registered earlier (retired); kids are never reused" });
      continue;
    } else if (old.status === "retired" && !AUTOMATIC_RETIREMENTS.has(old.retireReason)) {
      // retired in Keyshift (a compromise): the document listing it again does not bring it back
      ignored.push({ index: -1, kid: key.kid, reason: "retired in Keyshift; it stays refused even though the document lists it" });
    } else if (old.status === "retired" || old.thumbprint !== key.thumbprint) {
      // back in the document, or the same kid now names other key material
      if (old.status !== "retired") removed.push(key.kid);
      await tx.clientKey.update({ where: { id: old.id }, data: { ...data, status: "active", retiredAt: null, retireReason: null, retiringUntil: null } });
      added.push(key.kid);
    }
    listed.add(key.kid);
  }
  for (const old of existing) {
    if (old.source !== "jwks_uri" || old.status === "retired" || listed.has(old.kid)) continue;
    await tx.clientKey.update({ where: { id: old.id }, data: { status: "retired", retiredAt: now, retireReason: REMOVED_FROM_DOCUMENT } });
    removed.push(old.kid);
  }
  await tx.jwksFetch.create({
    data: {
      clientId: client.id,
      uri,
      at: now,
      trigger,
      outcome: "ok",
      httpStatus: fetched.httpStatus,
      keyCount: fetched.keys.length,
      added: JSON.stringify(added),
      removed: JSON.stringify(removed),
      ignored: JSON.stringify(ignored.map(({ kid, reason }) => ({ kid, reason }))),
      durationMs: fetched.durationMs,
    },
  });
  await tx.jwksFetch.deleteMany({ where: { clientId: client.id, at: { lt: new Date(now.getTime() - HISTORY_DAYS * 86_400_000) } } });
  await tx.client.update({
    where: { id: client.id },
    data: { jwksFetchedAt: now, jwksGoodAt: now, jwksFailures: 0, jwksLastError: null, jwksRefreshAt: new Date(now.getTime() + fetched.cache * 1000), jwksLeaseUntil: null },
  });
  // the set of keys that can authenticate the client changed: that is a change a reviewer must see
  if ((added.length || removed.length) && trigger !== "link") {
    await appendAudit(tx, actor, { action: "client_key.jwks_refresh", target: { type: "client", id: client.clientId, name: client.name }, details: { uri, trigger, added, removed } });
  }
  return { status: "ok", keyCount: fetched.keys.length, added, removed, ignored };
}

export type PreparedJwksUri = { uri: string; fetched: Good };

/** Checks and fetches a jwks_uri before anything is saved: throws `invalid` unless it yields a usable signing key. */
export async function prepareJwksUri(value: string, environment: string): Promise<PreparedJwksUri> {
  const uri = checkJwksUri(value, environment);
  const fetched = await fetchDocument(uri, environment);
  if (!fetched.ok) throw invalid(`The jwks_uri could not be used: ${fetched.message}`, { jwks_uri: fetched.message });
  if (!fetched.keys.length) throw invalid("The jwks_uri document holds no usable signing key.", { jwks_uri: "No usable signing key" });
  return { uri, fetched };
}

/** Stores a prepared jwks_uri's keys for a client created in the caller's transaction (its row already names the uri). */
export async function applyPreparedJwksUri(tx: Tx, client: { id: string; clientId: string; name: string }, prepared: PreparedJwksUri, actor: Actor): Promise<Applied> {
  const applied = await applyDocument(tx, { ...client, jwksUri: prepared.uri, jwksFailures: 0 }, "link", actor, prepared.fetched);
  if (!applied) throw new Error("the client row does not name the prepared jwks_uri");
  return applied;
}

/**
 * Links a jwks_uri: the document is fetched and checked first, and nothing is saved unless it yields at
 * least one usable signing key. A client has registered keys or a jwks_uri, never both.
 */
export async function linkJwksUri(actor: Actor, clientDbId: string, value: string) {
  const client = await db().client.findUnique({ where: { id: clientDbId }, select: { id: true, clientId: true, name: true, status: true, ownerTeamId: true, environment: true, keySource: true, jwksUri: true } });
  if (!client || client.status === "deleted") throw notFound("The client");
  assertCan(actor, "key.manage", { teamId: client.ownerTeamId });
  const uri = checkJwksUri(value, client.environment);
  if (client.keySource === "jwks_uri") throw conflict(`The client is already linked to ${client.jwksUri}; unlink it first to link another uri.`);
  const registered = await db().clientKey.count({ where: { clientId: client.id, source: { not: "jwks_uri" }, status: { not: "retired" } } });
  if (registered) throw conflict(`The client has ${registered} registered key${registered === 1 ? "" : "s"} that ${registered === 1 ? "is" : "are"} not retired; a client has registered keys or a jwks_uri, never both. Retire them first.`, { jwks_uri: "The client has registered keys" });

  const { fetched } = await prepareJwksUri(uri, client.environment);
  return transaction(async (tx) => {
    // the link, the key rows, the fetch record and the audit entry: together or not at all
    const linked = await tx.client.updateMany({
      where: { id: client.id, keySource: { not: "jwks_uri" }, status: { not: "deleted" } },
      data: { keySource: "jwks_uri", jwksUri: uri, jwksFailures: 0, jwksLastError: null, jwksLeaseUntil: null },
    });
    if (linked.count === 0) throw conflict("The client was linked to a jwks_uri meanwhile; reload the page.");
    // a secret client that links its keys has taken the first step of its migration
    await tx.client.updateMany({ where: { id: client.id, migrationState: "secret_only" }, data: { migrationState: "keys_registered" } });
    const registeredNow = await tx.clientKey.count({ where: { clientId: client.id, source: { not: "jwks_uri" }, status: { not: "retired" } } });
    if (registeredNow) throw conflict("Keys were registered for the client meanwhile; a client has registered keys or a jwks_uri, never both.");
    const outcome = await applyPreparedJwksUri(tx, client, { uri, fetched }, actor);
    await appendAudit(tx, actor, {
      action: "client.jwks_uri_link",
      target: { type: "client", id: client.clientId, name: client.name },
      details: { uri, kids: fetched.keys.map((k) => k.kid), ignored: fetched.ignored.map(({ kid, reason }) => ({ kid, reason })) },
    });
    return outcome;
  });
}

/** Unlinks the jwks_uri: its keys are retired at once (they no longer authenticate the client), audited. */
export async function unlinkJwksUri(actor: Actor, clientDbId: string) {
  const now = new Date();
  return transaction(async (tx) => {
    const client = await tx.client.findUnique({ where: { id: clientDbId }, select: { id: true, clientId: true, name: true, status: true, ownerTeamId: true, keySource: true, jwksUri: true, acceptedMethods: true } });
    if (!client || client.status === "deleted") throw notFound("The client");
    assertCan(actor, "key.manage", { teamId: client.ownerTeamId });
    if (client.keySource !== "jwks_uri") throw conflict("The client is not linked to a jwks_uri.");
    if (client.acceptedMethods.split(" ").includes("private_key_jwt")) {
      throw conflict("The client authenticates with the keys of this jwks_uri: unlinking it would leave it without them. Roll its migration back to the secret first, or link the new uri's keys by rotation at the uri itself.");
    }
    const retired = await tx.clientKey.findMany({ where: { clientId: client.id, source: "jwks_uri", status: { not: "retired" } }, select: { kid: true } });
    await tx.clientKey.updateMany({ where: { clientId: client.id, source: "jwks_uri", status: { not: "retired" } }, data: { status: "retired", retiredAt: now, retireReason: UNLINKED } });
    await tx.client.update({ where: { id: client.id }, data: { keySource: "none", jwksUri: null, jwksRefreshAt: null, jwksLeaseUntil: null, jwksFailures: 0, jwksLastError: null } });
    await appendAudit(tx, actor, { action: "client.jwks_uri_unlink", target: { type: "client", id: client.clientId, name: client.name }, details: { uri: client.jwksUri, retired: retired.map((k) => k.kid) } });
  });
}

/** "Refresh now" from the console or the API. */
export async function refreshJwksNow(actor: Actor, clientDbId: string): Promise<RefreshOutcome> {
  const client = await db().client.findUnique({ where: { id: clientDbId }, select: { status: true, ownerTeamId: true, keySource: true } });
  if (!client || client.status === "deleted") throw notFound("The client");
  assertCan(actor, "key.manage", { teamId: client.ownerTeamId });
  if (client.keySource !== "jwks_uri") throw conflict("The client is not linked to a jwks_uri.");
  return refreshJwks(clientDbId, "manual", actor);
}
