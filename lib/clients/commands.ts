// Client registry commands. Each validates its input with the shared schema, checks the actor's
// permission against the owner team, and writes the change and its audit entry in one transaction.
import crypto from "node:crypto";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { isUniqueViolation, transaction, type Tx } from "../db";
import { conflict, invalid, notFound } from "../errors";
import { zodFields } from "../validation";
import { applyPreparedJwksUri, prepareJwksUri } from "../keys/jwks-uri";
import { insertKeys, validateMaterial, type KeyMaterial } from "../keys/lifecycle";
import { keyRulesOf, keysRequired, policyOf, type Environment } from "../policy";
import { getSettings } from "../settings";
import { insertSecret, refreshSecretSummary, type IssuedSecret } from "../secrets/commands";
import { ClientCreateSchema, ClientUpdateSchema, SECRET_METHODS, type AuthMethod } from "./schema";

/** A client_id in the style of a generated OAuth identifier: 24 URL-safe random characters. */
export function generateClientId(): string {
  return "ks_" + crypto.randomBytes(18).toString("base64url");
}

/** The lower-cased text the client list searches (both databases, without provider-specific collation). */
export const searchTextOf = (clientId: string, name: string) => `${clientId} ${name}`.toLowerCase();

async function requireTeam(tx: Tx, teamId: string): Promise<{ id: string; name: string }> {
  const team = await tx.team.findUnique({ where: { id: teamId }, select: { id: true, name: true } });
  if (!team) throw invalid("Choose an existing owner team.", { ownerTeamId: "This team does not exist" });
  return team;
}

async function loadClient(tx: Tx, clientDbId: string) {
  const client = await tx.client.findUnique({ where: { id: clientDbId } });
  if (!client || client.status === "deleted") throw notFound("The client");
  return client;
}

export type CreatedClient = { id: string; clientId: string; secret: IssuedSecret | null };

/** A private_key_jwt client is created with its public keys: registered key material, or a jwks_uri. */
export type CreationKeys = { material?: KeyMaterial; jwksUri?: string };

