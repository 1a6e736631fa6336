// Campaign input: one schema per concept, shared by the console form and the REST API, so the rules
// and the messages are the same everywhere.
import { z } from "zod";
import { AGE_BUCKETS, ClientListQuerySchema, type ClientListQuery } from "../clients/schema";
import { CAMPAIGN_KINDS } from "./stages";

const DAY_MS = 86_400_000;
/** A campaign runs for at most two years: a longer drive is a policy, not a campaign. */
export const MAX_CAMPAIGN_DAYS = 730;
/** The largest cohort one campaign takes: a bigger one is several campaigns (by team or environment). */
export const MAX_COHORT = 50_000;

/** The client list's filters a cohort can be taken from (everything but sorting and paging). */
export const COHORT_FILTERS = [
  "q", "environment", "team", "method", "status", "age", "expiring", "migration", "olderThan", "unused", "onSecret",
  "external", "keysExpiring", "keysUnused", "retiringInUse", "jwks", "breakGlass",
] as const;
export type CohortFilter = (typeof COHORT_FILTERS)[number];
export type CohortQuery = Partial<Pick<ClientListQuery, CohortFilter>>;

/** The filters of a client-list query, without the ones left empty. */
export function cohortQueryOf(query: Partial<ClientListQuery>): CohortQuery {
  const out: Record<string, unknown> = {};
  for (const key of COHORT_FILTERS) if (query[key] !== undefined && query[key] !== "") out[key] = query[key];
  return out as CohortQuery;
}

/** Parses stored or submitted filters the way the client list reads its query string. */
export function parseCohortQuery(raw: Record<string, unknown>): CohortQuery {
  return cohortQueryOf(ClientListQuerySchema.parse(raw));
}

/** The client-list URL that shows the filters a cohort was taken from (or another page taking them, e.g. /campaigns/new). */
export function cohortHref(query: CohortQuery, path = "/clients"): string {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The filters in words, for the campaign page and the report: "environment production · method client_secret_basic". */
export function describeCohortQuery(query: CohortQuery, teamName: (id: string) => string | undefined): string[] {
  const parts: string[] = [];
  if (query.q) parts.push(`matching "${query.q}"`);
  if (query.environment) parts.push(`environment ${query.environment}`);
  if (query.team) parts.push(`owner team ${teamName(query.team) ?? query.team}`);
  if (query.method) parts.push(`method ${query.method}`);
  if (query.status) parts.push(`status ${query.status}`);
  if (query.age) parts.push(`secret age ${AGE_BUCKETS.find((b) => b.id === query.age)?.label ?? query.age}`);
  if (query.expiring) parts.push(`secret expiring within ${query.expiring} days`);
  if (query.migration) parts.push(`migration ${query.migration === "overdue" ? "overdue" : query.migration}`);
  if (query.olderThan) parts.push(`secret older than ${query.olderThan} days`);
  if (query.unused) parts.push(`a secret unused for ${query.unused} days`);
  if (query.onSecret) parts.push("on a secret method");
  if (query.external) parts.push("an imported secret");
  if (query.keysExpiring) parts.push(`a key expiring within ${query.keysExpiring} days`);
  if (query.keysUnused) parts.push(`a key unused for ${query.keysUnused} days`);
  if (query.retiringInUse) parts.push(`a retiring key used within ${query.retiringInUse} days`);
  if (query.jwks) parts.push(`jwks_uri ${query.jwks}`);
  if (query.breakGlass) parts.push("a live break-glass secret");
  return parts;
}

const deadlineSchema = z.preprocess(
  (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? new Date(`${v.trim()}T23:59:59.999Z`) : typeof v === "string" && v.trim() ? new Date(v) : v),
  z.date({ error: "Enter the deadline as a date (YYYY-MM-DD)" }).refine((d) => !Number.isNaN(d.getTime()), "Enter the deadline as a date (YYYY-MM-DD)"),
);

/** A deadline in the future, at most MAX_CAMPAIGN_DAYS ahead: the message names the field's problem. */
export function deadlineProblem(deadline: Date, now: Date): string | null {
  if (deadline <= now) return "The deadline must be in the future";
  if (deadline.getTime() > now.getTime() + MAX_CAMPAIGN_DAYS * DAY_MS) return `The deadline is at most ${MAX_CAMPAIGN_DAYS} days ahead`;
  return null;
}

const name = z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(120, "Name is at most 120 characters");
const description = z.string().trim().max(2000, "Description is at most 2000 characters");
const ownerId = z.string().trim().max(64).optional().transform((v) => (v ? v : undefined));

export const CampaignCreateSchema = z
  .object({
    name,
    description: description.default(""),
    kind: z.enum(CAMPAIGN_KINDS, { error: "Choose a migration to private_key_jwt or a rotation of old secrets" }),
    rotateOlderThanDays: z.preprocess(
      (v) => (v === "" || v === null ? undefined : typeof v === "string" ? Number(v) : v),
      z.number({ error: "Enter a whole number of days" }).int("Enter a whole number of days").min(1, "At least 1 day").max(3650, "At most 3650 days").optional(),
    ),
    deadline: deadlineSchema,
    ownerId,
  })
  .superRefine((value, ctx) => {
    if (value.kind === "rotation" && value.rotateOlderThanDays === undefined) {
      ctx.addIssue({ code: "custom", path: ["rotateOlderThanDays"], message: "A rotation campaign needs the age, in days, above which secrets must be rotated" });
    }
    if (value.kind === "migration" && value.rotateOlderThanDays !== undefined) {
      ctx.addIssue({ code: "custom", path: ["rotateOlderThanDays"], message: "Only a rotation campaign has a secret age" });
    }
  });

export const CampaignUpdateSchema = z.object({ name: name.optional(), description: description.optional(), deadline: deadlineSchema.optional(), ownerId });

/** Client ids typed one per line (or separated by spaces or commas), as the add form and the API take them. */
export const ClientIdListSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
  z.array(z.string().min(1).max(255), { error: "Give the client_ids as a list" }).min(1, "Enter at least one client_id").max(1000, "At most 1000 client_ids at a time"),
);
