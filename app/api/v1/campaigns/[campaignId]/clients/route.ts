import { apiAddCampaignClients, apiCampaignClients } from "@/lib/api/campaigns";
import { apiRoute, json, jsonBody } from "../../../_lib/route";

type P = { campaignId: string };

/** The campaign's clients with their stage, by name, a page at a time. */
export const GET = apiRoute<P>(async ({ actor, request, params }) => json(await apiCampaignClients(actor, params.campaignId, new URL(request.url).searchParams)));

/** Adds clients by client_id (all or none). */
export const POST = apiRoute<P>(async ({ actor, request, params }) => json(await apiAddCampaignClients(actor, params.campaignId, await jsonBody(request))));
