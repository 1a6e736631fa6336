import { apiGetCampaign, apiUpdateCampaign } from "@/lib/api/campaigns";
import { apiRoute, json, jsonBody } from "../../_lib/route";

type P = { campaignId: string };

/** One campaign: progress per stage, funnel, per-team counts and burn-down. */
export const GET = apiRoute<P>(async ({ actor, params }) => json(await apiGetCampaign(actor, params.campaignId)));

/** Renames it, or changes its description, deadline or owner. */
export const PATCH = apiRoute<P>(async ({ actor, request, params }) => json(await apiUpdateCampaign(actor, params.campaignId, await jsonBody(request))));
