// A campaign client's stage, derived from the client's stored state and its traffic, never ticked by
// hand (DESIGN.md, "Migration state"). One SQL expression defines it: the funnel, the per-team counts,
// the drill-down lists, the snapshots and the report all classify with stageSql, so no two of them
// can disagree about where a client stands.
import { Prisma } from "../db";

export const CAMPAIGN_KINDS = ["migration", "rotation"] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export const CAMPAIGN_KIND_LABELS: Record<CampaignKind, string> = {
  migration: "Move to private_key_jwt",
  rotation: "Rotate old secrets",
};

/** In order: a client moves forward through these (deleted: the client left service, nothing is left to do). */
export const MIGRATION_STAGES = ["not_started", "keys_registered", "dual", "assertions_seen", "finalised", "deleted"] as const;
export const ROTATION_STAGES = ["pending", "rotated", "deleted"] as const;
export type CampaignStage = (typeof MIGRATION_STAGES)[number] | (typeof ROTATION_STAGES)[number];

export const STAGES: Record<CampaignKind, readonly CampaignStage[]> = { migration: MIGRATION_STAGES, rotation: ROTATION_STAGES };

/** The stages in which nothing is left to do for the client. */
export const DONE_STAGES: ReadonlySet<CampaignStage> = new Set(["finalised", "rotated", "deleted"]);

export const STAGE_LABELS: Record<CampaignStage, string> = {
  not_started: "Not started",
  keys_registered: "Keys registered",
  dual: "Dual window",
  assertions_seen: "Assertions seen",
  finalised: "Finalised",
  pending: "Pending",
  rotated: "Rotated",
  deleted: "Client deleted",
};

/** What each stage means, in the words the campaign page and the report use. */
export const STAGE_HELP: Record<CampaignStage, string> = {
  not_started: "only a secret; no public key registered yet",
  keys_registered: "public keys registered; the dual window is not open",
  dual: "the secret and an assertion are both accepted; no assertion has succeeded yet",
  assertions_seen: "the client has authenticated with private_key_jwt; finalise once its secret is quiet",
  finalised: "only private_key_jwt is accepted; the secrets are revoked",
  pending: "the current secret was issued before the campaign began and is still valid",
  rotated: "a new secret was issued since the campaign began, or no valid secret is left",
  deleted: "the client was deleted: its credentials no longer work",
};

export type StageCampaign = { kind: string; createdAt: Date };

/**
 * The stage of the client row aliased `c`, as an SQL CASE over its columns: the same text on SQLite
 * and PostgreSQL. `now` matters for rotations (an expired secret is no longer a risk).
 */
export function stageSql(campaign: StageCampaign, now: Date): Prisma.Sql {
  if (campaign.kind === "rotation") {
    return Prisma.sql`(CASE
      WHEN c."status" = 'deleted' THEN 'deleted'
      WHEN c."secretCreatedAt" IS NOT NULL AND c."secretCreatedAt" <= ${campaign.createdAt}
        AND (c."secretExpiresAt" IS NULL OR c."secretExpiresAt" > ${now}) THEN 'pending'
      ELSE 'rotated' END)`;
  }
  return Prisma.sql`(CASE
    WHEN c."status" = 'deleted' THEN 'deleted'
    WHEN c."migrationState" = 'private_key_jwt' THEN 'finalised'
    WHEN c."migrationState" = 'dual' AND c."firstAssertionAt" IS NOT NULL THEN 'assertions_seen'
    WHEN c."migrationState" = 'dual' THEN 'dual'
    WHEN c."migrationState" = 'keys_registered' THEN 'keys_registered'
    ELSE 'not_started' END)`;
}

/** SQL: the client (aliased `c`) is not done yet. */
export function notDoneSql(campaign: StageCampaign, now: Date): Prisma.Sql {
  const done = STAGES[campaign.kind as CampaignKind].filter((s) => DONE_STAGES.has(s));
  return Prisma.sql`${stageSql(campaign, now)} NOT IN (${Prisma.join(done)})`;
}

/**
 * SQL: the client is overdue: not done, and either the campaign's deadline has passed or (for a
 * migration) its own dual window ended without a finalise or a rollback.
 */
export function overdueSql(campaign: StageCampaign & { deadline: Date }, now: Date): Prisma.Sql {
  const late = campaign.deadline <= now ? Prisma.sql`1 = 1` : campaign.kind === "migration" ? Prisma.sql`c."migrationState" = 'dual' AND c."dualUntil" <= ${now}` : Prisma.sql`1 = 0`;
  return Prisma.sql`(${notDoneSql(campaign, now)} AND (${late}))`;
}

export function isStage(kind: string, value: string | undefined | null): value is CampaignStage {
  return !!value && (STAGES[kind as CampaignKind] ?? []).includes(value as CampaignStage);
}
