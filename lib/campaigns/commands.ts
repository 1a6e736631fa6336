// Running campaigns: create one from the client list's filters (the cohort is frozen then), change its
// name, deadline or owner, add and remove clients, close it. Every change is audited in the transaction
// that makes it. Operators run the campaigns they own or created; administrators run any.
import type { Actor } from "../auth/actor";
import { assertCan, can } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { clientListWhere, currentSecretValid, type ListContext } from "../clients/queries";
import { db, isUniqueViolation, transaction, type Prisma, type Tx } from "../db";
import { conflict, forbidden, invalid, notFound } from "../errors";
import { getSettings } from "../settings";
import { zodFields } from "../validation";
import { writeSnapshot, type CampaignCounts } from "./counts";
import { CampaignCreateSchema, CampaignUpdateSchema, ClientIdListSchema, cohortQueryOf, deadlineProblem, MAX_COHORT, parseCohortQuery, type CohortQuery } from "./schema";
import { CAMPAIGN_KIND_LABELS, type CampaignKind } from "./stages";

const DAY_MS = 86_400_000;
const MAX_REASON = 500;
/** Rows per INSERT when a cohort is frozen: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 2_000;

export type CampaignRow = Prisma.CampaignGetPayload<{ select: typeof campaignSelect }>;
export const campaignSelect = {
  id: true,
  name: true,
  description: true,
  kind: true,
  rotateOlderThanDays: true,
  ownerId: true,
  deadline: true,
  cohortQuery: true,
  status: true,
  createdAt: true,
  createdById: true,
  closedAt: true,
  closedById: true,
} as const;

const target = (c: { id: string; name: string }) => ({ type: "campaign", id: c.id, name: c.name });

/**
 * The clients a new campaign takes from the list's filters: those the list shows, minus those with
 * nothing to do. A migration leaves out clients already on private_key_jwt; a rotation takes only clients
 * whose current secret is valid and older than its age.
 */
export function cohortWhere(kind: CampaignKind, query: CohortQuery, rotateOlderThanDays: number | undefined, now: Date, context: ListContext): Prisma.ClientWhereInput {
  const listed = clientListWhere({ ...query, sort: "name", dir: "asc", page: 1, pageSize: 25 }, now, context);
  if (kind === "migration") return { AND: [listed, { migrationState: { not: "private_key_jwt" } }] };
  return { AND: [listed, { secretCreatedAt: { lt: new Date(now.getTime() - (rotateOlderThanDays ?? 0) * DAY_MS) } }, currentSecretValid(now)] };
}

async function listContext(query: CohortQuery): Promise<ListContext> {
  return query.jwks ? { jwksMaxStalenessHours: (await getSettings())["jwks.maxStalenessHours"] } : {};
}

export type CohortPreview = { matching: number; cohort: number; leftOut: number; tooLarge: boolean };

/** How many clients the filters list, and how many a campaign of this kind would take: shown before creating. */
export async function previewCohort(actor: Actor, kind: CampaignKind, filters: Record<string, unknown>, rotateOlderThanDays?: number, now = new Date()): Promise<CohortPreview> {
  assertCan(actor, "client.read");
  const query = parseCohortQuery(filters);
  const context = await listContext(query);
  const [matching, cohort] = await Promise.all([
    db().client.count({ where: clientListWhere({ ...query, sort: "name", dir: "asc", page: 1, pageSize: 25 }, now, context) }),
    kind === "rotation" && !rotateOlderThanDays ? Promise.resolve(0) : db().client.count({ where: cohortWhere(kind, query, rotateOlderThanDays, now, context) }),
  ]);
  return { matching, cohort, leftOut: matching - cohort, tooLarge: cohort > MAX_COHORT };
}

