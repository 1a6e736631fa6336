// Reading campaigns: the list with live progress, one campaign's funnel, per-team breakdown, overdue
// clients and burn-down, its clients page by page, and the rows of its report. Stages come from
// stageSql (./stages.ts), counted from the campaign's own rows.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db, Prisma } from "../db";
import { notFound } from "../errors";
import { countCampaign, utcDay, type CampaignCounts } from "./counts";
import { campaignSelect, type CampaignRow } from "./commands";
import { parseCohortQuery, type CohortQuery } from "./schema";
import { isStage, overdueSql, stageSql, STAGES, type CampaignKind, type CampaignStage } from "./stages";

const DAY_MS = 86_400_000;

export type CampaignView = CampaignRow & {
  kind: CampaignKind;
  owner: { id: string; email: string; name: string };
  createdBy: string | null;
  closedBy: string | null;
  cohort: CohortQuery;
};

async function userEmails(ids: (string | null)[]): Promise<Map<string, { email: string; name: string }>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  const users = wanted.length ? await db().user.findMany({ where: { id: { in: wanted } }, select: { id: true, email: true, name: true } }) : [];
  return new Map(users.map((u) => [u.id, { email: u.email, name: u.name }]));
}

function viewOf(row: CampaignRow, users: Map<string, { email: string; name: string }>): CampaignView {
  let cohort: CohortQuery = {};
  try {
    cohort = parseCohortQuery(JSON.parse(row.cohortQuery) as Record<string, unknown>);
  } catch {
    // a stored query is always valid JSON; should it not be, the campaign still reads without it
  }
  const owner = users.get(row.ownerId);
  return {
    ...row,
    kind: row.kind as CampaignKind,
    owner: { id: row.ownerId, email: owner?.email ?? "(unknown user)", name: owner?.name ?? "" },
    createdBy: row.createdById ? (users.get(row.createdById)?.email ?? null) : null,
    closedBy: row.closedById ? (users.get(row.closedById)?.email ?? null) : null,
    cohort,
  };
}

export async function getCampaign(actor: Actor, campaignId: string): Promise<CampaignView> {
  assertCan(actor, "client.read");
  const row = await db().campaign.findUnique({ where: { id: campaignId }, select: campaignSelect });
  if (!row) throw notFound("The campaign");
  return viewOf(row, await userEmails([row.ownerId, row.createdById, row.closedById]));
}

export type CampaignListItem = CampaignView & { counts: Pick<CampaignCounts, "total" | "done" | "overdue">; late: boolean };

/** Every campaign, active first (soonest deadline first), then closed ones (latest first), with live progress. */
export async function listCampaigns(actor: Actor, options: { status?: "active" | "closed"; limit?: number } = {}, now = new Date()): Promise<CampaignListItem[]> {
  assertCan(actor, "client.read");
  const rows = await db().campaign.findMany({
    where: options.status ? { status: options.status } : {},
    select: campaignSelect,
    orderBy: [{ status: "asc" }, { deadline: "asc" }, { name: "asc" }],
    take: Math.min(options.limit ?? 500, 500),
  });
  const users = await userEmails(rows.flatMap((r) => [r.ownerId, r.createdById, r.closedById]));
  return Promise.all(
    rows.map(async (row) => {
      const counts = await countCampaign(row, now);
      return { ...viewOf(row, users), counts: { total: counts.total, done: counts.done, overdue: counts.overdue }, late: row.deadline <= now && counts.done < counts.total };
    }),
  );
}

export type FunnelStep = { stage: CampaignStage; reached: number };
export type BurnDownPoint = { day: string; remaining: number; total: number; done: number; live?: boolean };

/**
 * The funnel: how many clients reached each stage or a later one (deleted clients left the funnel and
 * are shown apart). A migration's client at "Assertions seen" has also registered keys and opened its
 * dual window.
 */
export function funnelOf(kind: CampaignKind, counts: CampaignCounts): FunnelStep[] {
  const steps = STAGES[kind].filter((s) => s !== "deleted");
  return steps.map((stage, i) => ({ stage, reached: steps.slice(i).reduce((sum, s) => sum + (counts.stages[s] ?? 0), 0) }));
}

/** The ideal burn-down: from the cohort at creation to none left at the deadline, in a straight line. */
export function idealRemaining(campaign: { createdAt: Date; deadline: Date }, initial: number, day: Date): number {
  const span = campaign.deadline.getTime() - utcDay(campaign.createdAt).getTime();
  if (span <= 0) return 0;
  const left = 1 - (day.getTime() - utcDay(campaign.createdAt).getTime()) / span;
  return Math.max(0, Math.round(initial * Math.min(1, left) * 10) / 10);
}

