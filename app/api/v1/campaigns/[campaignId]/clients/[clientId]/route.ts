import { apiRemoveCampaignClient } from "@/lib/api/campaigns";
import { apiRoute, optionalJsonBody } from "../../../../_lib/route";

type P = { campaignId: string; clientId: string };

/** Removes one client from the cohort; an optional { reason } is kept in the audit trail. */
export const DELETE = apiRoute<P>(async ({ actor, request, params }) => {
  await apiRemoveCampaignClient(actor, params.campaignId, params.clientId, await optionalJsonBody(request));
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});
