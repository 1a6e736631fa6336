// Where a client stands in its migration to private_key_jwt, and the evidence from real traffic that
// says whether the next step is safe. Stored state (explicit, audited steps) plus traffic: the first
// successful assertion, the last use of a secret, days without one (DESIGN.md, "Migration state").
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db, type Tx } from "../db";
import { notFound } from "../errors";
import { keyStatusAt, acceptsSignatures } from "../keys/status";
import { getSettings } from "../settings";

export const MIGRATION_STATES = ["secret_only", "keys_registered", "dual", "private_key_jwt"] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

export const MIGRATION_STATE_LABELS: Record<MigrationState, string> = {
  secret_only: "Secret only",
  keys_registered: "Keys registered",
  dual: "Dual window",
  private_key_jwt: "private_key_jwt",
};

const DAY_MS = 86_400_000;

export type Readiness = {
  /** keys the token endpoint would accept now (active or retiring) */
  usableKeys: number;
  firstAssertionAt: Date | null;
  lastSecretUseAt: Date | null;
  /** whole days since the last secret use, or since the dual window opened when the secret was never used in it */
  daysWithoutSecret: number | null;
  quietDays: number;
  /** an assertion succeeded and the secret has been quiet long enough: finalising needs no reason */
  readyToFinalise: boolean;
  /** why finalising now would need a reason, in plain words */
  notReadyBecause: string[];
};

export type MigrationView = {
  state: MigrationState;
  from: string | null;
  dualStartedAt: Date | null;
  dualUntil: Date | null;
  /** the dual window's end date has passed: flagged, never cut off */
  overdue: boolean;
  finalisedAt: Date | null;
  breakGlassUntil: Date | null;
  readiness: Readiness;
};

type MigrationRow = {
  id: string;
  migrationState: string;
  migrationFrom: string | null;
  dualStartedAt: Date | null;
  dualUntil: Date | null;
  finalisedAt: Date | null;
  firstAssertionAt: Date | null;
  breakGlassUntil: Date | null;
};

export const migrationSelect = {
  id: true,
  migrationState: true,
  migrationFrom: true,
  dualStartedAt: true,
  dualUntil: true,
  finalisedAt: true,
  firstAssertionAt: true,
  breakGlassUntil: true,
} as const;

/** The readiness evidence, read inside the caller's transaction when a step depends on it. */
export async function readiness(client: MigrationRow, now: Date, tx: Tx = db()): Promise<Readiness> {
  const [keys, lastSecret, firstAssertion, settings] = await Promise.all([
    tx.clientKey.findMany({ where: { clientId: client.id, status: { not: "retired" } }, select: { status: true, notBefore: true, expiresAt: true, retiringUntil: true } }),
    tx.clientSecret.findFirst({ where: { clientId: client.id, lastUsedAt: { not: null }, breakGlass: false }, orderBy: { lastUsedAt: "desc" }, select: { lastUsedAt: true } }),
    // the event writer keeps firstAssertionAt; events of the last moments may still be in a batch
    client.firstAssertionAt
      ? Promise.resolve({ at: client.firstAssertionAt })
      : tx.authEvent.findFirst({ where: { clientDbId: client.id, method: "private_key_jwt", outcome: "success" }, orderBy: { at: "asc" }, select: { at: true } }),
    getSettings(tx),
  ]);
  const usableKeys = keys.filter((k) => acceptsSignatures(keyStatusAt(k, now))).length;
  const quietDays = settings["migration.quietDays"];
  const lastSecretUseAt = lastSecret?.lastUsedAt ?? null;
  const quietSince = lastSecretUseAt ?? client.dualStartedAt;
  const daysWithoutSecret = quietSince ? Math.floor((now.getTime() - quietSince.getTime()) / DAY_MS) : null;
  const notReadyBecause: string[] = [];
  if (!firstAssertion) notReadyBecause.push("no assertion has succeeded yet");
  if (daysWithoutSecret === null) notReadyBecause.push("the secret's quiet period has not started (the dual window is not open)");
  else if (daysWithoutSecret < quietDays) {
    const when = daysWithoutSecret === 0 ? "today" : `${daysWithoutSecret} day${daysWithoutSecret === 1 ? "" : "s"} ago`;
    notReadyBecause.push(`the secret was used ${when}; ${quietDays} days without use are expected`);
  }
  return {
    usableKeys,
    firstAssertionAt: firstAssertion?.at ?? null,
    lastSecretUseAt,
    daysWithoutSecret,
    quietDays,
    readyToFinalise: notReadyBecause.length === 0,
    notReadyBecause,
  };
}

export async function migrationViewOf(client: MigrationRow, now: Date, tx: Tx = db()): Promise<MigrationView> {
  const state = client.migrationState as MigrationState;
  return {
    state,
    from: client.migrationFrom,
    dualStartedAt: client.dualStartedAt,
    dualUntil: client.dualUntil,
    overdue: state === "dual" && !!client.dualUntil && client.dualUntil <= now,
    finalisedAt: client.finalisedAt,
    breakGlassUntil: client.breakGlassUntil && client.breakGlassUntil > now ? client.breakGlassUntil : null,
    readiness: await readiness(client, now, tx),
  };
}

/** The client's migration, for the client page and the API. */
export async function getMigration(actor: Actor, clientDbId: string, now = new Date()): Promise<MigrationView> {
  assertCan(actor, "client.read");
  const client = await db().client.findUnique({ where: { id: clientDbId }, select: { ...migrationSelect, status: true } });
  if (!client || client.status === "deleted") throw notFound("The client");
  return migrationViewOf(client, now);
}
