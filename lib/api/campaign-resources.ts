// The REST API's campaign shapes (snake_case JSON), zod schemas like lib/api/resources.ts: the OpenAPI
// document and the serializers below come from the same definitions.
import { z } from "zod";
import type { CampaignClientRow, CampaignListItem, CampaignSummary, CampaignView } from "../campaigns/queries";
import { CAMPAIGN_KINDS, MIGRATION_STAGES, ROTATION_STAGES, type CampaignStage } from "../campaigns/stages";
import { ClientListParams, TeamRef, toSnake } from "./resources";

const timestamp = z.string().meta({ format: "date-time" });
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const STAGE_VALUES = [...new Set([...MIGRATION_STAGES, ...ROTATION_STAGES])] as [CampaignStage, ...CampaignStage[]];

const FILTER_PARAMS = Object.fromEntries(Object.entries(ClientListParams).filter(([k]) => !["sort", "dir", "page", "page_size"].includes(k)));

export const CohortFilters = z.object(FILTER_PARAMS).partial().meta({ id: "CohortFilters", description: "the client list's filters (as GET /clients takes them)" });

const stageCounts = z.partialRecord(z.enum(STAGE_VALUES), z.number().int()).describe("clients per stage now (a migration: not_started, keys_registered, dual, assertions_seen, finalised, deleted; a rotation: pending, rotated, deleted)");

const progress = z.object({ total: z.number().int(), done: z.number().int(), overdue: z.number().int() });

export const CampaignItem = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    kind: z.enum(CAMPAIGN_KINDS).describe("migration: move the cohort to private_key_jwt; rotation: rotate every secret older than rotate_older_than_days"),
    rotate_older_than_days: z.number().int().nullable(),
    owner: z.object({ id: z.string(), email: z.string() }),
    deadline: timestamp,
    status: z.enum(["active", "closed"]),
    cohort_filters: z.record(z.string(), z.union([z.string(), z.number()])).describe("the client-list filters the cohort was taken from, frozen at creation"),
    created_at: timestamp,
    created_by: z.string().nullable(),
    closed_at: timestamp.nullable(),
    progress,
  })
  .meta({ id: "CampaignItem" });

export const Campaign = CampaignItem.extend({
  progress: progress.extend({ stages: stageCounts }),
  complete: z.boolean().describe("every client of the cohort is done"),
  late: z.boolean().describe("the deadline has passed with clients not done"),
  funnel: z.array(z.object({ stage: z.enum(STAGE_VALUES), reached: z.number().int().describe("clients at this stage or a later one") })),
  per_team: z.array(z.object({ team: TeamRef, total: z.number().int(), done: z.number().int(), overdue: z.number().int(), stages: stageCounts })),
  burn_down: z.array(
    z.object({
      day: z.string().meta({ format: "date" }),
      remaining: z.number().int(),
      total: z.number().int(),
      done: z.number().int(),
      ideal: z.number().describe("clients left on a straight line from the cohort at creation to none at the deadline"),
      live: z.boolean().describe("today, read now (not yet a stored snapshot)"),
    }),
  ),
}).meta({ id: "Campaign" });

export const CampaignCreateBody = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    kind: z.enum(CAMPAIGN_KINDS),
    rotate_older_than_days: z.number().int().min(1).max(3650).optional().describe("rotation campaigns: secrets older than this many days"),
    deadline: z.string().describe("a date (YYYY-MM-DD, the end of that day UTC) or an ISO 8601 date-time, at most 730 days ahead"),
    owner_id: z.string().optional().describe("an active administrator or operator; default: the token's user"),
    filters: CohortFilters.optional().describe("the cohort: the clients GET /clients lists with these filters now; none: every listed client"),
  })
  .meta({ id: "CampaignCreate" });

export const CampaignUpdateBody = z
  .object({ name: z.string(), description: z.string(), deadline: z.string().describe("a date or an ISO 8601 date-time"), owner_id: z.string() })
  .partial()
  .meta({ id: "CampaignUpdate" });

