import { apiCreateCampaign, apiListCampaigns } from "@/lib/api/campaigns";
import { apiRoute, json, jsonBody } from "../_lib/route";

/** Campaigns with their live progress, active ones first. */
export const GET = apiRoute(async ({ actor, request }) => json(await apiListCampaigns(actor, new URL(request.url).searchParams)));

/** Creates a campaign over the clients the filters list now. */
export const POST = apiRoute(async ({ actor, request }) => json(await apiCreateCampaign(actor, await jsonBody(request)), 201));
