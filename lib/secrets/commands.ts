// Issuing, rotating and revoking client secrets. The plaintext is returned once, to the caller that
// created it, and never stored, logged or audited.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { transaction, type Tx } from "../db";
import { conflict, invalid, notFound } from "../errors";
import { getSettings } from "../settings";
import { SECRET_METHODS, type AuthMethod } from "../clients/schema";
import { generateSecret, hashSecret, secretHint } from "./material";
import { DAY_MS, validSecretWhere } from "./status";

export type IssuedSecret = { id: string; secret: string; hint: string; expiresAt: Date };

type ClientRef = { id: string; clientId: string; name: string; ownerTeamId: string; status: string; authMethod: string };

/** Creates a secret row inside the caller's transaction (also used when a client is created). */
export async function insertSecret(
  tx: Tx,
  client: Pick<ClientRef, "id">,
  actor: Actor,
  now: Date = new Date(),
  /** a break-glass secret: its own short lifetime, flagged until it expires */
  breakGlass?: { lifetimeMs: number },
): Promise<IssuedSecret> {
  const { "secret.lifetimeDays": lifetimeDays } = await getSettings(tx);
  const secret = generateSecret();
  const expiresAt = new Date(now.getTime() + (breakGlass ? breakGlass.lifetimeMs : lifetimeDays * DAY_MS));
  const row = await tx.clientSecret.create({
    data: {
      clientId: client.id,
      hash: hashSecret(secret),
      hint: secretHint(secret),
      createdAt: now,
      createdById: actor.type === "user" ? actor.id : null,
      expiresAt,
      breakGlass: !!breakGlass,
    },
    select: { id: true },
  });
  return { id: row.id, secret, hint: secretHint(secret), expiresAt };
}

/** Keeps the client's denormalised secret summary (used to filter and sort the list) in step. */
export async function refreshSecretSummary(tx: Tx, clientDbId: string): Promise<void> {
  const newest = await tx.clientSecret.findFirst({
    where: { clientId: clientDbId, revokedAt: null },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true, expiresAt: true },
  });
  await tx.client.update({
    where: { id: clientDbId },
    data: { secretCreatedAt: newest?.createdAt ?? null, secretExpiresAt: newest?.expiresAt ?? null },
  });
}

async function loadManageableClient(tx: Tx, actor: Actor, clientDbId: string): Promise<ClientRef> {
  const client = await tx.client.findUnique({
    where: { id: clientDbId },
    select: { id: true, clientId: true, name: true, ownerTeamId: true, status: true, authMethod: true },
  });
  if (!client || client.status === "deleted") throw notFound("The client");
  assertCan(actor, "secret.manage", { teamId: client.ownerTeamId });
  return client;
}

function requireSecretClient(client: ClientRef): void {
  if (!SECRET_METHODS.includes(client.authMethod as AuthMethod)) {
    throw conflict(`Client ${client.clientId} authenticates with ${client.authMethod}; it has no secrets to manage.`);
  }
  if (client.status !== "active") throw conflict(`Client ${client.clientId} is disabled; enable it before issuing a secret.`);
}

const auditTarget = (client: ClientRef) => ({ type: "client", id: client.clientId, name: client.name });

/** Issues a secret for a client that has no valid one (a first secret, or after a revocation). */
export async function issueSecret(actor: Actor, clientDbId: string): Promise<IssuedSecret> {
  return transaction(async (tx) => {
    const client = await loadManageableClient(tx, actor, clientDbId);
    requireSecretClient(client);
    const valid = await tx.clientSecret.count({ where: { clientId: client.id, ...validSecretWhere() } });
    if (valid > 0) throw conflict("This client already has a valid secret: rotate it instead, so the old one is retired after an overlap.");
    const issued = await insertSecret(tx, client, actor);
    await refreshSecretSummary(tx, client.id);
    await appendAudit(tx, actor, { action: "secret.issue", target: auditTarget(client), details: { secretId: issued.id, hint: issued.hint, expiresAt: issued.expiresAt } });
    return issued;
  });
}

/**
 * Rotation: a new secret, and every currently valid secret set to expire after the overlap window
 * (never later than it would have anyway), so both work while the client switches over.
 */
export async function rotateSecret(actor: Actor, clientDbId: string): Promise<IssuedSecret & { overlapEndsAt: Date; retiring: string[] }> {
  return transaction(async (tx) => {
    const client = await loadManageableClient(tx, actor, clientDbId);
    requireSecretClient(client);
    const now = new Date();
    const { "secret.rotationOverlapDays": overlapDays } = await getSettings(tx);
    const overlapEndsAt = new Date(now.getTime() + overlapDays * DAY_MS);
    const current = await tx.clientSecret.findMany({ where: { clientId: client.id, ...validSecretWhere(now) }, select: { id: true, hint: true, expiresAt: true, rotatedAt: true } });
    for (const old of current) {
      const expiresAt = old.expiresAt && old.expiresAt < overlapEndsAt ? old.expiresAt : overlapEndsAt;
      await tx.clientSecret.update({ where: { id: old.id }, data: { expiresAt, rotatedAt: old.rotatedAt ?? now } });
    }
    const issued = await insertSecret(tx, client, actor, now);
    await refreshSecretSummary(tx, client.id);
    await appendAudit(tx, actor, {
      action: "secret.rotate",
      target: auditTarget(client),
      details: { secretId: issued.id, hint: issued.hint, expiresAt: issued.expiresAt, retiring: current.map((s) => ({ secretId: s.id, hint: s.hint })), overlapEndsAt },
    });
    return { ...issued, overlapEndsAt, retiring: current.map((s) => s.id) };
  });
}

/** Ends one secret now. The console shows its last use and asks for confirmation first. */
export async function revokeSecret(actor: Actor, clientDbId: string, secretId: string): Promise<void> {
  await transaction(async (tx) => {
    const client = await loadManageableClient(tx, actor, clientDbId);
    const secret = await tx.clientSecret.findFirst({ where: { id: secretId, clientId: client.id } });
    if (!secret) throw notFound("The secret");
    if (secret.revokedAt) throw invalid("This secret is already revoked.");
    const now = new Date();
    await tx.clientSecret.update({ where: { id: secret.id }, data: { revokedAt: now, revokedById: actor.type === "user" ? actor.id : null } });
    await refreshSecretSummary(tx, client.id);
    await appendAudit(tx, actor, {
      action: "secret.revoke",
      target: auditTarget(client),
      details: { secretId: secret.id, hint: secret.hint, lastUsedAt: secret.lastUsedAt, wasExpired: !!secret.expiresAt && secret.expiresAt <= now },
    });
  });
}