/** An active administrator or operator: the person answerable for the campaign. */
async function requireOwner(tx: Tx, ownerId: string): Promise<{ id: string; email: string }> {
  const owner = await tx.user.findUnique({ where: { id: ownerId }, select: { id: true, email: true, role: true, disabledAt: true } });
  if (!owner || owner.disabledAt) throw invalid("The owner is not an active user.", { ownerId: "Choose an active user" });
  if (owner.role !== "admin" && owner.role !== "operator") throw invalid("A campaign's owner is an administrator or an operator: auditors change nothing.", { ownerId: "Choose an administrator or an operator" });
  return owner;
}

type Managed = { ownerId: string; createdById: string | null };

/** Administrators run every campaign; operators the ones they own or created. */
export function canManageCampaign(actor: Actor, campaign: Managed): boolean {
  if (!can(actor, "campaign.manage")) return false;
  return actor.type === "system" || actor.role === "admin" || campaign.ownerId === actor.id || campaign.createdById === actor.id;
}

function assertManages(actor: Actor, campaign: Managed): void {
  assertCan(actor, "campaign.manage");
  if (!canManageCampaign(actor, campaign)) throw forbidden("Only the campaign's owner, its creator and administrators change a campaign.");
}

async function openCampaign(tx: Tx, actor: Actor, campaignId: string): Promise<CampaignRow> {
  const campaign = await tx.campaign.findUnique({ where: { id: campaignId }, select: campaignSelect });
  if (!campaign) throw notFound("The campaign");
  assertManages(actor, campaign);
  if (campaign.status === "closed") throw conflict("The campaign is closed: it no longer changes.");
  return campaign;
}

function nameTaken(error: unknown): never {
  if (isUniqueViolation(error)) throw conflict("A campaign with this name exists already.", { name: "Choose another name" });
  throw error;
}

/**
 * Creates a campaign over the clients the filters list now (the cohort is frozen: clients matching the
 * filters later are not added by themselves). The first burn-down point is recorded at once.
 */
export async function createCampaign(actor: Actor, input: unknown, filters: Record<string, unknown>, now = new Date()): Promise<{ campaign: CampaignRow; counts: CampaignCounts; leftOut: number }> {
  assertCan(actor, "campaign.manage");
  const parsed = CampaignCreateSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  const data = parsed.data;
  const problem = deadlineProblem(data.deadline, now);
  if (problem) throw invalid(`${problem}.`, { deadline: problem });
  const query = parseCohortQuery(filters);
  const context = await listContext(query);
  const ownerId = data.ownerId ?? (actor.type === "user" ? actor.id : undefined);
  if (!ownerId) throw invalid("Name the campaign's owner.", { ownerId: "Required" });
  try {
    return await transaction(
      async (tx) => {
        const owner = await requireOwner(tx, ownerId);
        if (await tx.campaign.findUnique({ where: { name: data.name }, select: { id: true } })) throw conflict("A campaign with this name exists already.", { name: "Choose another name" });
        const where = cohortWhere(data.kind, query, data.rotateOlderThanDays, now, context);
        const [ids, matching] = await Promise.all([
          tx.client.findMany({ where, select: { id: true }, orderBy: { id: "asc" }, take: MAX_COHORT + 1 }),
          tx.client.count({ where: clientListWhere({ ...query, sort: "name", dir: "asc", page: 1, pageSize: 25 }, now, context) }),
        ]);
        if (ids.length === 0) {
          throw invalid(
            matching === 0
              ? "No client matches these filters: the cohort would be empty."
              : data.kind === "migration"
                ? `The ${matching} matching client${matching === 1 ? " uses" : "s use"} private_key_jwt already: nothing to migrate.`
                : `None of the ${matching} matching clients has a valid secret older than ${data.rotateOlderThanDays} days: nothing to rotate.`,
            { cohort: "Empty cohort" },
          );
        }
        if (ids.length > MAX_COHORT) throw invalid(`The filters match more than ${MAX_COHORT.toLocaleString("en")} clients: narrow them (by team or environment) and run several campaigns.`, { cohort: "Too many clients" });
        const campaign = await tx.campaign.create({
          data: {
            name: data.name,
            description: data.description,
            kind: data.kind,
            rotateOlderThanDays: data.kind === "rotation" ? data.rotateOlderThanDays! : null,
            ownerId: owner.id,
            deadline: data.deadline,
            cohortQuery: JSON.stringify(cohortQueryOf(query)),
            createdAt: now,
            createdById: actor.type === "user" ? actor.id : null,
          },
          select: campaignSelect,
        });
        for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
          await tx.campaignClient.createMany({ data: ids.slice(i, i + INSERT_CHUNK).map(({ id }) => ({ campaignId: campaign.id, clientId: id, addedAt: now })) });
        }
        const counts = await writeSnapshot(campaign, now, tx);
        await appendAudit(tx, actor, {
          action: "campaign.create",
          target: target(campaign),
          details: {
            kind: data.kind,
            goal: CAMPAIGN_KIND_LABELS[data.kind],
            ...(data.kind === "rotation" ? { rotateOlderThanDays: data.rotateOlderThanDays } : {}),
            deadline: data.deadline.toISOString(),
            owner: owner.email,
            filters: cohortQueryOf(query),
            cohort: ids.length,
            leftOut: matching - ids.length,
            done: counts.done,
          },
        });
        return { campaign, counts, leftOut: matching - ids.length };
      },
      { timeoutMs: 120_000 },
    );
  } catch (error) {
    return nameTaken(error);
  }
}

