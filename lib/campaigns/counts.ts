// Counting a campaign's cohort per owner team and stage: one grouped pass that starts from the
// campaign's own rows (primary key campaignId, clientId) and reads each client by its id, so a cohort
// of 10,000 costs 10,000 lookups whatever the size of the registry.
import { db, Prisma, type Tx } from "../db";
import { DONE_STAGES, overdueSql, stageSql, STAGES, type CampaignKind, type CampaignStage } from "./stages";

export type CountedCampaign = { id: string; kind: string; createdAt: Date; deadline: Date };

export type TeamCounts = { teamId: string; total: number; done: number; overdue: number; stages: Record<CampaignStage, number> };
export type CampaignCounts = { total: number; done: number; overdue: number; stages: Record<CampaignStage, number>; perTeam: TeamCounts[] };

const zeroStages = (kind: string) => Object.fromEntries(STAGES[kind as CampaignKind].map((s) => [s, 0])) as Record<CampaignStage, number>;

export async function countCampaign(campaign: CountedCampaign, now: Date, tx: Tx = db()): Promise<CampaignCounts> {
  const rows = await tx.$queryRaw<{ teamId: string; stage: string; n: number | bigint; overdue: number | bigint | null }[]>(Prisma.sql`
    SELECT c."ownerTeamId" AS "teamId", ${stageSql(campaign, now)} AS "stage", COUNT(*) AS "n",
           SUM(CASE WHEN ${overdueSql(campaign, now)} THEN 1 ELSE 0 END) AS "overdue"
    FROM "CampaignClient" cc JOIN "Client" c ON c."id" = cc."clientId"
    WHERE cc."campaignId" = ${campaign.id}
    GROUP BY 1, 2`);
  const counts: CampaignCounts = { total: 0, done: 0, overdue: 0, stages: zeroStages(campaign.kind), perTeam: [] };
  const teams = new Map<string, TeamCounts>();
  for (const row of rows) {
    const n = Number(row.n);
    const overdue = Number(row.overdue ?? 0);
    const stage = row.stage as CampaignStage;
    const team = teams.get(row.teamId) ?? { teamId: row.teamId, total: 0, done: 0, overdue: 0, stages: zeroStages(campaign.kind) };
    teams.set(row.teamId, team);
    for (const target of [counts, team]) {
      target.total += n;
      target.overdue += overdue;
      target.stages[stage] = (target.stages[stage] ?? 0) + n;
      if (DONE_STAGES.has(stage)) target.done += n;
    }
  }
  counts.perTeam = [...teams.values()];
  return counts;
}

/** The start of the UTC day holding `at`: a snapshot's key. */
export function utcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/**
 * Records today's counts (the last reading of a day is that day's point on the burn-down). An upsert on
 * (campaign, day): any number of instances may snapshot at once, and a second run the same day only
 * refreshes the figures.
 */
export async function writeSnapshot(campaign: CountedCampaign, now: Date, tx: Tx = db()): Promise<CampaignCounts> {
  const counts = await countCampaign(campaign, now, tx);
  const day = utcDay(now);
  const data = { total: counts.total, done: counts.done, stages: JSON.stringify(counts.stages), at: now };
  await tx.campaignSnapshot.upsert({ where: { campaignId_day: { campaignId: campaign.id, day } }, create: { campaignId: campaign.id, day, ...data }, update: data });
  return counts;
}