export async function campaignSummary(actor: Actor, campaignId: string, now = new Date()) {
  const campaign = await getCampaign(actor, campaignId);
  const [counts, snapshots] = await Promise.all([
    countCampaign(campaign, now),
    db().campaignSnapshot.findMany({ where: { campaignId }, orderBy: { day: "asc" }, select: { day: true, total: true, done: true } }),
  ]);
  const teams = counts.perTeam.length
    ? await db().team.findMany({ where: { id: { in: counts.perTeam.map((t) => t.teamId) } }, select: { id: true, name: true } })
    : [];
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const perTeam = counts.perTeam
    .map((t) => ({ ...t, teamName: teamName.get(t.teamId) ?? "(unknown team)" }))
    .sort((a, b) => b.total - b.done - (a.total - a.done) || a.teamName.localeCompare(b.teamName));

  // the burn-down: one point per stored day; an active campaign's today is read live
  const points: BurnDownPoint[] = snapshots.map((s) => ({ day: s.day.toISOString().slice(0, 10), remaining: s.total - s.done, total: s.total, done: s.done }));
  const today = utcDay(now).toISOString().slice(0, 10);
  if (campaign.status === "active") {
    const live = { day: today, remaining: counts.total - counts.done, total: counts.total, done: counts.done, live: true };
    if (points.at(-1)?.day === today) points[points.length - 1] = live;
    else points.push(live);
  }
  const initial = snapshots[0]?.total ?? counts.total;
  const burnDown = points.map((p) => ({ ...p, ideal: idealRemaining(campaign, initial, new Date(`${p.day}T00:00:00Z`)) }));

  const daysLeft = Math.ceil((campaign.deadline.getTime() - now.getTime()) / DAY_MS);
  return {
    campaign,
    counts,
    funnel: funnelOf(campaign.kind, counts),
    perTeam,
    burnDown,
    daysLeft,
    late: campaign.deadline <= now && counts.done < counts.total,
    complete: counts.total > 0 && counts.done === counts.total,
    now,
  };
}
export type CampaignSummary = Awaited<ReturnType<typeof campaignSummary>>;

export type CampaignClientsQuery = { stage?: string; team?: string; overdue?: boolean; page?: number; pageSize?: number };

export type CampaignClientRow = {
  id: string;
  clientId: string;
  name: string;
  environment: string;
  status: string;
  authMethod: string;
  ownerTeam: { id: string; name: string };
  contactEmail: string;
  stage: CampaignStage;
  overdue: boolean;
  migrationState: string;
  dualUntil: Date | null;
  firstAssertionAt: Date | null;
  secretCreatedAt: Date | null;
  lastAuthAt: Date | null;
  lastAuthMethod: string | null;
  addedAt: Date;
};

function clientConditions(campaign: CampaignView, query: CampaignClientsQuery, now: Date): Prisma.Sql[] {
  const conditions = [Prisma.sql`cc."campaignId" = ${campaign.id}`];
  if (query.stage && isStage(campaign.kind, query.stage)) conditions.push(Prisma.sql`${stageSql(campaign, now)} = ${query.stage}`);
  if (query.team) conditions.push(Prisma.sql`c."ownerTeamId" = ${query.team}`);
  if (query.overdue) conditions.push(overdueSql(campaign, now));
  return conditions;
}

type Classified = { id: string; stage: string; overdue: number | bigint | boolean; addedAt: Date | string };

/** The campaign's clients matching `where`, each with its stage and overdue flag, by name (a page of them when `limit`). */
function classified(campaign: CampaignView, where: Prisma.Sql, now: Date, limit?: { take: number; skip: number }): Promise<Classified[]> {
  return db().$queryRaw<Classified[]>(Prisma.sql`
    SELECT c."id" AS "id", ${stageSql(campaign, now)} AS "stage", CASE WHEN ${overdueSql(campaign, now)} THEN 1 ELSE 0 END AS "overdue", cc."addedAt" AS "addedAt"
    FROM "CampaignClient" cc JOIN "Client" c ON c."id" = cc."clientId"
    WHERE ${where}
    ORDER BY c."name", c."id"
    ${limit ? Prisma.sql`LIMIT ${limit.take} OFFSET ${limit.skip}` : Prisma.empty}`);
}

