import { apiCloseCampaign } from "@/lib/api/campaigns";
import { apiRoute, json, optionalJsonBody } from "../../../_lib/route";

type P = { campaignId: string };

/** Closes the campaign: its figures stay readable, it no longer changes. */
export const POST = apiRoute<P>(async ({ actor, request, params }) => json(await apiCloseCampaign(actor, params.campaignId, await optionalJsonBody(request))));
