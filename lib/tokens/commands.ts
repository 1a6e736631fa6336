// API tokens: a bearer credential for automation that acts as its user, with that user's role as it
// is at the moment of each request. Stored as a keyed hash; the token is shown once, at creation.
import crypto from "node:crypto";
import { z } from "zod";
import type { Actor, UserActor } from "../auth/actor";
import { loadUserActor } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { derivedKey } from "../config";
import { db, transaction } from "../db";
import { DomainError, forbidden, invalid, notFound } from "../errors";
import { DAY_MS } from "../secrets/status";
import { zodFields } from "../validation";

export const API_TOKEN_PREFIX = "ksa_";
const HINT_LENGTH = API_TOKEN_PREFIX.length + 4;
// lastUsedAt is written at most this often per token, so reads do not each cost a write
const LAST_USED_RESOLUTION_MS = 60_000;

export const ApiTokenCreateSchema = z.object({
  name: z.string().trim().min(1, "Name the token after what uses it").max(100, "Name is at most 100 characters"),
  expiresInDays: z.preprocess(
    (v) => (v === "" || v === null || v === undefined ? undefined : typeof v === "string" ? Number(v) : v),
    z.number({ error: "Enter a whole number of days" }).int("Enter a whole number of days").min(1, "At least 1 day").max(365, "At most 365 days").default(90),
  ),
});

export function hashApiToken(token: string): string {
  return crypto.createHmac("sha256", derivedKey("token-hash")).update(token, "utf8").digest("hex");
}

export type CreatedApiToken = { id: string; token: string; hint: string; expiresAt: Date };

/** A user creates tokens for themselves; the system actor (the admin CLI) for any user. */
export async function createApiToken(actor: Actor, userId: string, input: unknown): Promise<CreatedApiToken> {
  if (actor.type === "user" && actor.id !== userId) throw forbidden("You can only create API tokens for yourself.");
  const parsed = ApiTokenCreateSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("The user");
    if (user.disabledAt) throw invalid("The user is disabled.");
    const token = API_TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + parsed.data.expiresInDays * DAY_MS);
    const row = await tx.apiToken.create({
      data: { userId, name: parsed.data.name, tokenHash: hashApiToken(token), hint: token.slice(0, HINT_LENGTH), expiresAt },
    });
    await appendAudit(tx, actor, { action: "api_token.create", target: { type: "user", id: user.id, name: user.email }, details: { tokenId: row.id, name: row.name, hint: row.hint, expiresAt } });
    return { id: row.id, token, hint: row.hint, expiresAt };
  });
}

/** The owner or an administrator revokes a token; it stops working on the next request. */
export async function revokeApiToken(actor: Actor, tokenId: string): Promise<void> {
  await transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id: tokenId }, include: { user: true } });
    if (!row) throw notFound("The API token");
    if (actor.type === "user" && actor.id !== row.userId && actor.role !== "admin") throw forbidden("You can only revoke your own API tokens.");
    if (row.revokedAt) throw invalid("This token is already revoked.");
    await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await appendAudit(tx, actor, { action: "api_token.revoke", target: { type: "user", id: row.userId, name: row.user.email }, details: { tokenId: row.id, name: row.name, hint: row.hint } });
  });
}

export async function listApiTokens(actor: UserActor) {
  const rows = await db().apiToken.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "desc" } });
  // shaped output: never the hash
  return rows.map(({ tokenHash: _hash, ...row }) => row);
}

/**
 * Resolves `Authorization: Bearer <token>` to the acting user, or throws unauthenticated. The user and
 * role are read from the database now, so a disabled user's or a demoted user's tokens change at once.
 */
export async function authenticateApiToken(authorization: string | null, address?: string): Promise<UserActor> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "");
  if (!match) throw new DomainError("unauthenticated", "Send an API token as Authorization: Bearer <token>.");
  const row = await db().apiToken.findUnique({ where: { tokenHash: hashApiToken(match[1]) } });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) throw new DomainError("unauthenticated", "The API token is invalid, expired or revoked.");
  const actor = await loadUserActor(row.userId, address);
  if (!actor) throw new DomainError("unauthenticated", "The API token's user is disabled.");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ...actor, via: { type: "api_token", id: row.id, name: row.name } };
}
