// A client's registered public keys over their life: added (uploaded or pasted JWKS, PEM key or
// certificate), optionally scheduled, rotated with an overlap, retired on a date or at once. Every
// change is checked first and written in one transaction with its audit entry: all of it or none.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { transaction, type Tx } from "../db";
import { conflict, invalid, notFound } from "../errors";
import { getSettings } from "../settings";
import { spaceSeparated } from "../clients/schema";
import { acceptsSignatures, keyStatusAt } from "./status";
import { keyRulesOf } from "../policy";
import { keyFromPem, validateJwksDocument, type KeyRules, type ValidatedKey } from "./validate";

const DAY_MS = 86_400_000;
const MAX_REASON = 500;

export type KeyMaterial = { kind: "jwks"; text: string } | { kind: "pem"; text: string; kid?: string; alg?: string };

export type AddKeysOptions = {
  /** activation date: the keys are "scheduled" until then */
  notBefore?: Date | null;
  /** rotation: the client's current keys become "retiring" for the overlap window after activation */
  retireCurrent?: boolean;
};

export type AddedKeys = { keys: ValidatedKey[]; retiring: { kid: string; until: Date }[] };

const clientSelect = { id: true, clientId: true, name: true, ownerTeamId: true, status: true, keySource: true, acceptedMethods: true, migrationState: true } as const;

async function changeableClient(tx: Tx, actor: Actor, clientDbId: string) {
  const client = await tx.client.findUnique({ where: { id: clientDbId }, select: clientSelect });
  if (!client || client.status === "deleted") throw notFound("The client");
  // who is asking comes first: someone who may not change the client learns nothing more
  assertCan(actor, "key.manage", { teamId: client.ownerTeamId });
  return client;
}

/** The key material, validated: the same rules (and the organisation's key policy) whatever the entry point. */
export function validateMaterial(material: KeyMaterial, now: Date, rules: KeyRules): ValidatedKey[] {
  if (material.kind === "jwks") return validateJwksDocument(material.text, { mode: "upload", now, ...rules }).keys;
  return [keyFromPem(material.text, { now, ...rules, kid: material.kid || undefined, alg: material.alg || undefined })];
}

/** Inserts validated keys for a client inside the caller's transaction (client creation uses it too). */
export async function insertKeys(tx: Tx, actor: Actor, clientDbId: string, keys: ValidatedKey[], notBefore: Date | null, now: Date): Promise<void> {
  for (const key of keys) {
    // a certificate not valid yet activates the key when it becomes valid, unless a later date is set
    const certStart = key.certificate && key.certificate.notBefore > now ? key.certificate.notBefore : null;
    const activation = [notBefore, certStart].filter((d): d is Date => !!d && d > now).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
    await tx.clientKey.create({
      data: {
        clientId: clientDbId,
        kid: key.kid,
        kty: key.kty,
        alg: key.alg,
        thumbprint: key.thumbprint,
        publicJwk: JSON.stringify(key.publicJwk),
        source: key.source,
        status: activation ? "scheduled" : "active",
        notBefore: activation,
        expiresAt: key.expiresAt,
        certificate: key.certificate ? JSON.stringify(key.certificate) : null,
        createdById: actor.type === "user" ? actor.id : null,
      },
    });
  }
}

