// REST operations on public keys: the same domain calls as the console, so the rules, the refusal of
// private keys and the audit entries cannot differ between the two.
import type { UserActor } from "../auth/actor";
import { clientDbIdByClientId } from "../clients/queries";
import { db } from "../db";
import { invalid, malformed, notFound } from "../errors";
import { clientJwksUri, expiringKeys, findKeysByThumbprint, listClientKeys } from "../keys/queries";
import { addKeys, keepKey, retireKey, type KeyMaterial } from "../keys/lifecycle";
import { linkJwksUri, refreshJwksNow, unlinkJwksUri } from "../keys/jwks-uri";
import { onlyFields, optionalBoolean, optionalDate, optionalString } from "./body";
import { clientKeyResource, jwksUriResource, keyWithClientResource } from "./resources";

export async function apiListKeys(actor: UserActor, clientId: string) {
  const keys = await listClientKeys(actor, await clientDbIdByClientId(clientId));
  return { data: keys.map(clientKeyResource) };
}

/** One kind of material per request: a JWKS (also accepted as the whole body), a PEM key or a certificate. */
function materialOf(body: Record<string, unknown>): KeyMaterial {
  const given = (["jwks", "pem", "certificate"] as const).filter((k) => body[k] !== undefined);
  if (given.length === 0 && Array.isArray(body.keys)) return { kind: "jwks", text: JSON.stringify({ keys: body.keys }) };
  if (given.length !== 1) throw invalid("Send exactly one of jwks, pem or certificate.", { jwks: "One of jwks, pem or certificate" });
  const kind = given[0];
  if (kind === "jwks") {
    if (!body.jwks || typeof body.jwks !== "object" || Array.isArray(body.jwks)) throw invalid("jwks must be a JWKS object.", { jwks: "Not a JSON object" });
    return { kind: "jwks", text: JSON.stringify(body.jwks) };
  }
  const text = optionalString(body, kind)!;
  return { kind: "pem", text, kid: optionalString(body, "kid"), alg: optionalString(body, "alg") };
}

const KEY_FIELDS = ["jwks", "keys", "pem", "certificate", "kid", "alg", "not_before", "retire_current"];

/** POST body: the material and options. Every key is checked first; either all are added or none. */
export async function apiRegisterKeys(actor: UserActor, clientId: string, body: Record<string, unknown>) {
  onlyFields(body, KEY_FIELDS);
  const retireCurrent = optionalBoolean(body, "retire_current") ?? false;
  const id = await clientDbIdByClientId(clientId);
  const added = await addKeys(actor, id, materialOf(body), { notBefore: optionalDate(body, "not_before"), retireCurrent });
  const kids = new Set(added.keys.map((k) => k.kid));
  const keys = await listClientKeys(actor, id);
  return {
    data: keys.filter((k) => kids.has(k.kid)).map(clientKeyResource),
    kids_assigned: added.keys.filter((k) => k.kidAssigned).map((k) => k.kid),
    retiring: added.retiring.map((r) => ({ kid: r.kid, until: r.until.toISOString() })),
  };
}

async function keyIdOf(clientDbId: string, kid: string): Promise<string> {
  const key = await db().clientKey.findUnique({ where: { clientId_kid: { clientId: clientDbId, kid } }, select: { id: true } });
  if (!key) throw notFound("The key");
  return key.id;
}

async function keyResource(actor: UserActor, clientDbId: string, kid: string) {
  const key = (await listClientKeys(actor, clientDbId)).find((k) => k.kid === kid);
  if (!key) throw notFound("The key");
  return clientKeyResource(key);
}

export async function apiRetireKey(actor: UserActor, clientId: string, kid: string, body: Record<string, unknown>) {
  const id = await clientDbIdByClientId(clientId);
  const keyId = await keyIdOf(id, kid);
  if (body.mode !== "scheduled" && body.mode !== "now") throw invalid('mode must be "scheduled" or "now".', { mode: "scheduled or now" });
  onlyFields(body, ["mode", "until", "reason", "confirm_recent_use"]);
  const confirmRecentUse = optionalBoolean(body, "confirm_recent_use") ?? false;
  const request = body.mode === "now" ? { mode: "now" as const, reason: optionalString(body, "reason") ?? "" } : { mode: "scheduled" as const, until: optionalDate(body, "until") };
  await retireKey(actor, id, keyId, request, confirmRecentUse);
  return keyResource(actor, id, kid);
}

export async function apiKeepKey(actor: UserActor, clientId: string, kid: string) {
  const id = await clientDbIdByClientId(clientId);
  await keepKey(actor, id, await keyIdOf(id, kid));
  return keyResource(actor, id, kid);
}

export async function apiGetJwksUri(actor: UserActor, clientId: string) {
  const state = await clientJwksUri(actor, await clientDbIdByClientId(clientId));
  if (!state) throw notFound("A jwks_uri for this client");
  return jwksUriResource(state);
}

export async function apiLinkJwksUri(actor: UserActor, clientId: string, body: Record<string, unknown>) {
  const id = await clientDbIdByClientId(clientId);
  if (typeof body.jwks_uri !== "string") throw invalid("jwks_uri must be a string.", { jwks_uri: "Required" });
  await linkJwksUri(actor, id, body.jwks_uri);
  return apiGetJwksUri(actor, clientId);
}

export async function apiUnlinkJwksUri(actor: UserActor, clientId: string) {
  await unlinkJwksUri(actor, await clientDbIdByClientId(clientId));
}

export async function apiRefreshJwksUri(actor: UserActor, clientId: string) {
  const outcome = await refreshJwksNow(actor, await clientDbIdByClientId(clientId));
  if (outcome.status === "ok") return { outcome: "ok" as const, key_count: outcome.keyCount, added: outcome.added, removed: outcome.removed };
  if (outcome.status === "error") return { outcome: "error" as const, error: outcome.message };
  return { outcome: "skipped" as const, skipped_because: outcome.why };
}

/** GET /keys?thumbprint=…: every client using this key. */
export async function apiFindKeys(actor: UserActor, url: URL) {
  const unknown = [...url.searchParams.keys()].filter((k) => k !== "thumbprint");
  if (unknown.length) throw invalid(`Unknown parameter: ${unknown.join(", ")}.`, Object.fromEntries(unknown.map((k) => [k, "Unknown parameter"])));
  const thumbprint = url.searchParams.get("thumbprint");
  if (!thumbprint) throw malformed("Give the thumbprint to search for: /keys?thumbprint=….");
  return { data: (await findKeysByThumbprint(actor, thumbprint)).map(keyWithClientResource) };
}

/** GET /keys/expiring?within_days=N */
export async function apiExpiringKeys(actor: UserActor, url: URL) {
  const unknown = [...url.searchParams.keys()].filter((k) => k !== "within_days");
  if (unknown.length) throw invalid(`Unknown parameter: ${unknown.join(", ")}.`, Object.fromEntries(unknown.map((k) => [k, "Unknown parameter"])));
  const raw = url.searchParams.get("within_days");
  const days = raw === null ? undefined : Number(raw);
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 365)) throw invalid("within_days must be a whole number from 1 to 365.", { within_days: "1 to 365" });
  const result = await expiringKeys(actor, days);
  return { within_days: result.days, data: result.keys.map(keyWithClientResource) };
}
