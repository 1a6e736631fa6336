// The steps of a client's migration to private_key_jwt (DESIGN.md, "Migration of one client"):
//   secret_only → keys_registered → dual (secret and assertion both accepted, until an end date)
//   → private_key_jwt (finalised: secrets revoked, only assertions accepted)
// Each step checks who asks, where the client stands and what traffic says, then changes the state
// with a conditional update (a concurrent step on the same client loses with a conflict) and audits it
// in the same transaction. Every step is reversible until the last; a break-glass secret is the
// emergency exit after it.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { SECRET_METHODS, type AuthMethod } from "../clients/schema";
import { transaction, type Prisma, type Tx } from "../db";
import { conflict, invalid, notFound } from "../errors";
import { insertSecret, refreshSecretSummary, type IssuedSecret } from "../secrets/commands";
import { getSettings } from "../settings";
import { MIGRATION_STATE_LABELS, migrationSelect, migrationViewOf, readiness, type MigrationState, type MigrationView } from "./state";

const DAY_MS = 86_400_000;
const MAX_WINDOW_DAYS = 365;
const MAX_REASON = 500;
/** A break-glass secret lives one day: long enough to restore service, short enough to stay an exception. */
export const BREAK_GLASS_HOURS = 24;

const stepSelect = { ...migrationSelect, clientId: true, name: true, status: true, ownerTeamId: true, authMethod: true, acceptedMethods: true } as const;
type StepClient = Prisma.ClientGetPayload<{ select: typeof stepSelect }>;

const needs: Record<MigrationState, string> = {
  secret_only: "register the client's public keys first",
  keys_registered: "open the dual window first",
  dual: "this step belongs to the dual window",
  private_key_jwt: "the migration is finalised",
};

/** Loads the client, checks the permission and that the client is in one of the expected states. */
async function stepClient(tx: Tx, actor: Actor, clientDbId: string, expected: MigrationState[], permission: "migration.manage" | "migration.break_glass" = "migration.manage"): Promise<StepClient> {
  const client = await tx.client.findUnique({ where: { id: clientDbId }, select: stepSelect });
  if (!client || client.status === "deleted") throw notFound("The client");
  if (permission === "migration.manage") assertCan(actor, permission, { teamId: client.ownerTeamId });
  else assertCan(actor, permission);
  const state = client.migrationState as MigrationState;
  if (!expected.includes(state)) {
    throw conflict(`The client is at "${MIGRATION_STATE_LABELS[state]}": ${state === "dual" || state === "private_key_jwt" ? `this step is not available there (${needs[state]})` : needs[state]}.`);
  }
  return client;
}

/** The state change itself: only if nobody changed the client meanwhile. */
async function moveState(tx: Tx, client: StepClient, data: Prisma.ClientUpdateManyMutationInput): Promise<void> {
  const moved = await tx.client.updateMany({ where: { id: client.id, migrationState: client.migrationState }, data });
  if (moved.count === 0) throw conflict("The client's migration changed meanwhile; reload the page and try again.");
}

function windowEnd(value: Date | null | undefined, defaultDays: number, now: Date): Date {
  const until = value ?? new Date(now.getTime() + defaultDays * DAY_MS);
  if (Number.isNaN(until.getTime())) throw invalid("The end date is not a valid date.", { until: "Not a date" });
  if (until <= now) throw invalid("The dual window's end date must be in the future.", { until: "Must be in the future" });
  if (until.getTime() > now.getTime() + MAX_WINDOW_DAYS * DAY_MS) throw invalid(`The dual window ends at most ${MAX_WINDOW_DAYS} days ahead.`, { until: `At most ${MAX_WINDOW_DAYS} days ahead` });
  return until;
}

function reasonOf(value: string | undefined, required: boolean, why: string): string | null {
  const reason = value?.trim() ?? "";
  if (!reason && required) throw invalid(why, { reason: "A reason is required" });
  if (reason.length > MAX_REASON) throw invalid(`The reason is longer than ${MAX_REASON} characters.`, { reason: `At most ${MAX_REASON} characters` });
  return reason || null;
}

const target = (client: StepClient) => ({ type: "client", id: client.clientId, name: client.name });

async function viewAfter(tx: Tx, clientDbId: string, now: Date): Promise<MigrationView> {
  return migrationViewOf(await tx.client.findUniqueOrThrow({ where: { id: clientDbId }, select: migrationSelect }), now, tx);
}

/**
 * Opens the dual window: the client keeps its secret and may also authenticate with an assertion,
 * until the end date (default: the dual-window setting). Needs a key the token endpoint would accept.
 */
export async function openDualWindow(actor: Actor, clientDbId: string, options: { until?: Date | null } = {}): Promise<MigrationView> {
  const now = new Date();
  const settings = await getSettings();
  return transaction(async (tx) => {
    const client = await stepClient(tx, actor, clientDbId, ["keys_registered"]);
    if (!SECRET_METHODS.includes(client.authMethod as AuthMethod)) throw conflict(`The client authenticates with ${client.authMethod}; a dual window is for a client moving off a secret.`);
    const evidence = await readiness(client, now, tx);
    if (evidence.usableKeys === 0) throw conflict("The client has no active key: the token endpoint could not verify an assertion. Register a key (or wait for a scheduled one) before opening the dual window.");
    const until = windowEnd(options.until, settings["migration.dualWindowDays"], now);
    await moveState(tx, client, { migrationState: "dual", migrationFrom: client.authMethod, acceptedMethods: `${client.authMethod} private_key_jwt`, dualStartedAt: now, dualUntil: until });
    await appendAudit(tx, actor, { action: "migration.dual_open", target: target(client), details: { from: client.authMethod, until: until.toISOString(), usableKeys: evidence.usableKeys } });
    return viewAfter(tx, client.id, now);
  });
}