/** Adds keys to the client's registered keys, all or none, audited; optionally rotating the current ones out. */
export async function addKeys(actor: Actor, clientDbId: string, material: KeyMaterial, options: AddKeysOptions = {}): Promise<AddedKeys> {
  const now = new Date();
  const notBefore = options.notBefore ?? null;
  if (notBefore && Number.isNaN(notBefore.getTime())) throw invalid("The activation date is not a valid date.", { not_before: "Not a date" });
  if (notBefore && notBefore.getTime() > now.getTime() + 365 * DAY_MS) throw invalid("The activation date is more than a year ahead.", { not_before: "At most a year ahead" });
  const settings = await getSettings();
  return transaction(async (tx) => {
    const client = await changeableClient(tx, actor, clientDbId);
    const keys = validateMaterial(material, now, keyRulesOf(settings));
    if (client.keySource === "jwks_uri") throw conflict("This client's keys come from its jwks_uri; a client has registered keys or a jwks_uri, never both. Unlink the jwks_uri first.");
    const existing = await tx.clientKey.findMany({ where: { clientId: client.id }, select: { id: true, kid: true, thumbprint: true, status: true, notBefore: true, expiresAt: true, retiringUntil: true } });
    const taken = keys.filter((k) => existing.some((e) => e.kid === k.kid));
    if (taken.length) throw conflict(`The client already has a key with kid ${taken.map((k) => JSON.stringify(k.kid)).join(", ")}; kids stay unique, even for retired keys. Give the new key another kid.`, { [material.kind]: "Duplicate kid" });
    const same = keys.map((k) => ({ key: k, old: existing.find((e) => e.thumbprint === k.thumbprint) })).find((m) => m.old);
    if (same?.old) {
      const retired = keyStatusAt(same.old, now) === "retired";
      throw conflict(
        retired
          ? `This key was registered before as ${JSON.stringify(same.old.kid)} and is retired; a retired key never comes back. Generate a new key pair.`
          : `This key is already registered for this client as ${JSON.stringify(same.old.kid)}.`,
        { [material.kind]: retired ? "A retired key" : "Key already registered" },
      );
    }

    await insertKeys(tx, actor, client.id, keys, notBefore, now);
    const retiring: { kid: string; until: Date }[] = [];
    if (options.retireCurrent) {
      const start = notBefore && notBefore > now ? notBefore : now;
      const until = new Date(start.getTime() + settings["keys.rotationOverlapDays"] * DAY_MS);
      for (const old of existing) {
        const status = keyStatusAt(old, now);
        if (status !== "active" && status !== "scheduled") continue;
        await tx.clientKey.update({ where: { id: old.id }, data: { status: "retiring", retiringUntil: until } });
        retiring.push({ kid: old.kid, until });
      }
    }
    // a secret client that registers keys has taken the first step of its migration
    const firstStep = client.migrationState === "secret_only";
    await tx.client.update({ where: { id: client.id }, data: { keySource: "inline", ...(firstStep ? { migrationState: "keys_registered" } : {}) } });
    await appendAudit(tx, actor, {
      action: options.retireCurrent ? "client_key.rotate" : "client_key.add",
      target: { type: "client", id: client.clientId, name: client.name },
      details: {
        keys: keys.map((k) => ({ kid: k.kid, kty: k.kty, alg: k.alg, thumbprint: k.thumbprint, source: k.source, kidAssigned: k.kidAssigned, expiresAt: k.expiresAt?.toISOString() ?? null })),
        ...(notBefore ? { notBefore: notBefore.toISOString() } : {}),
        ...(retiring.length ? { retiring: retiring.map((r) => ({ kid: r.kid, until: r.until.toISOString() })) } : {}),
        ...(firstStep ? { migrationState: "keys_registered" } : {}),
      },
    });
    return { keys, retiring };
  });
}

export type RetireRequest =
  | { mode: "scheduled"; /** default: now + the rotation overlap */ until?: Date | null }
  | { mode: "now"; reason: string };

/**
 * Retires a key: on a date (it stays accepted as "retiring" until then) or at once, for a compromise,
 * with a typed reason. A key used recently is retired only with `confirmRecentUse`, after the person
 * has seen its last use; the refusal says when that was.
 */