export async function createClient(actor: Actor, input: unknown, creationKeys: CreationKeys = {}): Promise<CreatedClient> {
  const parsed = ClientCreateSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  const data = parsed.data;
  assertCan(actor, "client.create", { teamId: data.ownerTeamId });
  const usesSecret = SECRET_METHODS.includes(data.authMethod as AuthMethod);
  const hasMaterial = !!creationKeys.material && creationKeys.material.text.trim() !== "";
  const hasUri = !!creationKeys.jwksUri?.trim();
  if (usesSecret && (hasMaterial || hasUri)) {
    throw invalid("A client authenticating with a secret is created without keys; register its keys on its page when it starts its migration.", { authMethod: "Keys need private_key_jwt" });
  }
  if (!usesSecret && hasMaterial === hasUri) {
    // a private_key_jwt client without a key could never authenticate
    throw invalid("A private_key_jwt client is created with its public keys: paste a JWKS, a PEM key or a certificate, or give its jwks_uri (one of them).", {
      jwks: hasUri ? "Either keys or a jwks_uri, not both" : "Required for private_key_jwt",
    });
  }
  const now = new Date();
  const settings = await getSettings();
  const policy = policyOf(settings);
  if (usesSecret && keysRequired(policy, data.environment, now)) {
    const from = policy.requiredMethod[data.environment as Environment].from;
    throw invalid(
      `Organisation policy: ${data.environment} clients use private_key_jwt${from ? ` since ${from.toISOString().slice(0, 10)}` : ""}. Create the client with private_key_jwt and its public keys.`,
      { authMethod: "private_key_jwt is required in this environment" },
    );
  }
  // the key material is checked before anything is written, and a jwks_uri fetched through the SSRF guard
  const keys = hasMaterial ? validateMaterial(creationKeys.material!, now, keyRulesOf(settings)) : [];
  const prepared = hasUri ? await prepareJwksUri(creationKeys.jwksUri!, data.environment) : null;
  const clientId = data.clientId ?? generateClientId();
  try {
    return await transaction(async (tx) => {
      const team = await requireTeam(tx, data.ownerTeamId);
      const client = await tx.client.create({
        data: {
          clientId,
          name: data.name,
          description: data.description,
          environment: data.environment,
          ownerTeamId: team.id,
          contactEmail: data.contactEmail,
          authMethod: data.authMethod,
          acceptedMethods: data.authMethod,
          grantTypes: data.grantTypes.join(" "),
          scopes: data.scopes.join(" "),
          resources: data.resources.join(" "),
          introspection: data.introspection,
          audienceCompat: data.audienceCompat,
          searchText: searchTextOf(clientId, data.name),
          keySource: prepared ? "jwks_uri" : keys.length ? "inline" : "none",
          migrationState: usesSecret ? "secret_only" : "private_key_jwt",
          jwksUri: prepared?.uri ?? null,
        },
      });
      let secret: IssuedSecret | null = null;
      if (usesSecret) {
        secret = await insertSecret(tx, client, actor);
        await refreshSecretSummary(tx, client.id);
      }
      if (keys.length) await insertKeys(tx, actor, client.id, keys, null, now);
      if (prepared) await applyPreparedJwksUri(tx, { id: client.id, clientId, name: data.name }, prepared, actor);
      await appendAudit(tx, actor, {
        action: "client.create",
        target: { type: "client", id: clientId, name: data.name },
        details: {
          environment: data.environment,
          ownerTeam: team.name,
          authMethod: data.authMethod,
          grantTypes: data.grantTypes,
          scopes: data.scopes,
          resources: data.resources,
          introspection: data.introspection,
          audienceCompat: data.audienceCompat,
          generatedClientId: !data.clientId,
          ...(secret ? { secretId: secret.id, secretHint: secret.hint } : {}),
          ...(keys.length ? { keys: keys.map((k) => ({ kid: k.kid, kty: k.kty, alg: k.alg, thumbprint: k.thumbprint, source: k.source, kidAssigned: k.kidAssigned })) } : {}),
          ...(prepared ? { jwksUri: prepared.uri, kids: prepared.fetched.keys.map((k) => k.kid) } : {}),
        },
      });
      return { id: client.id, clientId, secret };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict(`A client with client_id "${clientId}" already exists (or existed: client_ids are never reused).`, {
        clientId: "This client_id is taken",
      });
    }
    throw error;
  }
}

const EDITABLE = ["name", "description", "environment", "ownerTeamId", "contactEmail", "grantTypes", "scopes", "resources", "introspection", "audienceCompat"] as const;

export async function updateClient(actor: Actor, clientDbId: string, input: unknown): Promise<void> {
  const parsed = ClientUpdateSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  const data = parsed.data;
  await transaction(async (tx) => {
    const client = await loadClient(tx, clientDbId);
    assertCan(actor, "client.update", { teamId: client.ownerTeamId });
    if (data.ownerTeamId !== client.ownerTeamId) {
      // moving a client is giving it away: the actor must be allowed to own it in the new team too
      assertCan(actor, "client.update", { teamId: data.ownerTeamId });
      await requireTeam(tx, data.ownerTeamId);
    }
    const next = { ...data, grantTypes: data.grantTypes.join(" "), scopes: data.scopes.join(" "), resources: data.resources.join(" ") };
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of EDITABLE) {
      if (client[key] !== next[key]) changed[key] = { from: client[key], to: next[key] };
    }
    if (!Object.keys(changed).length) return;
    await tx.client.update({ where: { id: client.id }, data: { ...next, searchText: searchTextOf(client.clientId, next.name) } });
    await appendAudit(tx, actor, { action: "client.update", target: { type: "client", id: client.clientId, name: next.name }, details: { changed } });
  });
}

export async function setClientEnabled(actor: Actor, clientDbId: string, enabled: boolean): Promise<void> {
  await transaction(async (tx) => {
    const client = await loadClient(tx, clientDbId);
    assertCan(actor, "client.update", { teamId: client.ownerTeamId });
    const status = enabled ? "active" : "disabled";
    if (client.status === status) throw invalid(`The client is already ${enabled ? "enabled" : "disabled"}.`);
    await tx.client.update({ where: { id: client.id }, data: { status, disabledAt: enabled ? null : new Date() } });
    await appendAudit(tx, actor, { action: enabled ? "client.enable" : "client.disable", target: { type: "client", id: client.clientId, name: client.name } });
  });
}

/**
 * Deleting keeps the row (status "deleted") so the client_id is never handed to someone else and the
 * audit trail still resolves; every secret is revoked in the same transaction.
 */
export async function deleteClient(actor: Actor, clientDbId: string, confirmation: string): Promise<void> {
  await transaction(async (tx) => {
    const client = await loadClient(tx, clientDbId);
    assertCan(actor, "client.update", { teamId: client.ownerTeamId });
    if (confirmation.trim() !== client.clientId) {
      throw invalid("Type the client_id exactly to confirm the deletion.", { confirmation: `Type ${client.clientId} to confirm` });
    }
    const now = new Date();
    const revoked = await tx.clientSecret.updateMany({
      where: { clientId: client.id, revokedAt: null },
      data: { revokedAt: now, revokedById: actor.type === "user" ? actor.id : null },
    });
    await tx.client.update({ where: { id: client.id }, data: { status: "deleted", deletedAt: now, acceptedMethods: "" } });
    await refreshSecretSummary(tx, client.id);
    await appendAudit(tx, actor, {
      action: "client.delete",
      target: { type: "client", id: client.clientId, name: client.name },
      details: { secretsRevoked: revoked.count },
    });
  });
}