/** Moves the dual window's end date (an overdue window is never cut off; its owner extends or finalises it). */
export async function changeDualWindow(actor: Actor, clientDbId: string, until: Date): Promise<MigrationView> {
  const now = new Date();
  return transaction(async (tx) => {
    const client = await stepClient(tx, actor, clientDbId, ["dual"]);
    const end = windowEnd(until, 0, now);
    await moveState(tx, client, { dualUntil: end });
    await appendAudit(tx, actor, { action: "migration.dual_change", target: target(client), details: { from: client.dualUntil?.toISOString() ?? null, to: end.toISOString() } });
    return viewAfter(tx, client.id, now);
  });
}

/** Rolls the dual window back: only the secret is accepted again; the keys stay registered. */
export async function rollBackDualWindow(actor: Actor, clientDbId: string, reason?: string): Promise<MigrationView> {
  const now = new Date();
  return transaction(async (tx) => {
    const client = await stepClient(tx, actor, clientDbId, ["dual"]);
    const method = client.migrationFrom ?? client.authMethod;
    await moveState(tx, client, { migrationState: "keys_registered", acceptedMethods: method, dualStartedAt: null, dualUntil: null });
    await appendAudit(tx, actor, { action: "migration.rollback", target: target(client), details: { acceptedMethods: [method], reason: reasonOf(reason, false, "") } });
    return viewAfter(tx, client.id, now);
  });
}

/**
 * Finalises: the client authenticates only with assertions and its secrets are revoked. Offered when
 * an assertion has succeeded and the secret has been quiet for the set number of days; earlier, only
 * with a typed reason (audited with the evidence as it stood).
 */
export async function finaliseMigration(actor: Actor, clientDbId: string, options: { reason?: string } = {}): Promise<MigrationView> {
  const now = new Date();
  return transaction(async (tx) => {
    const client = await stepClient(tx, actor, clientDbId, ["dual"]);
    const evidence = await readiness(client, now, tx);
    if (evidence.usableKeys === 0) throw conflict("The client has no active key: finalising would leave it without a working credential. Register a key first.");
    const reason = reasonOf(options.reason, !evidence.readyToFinalise, `Finalising now needs a reason: ${evidence.notReadyBecause.join("; ")}. Until then the secret keeps working.`);
    const secrets = await tx.clientSecret.findMany({ where: { clientId: client.id, revokedAt: null }, select: { id: true, hint: true } });
    await tx.clientSecret.updateMany({ where: { clientId: client.id, revokedAt: null }, data: { revokedAt: now, revokedById: actor.type === "user" ? actor.id : null } });
    await moveState(tx, client, { migrationState: "private_key_jwt", authMethod: "private_key_jwt", acceptedMethods: "private_key_jwt", finalisedAt: now });
    await refreshSecretSummary(tx, client.id);
    await appendAudit(tx, actor, {
      action: "migration.finalise",
      target: target(client),
      details: {
        from: client.migrationFrom ?? client.authMethod,
        revokedSecrets: secrets.map((s) => s.hint),
        firstAssertionAt: evidence.firstAssertionAt?.toISOString() ?? null,
        lastSecretUseAt: evidence.lastSecretUseAt?.toISOString() ?? null,
        daysWithoutSecret: evidence.daysWithoutSecret,
        ready: evidence.readyToFinalise,
        ...(reason ? { reason } : {}),
      },
    });
    return viewAfter(tx, client.id, now);
  });
}

/**
 * Emergency: a finalised client whose keys are lost gets a secret for BREAK_GLASS_HOURS, accepted
 * beside its keys until then. Administrators only, with a reason; flagged until it expires. The value
 * is returned once, like every secret.
 */
export async function issueBreakGlassSecret(actor: Actor, clientDbId: string, reason: string): Promise<IssuedSecret & { method: string }> {
  const now = new Date();
  return transaction(async (tx) => {
    const client = await stepClient(tx, actor, clientDbId, ["private_key_jwt"], "migration.break_glass");
    const why = reasonOf(reason, true, "A break-glass secret needs a reason (for example: the signing key was lost with the host).")!;
    if (client.status !== "active") throw conflict("The client is disabled; enable it first.");
    const method = client.migrationFrom ?? "client_secret_basic";
    const secret = await insertSecret(tx, client, actor, now, { lifetimeMs: BREAK_GLASS_HOURS * 3_600_000 });
    await moveState(tx, client, { breakGlassUntil: secret.expiresAt });
    await refreshSecretSummary(tx, client.id);
    await appendAudit(tx, actor, { action: "migration.break_glass", target: target(client), details: { reason: why, secretId: secret.id, secretHint: secret.hint, until: secret.expiresAt.toISOString(), method } });
    return { ...secret, method };
  });
}