/** Renames a campaign, or changes its description, deadline or owner; the audit entry lists what changed. */
export async function updateCampaign(actor: Actor, campaignId: string, input: unknown, now = new Date()): Promise<CampaignRow> {
  const parsed = CampaignUpdateSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  const data = parsed.data;
  try {
    return await transaction(async (tx) => {
      const campaign = await openCampaign(tx, actor, campaignId);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const update: Prisma.CampaignUpdateInput = {};
      if (data.name !== undefined && data.name !== campaign.name) {
        changes.name = { from: campaign.name, to: data.name };
        update.name = data.name;
      }
      if (data.description !== undefined && data.description !== campaign.description) {
        changes.description = { from: campaign.description, to: data.description };
        update.description = data.description;
      }
      if (data.deadline !== undefined && data.deadline.getTime() !== campaign.deadline.getTime()) {
        const problem = deadlineProblem(data.deadline, now);
        if (problem) throw invalid(`${problem}.`, { deadline: problem });
        changes.deadline = { from: campaign.deadline.toISOString(), to: data.deadline.toISOString() };
        update.deadline = data.deadline;
      }
      if (data.ownerId !== undefined && data.ownerId !== campaign.ownerId) {
        const [before, after] = await Promise.all([tx.user.findUnique({ where: { id: campaign.ownerId }, select: { email: true } }), requireOwner(tx, data.ownerId)]);
        changes.owner = { from: before?.email ?? campaign.ownerId, to: after.email };
        update.owner = { connect: { id: after.id } };
      }
      if (Object.keys(changes).length === 0) return campaign;
      const updated = await tx.campaign.update({ where: { id: campaign.id }, data: update, select: campaignSelect });
      await appendAudit(tx, actor, { action: "campaign.update", target: target(updated), details: { changes } });
      return updated;
    });
  } catch (error) {
    return nameTaken(error);
  }
}

export type AddResult = { added: string[]; already: string[]; unknown: string[] };

/**
 * Adds clients by client_id. Unknown or deleted client_ids refuse the whole request (nothing is added,
 * and the message names them); clients already in the cohort are reported, not an error.
 */