export async function retireKey(actor: Actor, clientDbId: string, keyId: string, request: RetireRequest, confirmRecentUse = false) {
  const now = new Date();
  const settings = await getSettings();
  return transaction(async (tx) => {
    const client = await changeableClient(tx, actor, clientDbId);
    const key = await tx.clientKey.findFirst({ where: { id: keyId, clientId: client.id } });
    if (!key) throw notFound("The key");
    const status = keyStatusAt(key, now);
    if (status === "retired") throw conflict(`The key ${JSON.stringify(key.kid)} is already retired.`);
    if (key.source === "jwks_uri" && request.mode === "scheduled") {
      throw conflict(`The key ${JSON.stringify(key.kid)} comes from the client's jwks_uri: remove it from that document to retire it. Retire it now only if it is compromised.`);
    }
    const recentMs = settings["keys.recentUseDays"] * DAY_MS;
    if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < recentMs && !confirmRecentUse) {
      throw conflict(`The key ${JSON.stringify(key.kid)} was last used at ${key.lastUsedAt.toISOString()}: a client may still sign with it. Confirm to retire it anyway.`, { confirm_recent_use: "Confirm: the key was used recently" });
    }
    if (request.mode === "now") {
      const reason = request.reason.trim();
      if (!reason) throw invalid("Say why the key is retired now (for example: the private key was exposed).", { reason: "A reason is required" });
      if (reason.length > MAX_REASON) throw invalid(`The reason is longer than ${MAX_REASON} characters.`, { reason: `At most ${MAX_REASON} characters` });
      const updated = await tx.clientKey.update({
        where: { id: key.id },
        data: { status: "retired", retiredAt: now, retiringUntil: null, retireReason: reason, retiredById: actor.type === "user" ? actor.id : null },
      });
      await appendAudit(tx, actor, {
        action: "client_key.retire_now",
        target: { type: "client", id: client.clientId, name: client.name },
        details: { kid: key.kid, thumbprint: key.thumbprint, source: key.source, reason, lastUsedAt: key.lastUsedAt?.toISOString() ?? null },
      });
      return updated;
    }
    const until = request.until ?? new Date(now.getTime() + settings["keys.rotationOverlapDays"] * DAY_MS);
    if (Number.isNaN(until.getTime())) throw invalid("The retirement date is not a valid date.", { until: "Not a date" });
    if (until <= now) throw invalid("The retirement date must be in the future; use Retire now to retire the key at once.", { until: "Must be in the future" });
    if (until.getTime() > now.getTime() + 365 * DAY_MS) throw invalid("The retirement date is more than a year ahead.", { until: "At most a year ahead" });
    // a planned retirement must not leave a key-only client without a working credential (a compromise may)
    if (spaceSeparated(client.acceptedMethods).join(" ") === "private_key_jwt") {
      const others = await tx.clientKey.findMany({ where: { clientId: client.id, id: { not: key.id }, status: { not: "retired" } }, select: { status: true, notBefore: true, expiresAt: true, retiringUntil: true } });
      if (!others.some((k) => acceptsSignatures(keyStatusAt(k, until)))) {
        throw conflict(`The key ${JSON.stringify(key.kid)} is the client's last key usable on ${until.toISOString()}: retiring it would leave the client without a working credential. Register the replacement first (Rotate).`);
      }
    }
    const updated = await tx.clientKey.update({ where: { id: key.id }, data: { status: "retiring", retiringUntil: until } });
    await appendAudit(tx, actor, {
      action: "client_key.retire",
      target: { type: "client", id: client.clientId, name: client.name },
      details: { kid: key.kid, thumbprint: key.thumbprint, until: until.toISOString(), lastUsedAt: key.lastUsedAt?.toISOString() ?? null },
    });
    return updated;
  });
}

/** Cancels a scheduled retirement: the retiring key is active again. A retired key stays retired. */
export async function keepKey(actor: Actor, clientDbId: string, keyId: string) {
  const now = new Date();
  return transaction(async (tx) => {
    const client = await changeableClient(tx, actor, clientDbId);
    const key = await tx.clientKey.findFirst({ where: { id: keyId, clientId: client.id } });
    if (!key) throw notFound("The key");
    if (keyStatusAt(key, now) !== "retiring") throw conflict(`The key ${JSON.stringify(key.kid)} is not retiring; only a key whose retirement date is ahead can be kept.`);
    const updated = await tx.clientKey.update({ where: { id: key.id }, data: { status: "active", retiringUntil: null } });
    await appendAudit(tx, actor, {
      action: "client_key.keep",
      target: { type: "client", id: client.clientId, name: client.name },
      details: { kid: key.kid, thumbprint: key.thumbprint, cancelledRetirement: key.retiringUntil?.toISOString() ?? null },
    });
    return updated;
  });
}