/** One page of the campaign's clients (by name), optionally of one stage, one team or the overdue ones. */
export async function campaignClients(actor: Actor, campaignId: string, query: CampaignClientsQuery = {}, now = new Date()) {
  const campaign = await getCampaign(actor, campaignId);
  const pageSize = query.pageSize ?? 50;
  const page = Math.max(1, query.page ?? 1);
  const where = Prisma.join(clientConditions(campaign, query, now), " AND ");
  const [ids, [{ n }]] = await Promise.all([
    classified(campaign, where, now, { take: pageSize, skip: (page - 1) * pageSize }),
    db().$queryRaw<{ n: number | bigint }[]>(Prisma.sql`
      SELECT COUNT(*) AS "n" FROM "CampaignClient" cc JOIN "Client" c ON c."id" = cc."clientId" WHERE ${where}`),
  ]);
  const rows = await loadRows(ids);
  const total = Number(n);
  return { campaign, rows, total, page, pageSize, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

const rowSelect = {
  id: true,
  clientId: true,
  name: true,
  environment: true,
  status: true,
  authMethod: true,
  contactEmail: true,
  migrationState: true,
  dualUntil: true,
  firstAssertionAt: true,
  secretCreatedAt: true,
  lastAuthAt: true,
  lastAuthMethod: true,
  ownerTeam: { select: { id: true, name: true } },
} as const;

async function loadRows(ids: Classified[]): Promise<CampaignClientRow[]> {
  if (!ids.length) return [];
  const clients = await db().client.findMany({ where: { id: { in: ids.map((r) => r.id) } }, select: rowSelect });
  const byId = new Map(clients.map((c) => [c.id, c]));
  return ids.flatMap((r) => {
    const client = byId.get(r.id);
    if (!client) return [];
    return [{ ...client, stage: r.stage as CampaignStage, overdue: Number(r.overdue) === 1 || r.overdue === true, addedAt: new Date(r.addedAt) }];
  });
}

/** Every client of the campaign with its stage, for the CSV report (by team, then name). */
export async function campaignReportRows(actor: Actor, campaignId: string, now = new Date()) {
  const campaign = await getCampaign(actor, campaignId);
  const ids = await classified(campaign, Prisma.sql`cc."campaignId" = ${campaign.id}`, now);
  const rows: CampaignClientRow[] = [];
  // loaded in slices: a cohort can hold tens of thousands of clients
  for (let i = 0; i < ids.length; i += 1000) rows.push(...(await loadRows(ids.slice(i, i + 1000))));
  rows.sort((a, b) => a.ownerTeam.name.localeCompare(b.ownerTeam.name) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { campaign, rows };
}

/** Who can own a campaign: active administrators and operators, for the owner choice on the campaign forms. */
export async function ownerCandidates(actor: Actor): Promise<{ id: string; label: string }[]> {
  assertCan(actor, "campaign.manage");
  const users = await db().user.findMany({ where: { disabledAt: null, role: { in: ["admin", "operator"] } }, select: { id: true, email: true, name: true }, orderBy: { email: "asc" } });
  return users.map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }));
}

/** The campaign's own audit entries (creation, changes, cohort additions and removals, closing), oldest first. */
export async function campaignHistory(actor: Actor, campaignId: string) {
  assertCan(actor, "audit.read");
  return db().auditEvent.findMany({
    where: { targetType: "campaign", targetId: campaignId },
    orderBy: { seq: "asc" },
    take: 500,
    select: { seq: true, at: true, actorEmail: true, action: true, details: true },
  });
}

/** The campaigns a client is in, each with the client's stage there: shown on the client's page. */
export async function clientCampaigns(actor: Actor, clientDbId: string, now = new Date()) {
  assertCan(actor, "client.read");
  const links = await db().campaignClient.findMany({
    where: { clientId: clientDbId },
    select: { campaign: { select: { id: true, name: true, kind: true, status: true, deadline: true, createdAt: true } } },
    orderBy: { campaign: { deadline: "asc" } },
    take: 50,
  });
  return Promise.all(
    links.map(async ({ campaign }) => {
      const [row] = await db().$queryRaw<{ stage: string; overdue: number | bigint | boolean }[]>(Prisma.sql`
        SELECT ${stageSql(campaign, now)} AS "stage", CASE WHEN ${overdueSql(campaign, now)} THEN 1 ELSE 0 END AS "overdue"
        FROM "Client" c WHERE c."id" = ${clientDbId}`);
      return { ...campaign, stage: row.stage as CampaignStage, overdue: Number(row.overdue) === 1 || row.overdue === true };
    }),
  );
}
