// REST operations on campaigns: the same domain commands and queries as the console's campaign pages.
import type { UserActor } from "../auth/actor";
import { addCampaignClients, closeCampaign, createCampaign, removeCampaignClient, updateCampaign } from "../campaigns/commands";
import { campaignClients, campaignSummary, getCampaign, listCampaigns } from "../campaigns/queries";
import { COHORT_FILTERS, cohortQueryOf } from "../campaigns/schema";
import { isStage } from "../campaigns/stages";
import { invalid, malformed } from "../errors";
import { onlyFields, optionalString } from "./body";
import { campaignClientResource, campaignListItem, campaignResource } from "./campaign-resources";
import { strictClientQuery } from "./clients";
import { camelKeys, toSnake } from "./resources";

const FILTER_NAMES = COHORT_FILTERS.map(toSnake);

function unknownParams(search: URLSearchParams, allowed: readonly string[]): void {
  const unknown = [...new Set(search.keys())].filter((k) => !allowed.includes(k));
  if (unknown.length) throw invalid(`Unknown query parameter ${unknown.map((k) => `"${k}"`).join(", ")}.`, Object.fromEntries(unknown.map((k) => [k, "Unknown parameter"])));
}

export async function apiListCampaigns(actor: UserActor, search: URLSearchParams) {
  unknownParams(search, ["status"]);
  const status = search.get("status");
  if (status !== null && status !== "active" && status !== "closed") throw invalid("status is active or closed.", { status: `Invalid value "${status}"` });
  return { data: (await listCampaigns(actor, status ? { status } : {})).map(campaignListItem) };
}

/** The cohort's filters, named as GET /clients takes them and checked as strictly. */
function cohortFilters(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!value || typeof value !== "object" || Array.isArray(value)) throw invalid("filters must be an object of client-list filters.", { filters: "Not an object" });
  const raw = value as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !FILTER_NAMES.includes(k));
  if (unknown.length) throw invalid(`Unknown filter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}.`, Object.fromEntries(unknown.map((k) => [`filters.${k}`, "Unknown filter"])));
  const query = strictClientQuery(camelKeys(raw), "Some filters are not valid.");
  return cohortQueryOf(query);
}

export async function apiCreateCampaign(actor: UserActor, body: Record<string, unknown>) {
  onlyFields(body, ["name", "description", "kind", "rotate_older_than_days", "deadline", "owner_id", "filters"]);
  const { filters, ...rest } = body;
  const { campaign } = await createCampaign(actor, camelKeys(rest), cohortFilters(filters));
  return campaignResource(await campaignSummary(actor, campaign.id));
}

export async function apiGetCampaign(actor: UserActor, campaignId: string) {
  return campaignResource(await campaignSummary(actor, campaignId));
}

export async function apiUpdateCampaign(actor: UserActor, campaignId: string, body: Record<string, unknown>) {
  onlyFields(body, ["name", "description", "deadline", "owner_id"]);
  await updateCampaign(actor, campaignId, camelKeys(body));
  return campaignResource(await campaignSummary(actor, campaignId));
}

export async function apiCloseCampaign(actor: UserActor, campaignId: string, body: Record<string, unknown>) {
  onlyFields(body, ["reason"]);
  await closeCampaign(actor, campaignId, optionalString(body, "reason"));
  return campaignResource(await campaignSummary(actor, campaignId));
}

const PAGE_SIZES = [25, 50, 100];

export async function apiCampaignClients(actor: UserActor, campaignId: string, search: URLSearchParams) {
  unknownParams(search, ["stage", "team", "overdue", "page", "page_size"]);
  const fields: Record<string, string> = {};
  const stage = search.get("stage") ?? undefined;
  const overdue = search.get("overdue");
  const page = search.has("page") ? Number(search.get("page")) : 1;
  const pageSize = search.has("page_size") ? Number(search.get("page_size")) : 50;
  if (overdue !== null && overdue !== "1" && overdue !== "true") fields.overdue = `Invalid value "${overdue}": 1 or true`;
  if (!Number.isInteger(page) || page < 1) fields.page = "A whole number from 1";
  if (!PAGE_SIZES.includes(pageSize)) fields.page_size = "25, 50 or 100";
  if (Object.keys(fields).length) throw invalid("Some query parameters are not valid.", fields);
  const campaign = await getCampaign(actor, campaignId);
  if (stage !== undefined && !isStage(campaign.kind, stage)) throw invalid(`"${stage}" is not a stage of a ${campaign.kind} campaign.`, { stage: `Invalid value "${stage}"` });
  const result = await campaignClients(actor, campaignId, { stage, team: search.get("team") ?? undefined, overdue: overdue !== null, page, pageSize });
  return { data: result.rows.map(campaignClientResource), page: result.page, page_size: result.pageSize, total: result.total };
}

export async function apiAddCampaignClients(actor: UserActor, campaignId: string, body: Record<string, unknown>) {
  onlyFields(body, ["client_ids"]);
  if (!Array.isArray(body.client_ids) || body.client_ids.some((id) => typeof id !== "string")) throw invalid("client_ids must be a list of client_id strings.", { client_ids: "A list of strings" });
  const result = await addCampaignClients(actor, campaignId, body.client_ids);
  return { added: result.added, already: result.already };
}

export async function apiRemoveCampaignClient(actor: UserActor, campaignId: string, clientId: string, body: Record<string, unknown>) {
  onlyFields(body, ["reason"]);
  if (!clientId) throw malformed("No client_id in the path.");
  await removeCampaignClient(actor, campaignId, clientId, optionalString(body, "reason"));
}