export const CampaignClient = z
  .object({
    client_id: z.string(),
    name: z.string(),
    environment: z.string(),
    status: z.enum(["active", "disabled", "deleted"]),
    owner_team: TeamRef,
    stage: z.enum(STAGE_VALUES),
    overdue: z.boolean(),
    auth_method: z.string(),
    migration_state: z.string(),
    dual_until: timestamp.nullable(),
    first_assertion_at: timestamp.nullable(),
    secret_created_at: timestamp.nullable(),
    last_authenticated_at: timestamp.nullable(),
    added_at: timestamp,
  })
  .meta({ id: "CampaignClient" });

export const CampaignClientPage = z
  .object({ data: z.array(CampaignClient), page: z.number().int(), page_size: z.number().int(), total: z.number().int() })
  .meta({ id: "CampaignClientPage" });

export const CampaignClientsAdd = z.object({ client_ids: z.array(z.string()).min(1).max(1000) }).meta({ id: "CampaignClientsAdd" });
export const CampaignClientsAdded = z
  .object({ added: z.array(z.string()), already: z.array(z.string()).describe("in the campaign before: nothing changed for them") })
  .meta({ id: "CampaignClientsAdded" });
export const CampaignReason = z.object({ reason: z.string().optional().describe("kept in the audit trail") }).meta({ id: "CampaignReason" });

export const CAMPAIGN_SCHEMAS = {
  CohortFilters,
  CampaignItem,
  Campaign,
  CampaignCreate: CampaignCreateBody,
  CampaignUpdate: CampaignUpdateBody,
  CampaignClient,
  CampaignClientPage,
  CampaignClientsAdd,
  CampaignClientsAdded,
  CampaignReason,
};

const snakeFilters = (query: Record<string, unknown>) => Object.fromEntries(Object.entries(query).map(([k, v]) => [toSnake(k), v as string | number]));

export function campaignItem(c: CampaignView, counts: { total: number; done: number; overdue: number }): z.infer<typeof CampaignItem> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    kind: c.kind,
    rotate_older_than_days: c.rotateOlderThanDays,
    owner: { id: c.owner.id, email: c.owner.email },
    deadline: c.deadline.toISOString(),
    status: c.status as "active" | "closed",
    cohort_filters: snakeFilters(c.cohort),
    created_at: c.createdAt.toISOString(),
    created_by: c.createdBy,
    closed_at: iso(c.closedAt),
    progress: { total: counts.total, done: counts.done, overdue: counts.overdue },
  };
}

export const campaignListItem = (c: CampaignListItem) => campaignItem(c, c.counts);

export function campaignResource(s: CampaignSummary): z.infer<typeof Campaign> {
  return {
    ...campaignItem(s.campaign, s.counts),
    progress: { total: s.counts.total, done: s.counts.done, overdue: s.counts.overdue, stages: s.counts.stages },
    complete: s.complete,
    late: s.late,
    funnel: s.funnel,
    per_team: s.perTeam.map((t) => ({ team: { id: t.teamId, name: t.teamName }, total: t.total, done: t.done, overdue: t.overdue, stages: t.stages })),
    burn_down: s.burnDown.map((p) => ({ day: p.day, remaining: p.remaining, total: p.total, done: p.done, ideal: p.ideal, live: p.live ?? false })),
  };
}

export function campaignClientResource(r: CampaignClientRow): z.infer<typeof CampaignClient> {
  return {
    client_id: r.clientId,
    name: r.name,
    environment: r.environment,
    status: r.status as "active" | "disabled" | "deleted",
    owner_team: r.ownerTeam,
    stage: r.stage,
    overdue: r.overdue,
    auth_method: r.authMethod,
    migration_state: r.migrationState,
    dual_until: iso(r.dualUntil),
    first_assertion_at: iso(r.firstAssertionAt),
    secret_created_at: iso(r.secretCreatedAt),
    last_authenticated_at: iso(r.lastAuthAt),
    added_at: r.addedAt.toISOString(),
  };
}