export async function addCampaignClients(actor: Actor, campaignId: string, clientIds: unknown, now = new Date()): Promise<AddResult> {
  const parsed = ClientIdListSchema.safeParse(clientIds);
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? "Give the client_ids to add.", { clientIds: parsed.error.issues[0]?.message ?? "Invalid" });
  const wanted = [...new Set(parsed.data)];
  return transaction(async (tx) => {
    const campaign = await openCampaign(tx, actor, campaignId);
    const clients = await tx.client.findMany({ where: { clientId: { in: wanted }, status: { not: "deleted" } }, select: { id: true, clientId: true } });
    const found = new Map(clients.map((c) => [c.clientId, c.id]));
    const unknown = wanted.filter((id) => !found.has(id));
    if (unknown.length) {
      const shown = unknown.slice(0, 5).join(", ") + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : "");
      throw invalid(`No client with client_id ${shown}: nothing was added.`, { clientIds: `Unknown: ${shown}` });
    }
    const present = new Set(
      (await tx.campaignClient.findMany({ where: { campaignId: campaign.id, clientId: { in: [...found.values()] } }, select: { clientId: true } })).map((r) => r.clientId),
    );
    const added = wanted.filter((id) => !present.has(found.get(id)!));
    const already = wanted.filter((id) => present.has(found.get(id)!));
    if (added.length) {
      await tx.campaignClient.createMany({ data: added.map((id) => ({ campaignId: campaign.id, clientId: found.get(id)!, addedAt: now })) });
      const counts = await writeSnapshot(campaign, now, tx);
      await appendAudit(tx, actor, { action: "campaign.add_clients", target: target(campaign), details: { clientIds: added, cohort: counts.total } });
    }
    return { added, already, unknown: [] };
  });
}

/** Removes one client from the cohort, with an optional reason kept in the audit trail. */
export async function removeCampaignClient(actor: Actor, campaignId: string, clientId: string, reason?: string, now = new Date()): Promise<void> {
  const why = reason?.trim() ?? "";
  if (why.length > MAX_REASON) throw invalid(`The reason is longer than ${MAX_REASON} characters.`, { reason: `At most ${MAX_REASON} characters` });
  await transaction(async (tx) => {
    const campaign = await openCampaign(tx, actor, campaignId);
    const client = await tx.client.findUnique({ where: { clientId }, select: { id: true, clientId: true, name: true } });
    const removed = client ? await tx.campaignClient.deleteMany({ where: { campaignId: campaign.id, clientId: client.id } }) : { count: 0 };
    if (!client || removed.count === 0) throw notFound("The client in this campaign");
    const counts = await writeSnapshot(campaign, now, tx);
    await appendAudit(tx, actor, { action: "campaign.remove_client", target: target(campaign), details: { clientId: client.clientId, clientName: client.name, reason: why || null, cohort: counts.total } });
  });
}

/** Closes a campaign (done, or called off): its figures stay readable, it no longer changes. */
export async function closeCampaign(actor: Actor, campaignId: string, reason?: string, now = new Date()): Promise<CampaignRow> {
  const why = reason?.trim() ?? "";
  if (why.length > MAX_REASON) throw invalid(`The reason is longer than ${MAX_REASON} characters.`, { reason: `At most ${MAX_REASON} characters` });
  return transaction(async (tx) => {
    const campaign = await openCampaign(tx, actor, campaignId);
    // the last burn-down point is the state it was closed in
    const counts = await writeSnapshot(campaign, now, tx);
    const closed = await tx.campaign.updateMany({ where: { id: campaign.id, status: "active" }, data: { status: "closed", closedAt: now, closedById: actor.type === "user" ? actor.id : null } });
    if (closed.count === 0) throw conflict("The campaign was closed meanwhile.");
    await appendAudit(tx, actor, {
      action: "campaign.close",
      target: target(campaign),
      details: { reason: why || null, total: counts.total, done: counts.done, outstanding: counts.total - counts.done, overdue: counts.overdue },
    });
    return tx.campaign.findUniqueOrThrow({ where: { id: campaign.id }, select: campaignSelect });
  });
}

/** Today's burn-down point of every active campaign: the scheduler's job, safe to run anywhere, any number of times. */
export async function snapshotActiveCampaigns(now = new Date()): Promise<number> {
  const campaigns = await db().campaign.findMany({ where: { status: "active" }, select: { id: true, kind: true, createdAt: true, deadline: true } });
  for (const campaign of campaigns) {
    try {
      await writeSnapshot(campaign, now);
    } catch (error) {
      // two instances creating the same day's row at once: the other one's figures are as good
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return campaigns.length;
}
