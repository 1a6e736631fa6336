import { apiGetJwksUri, apiLinkJwksUri, apiUnlinkJwksUri } from "@/lib/api/keys";
import { apiRoute, json, jsonBody } from "../../../_lib/route";

type P = { clientId: string };

export const GET = apiRoute<P>(async ({ actor, params }) => json(await apiGetJwksUri(actor, params.clientId)));

/** Links the jwks_uri (fetched and checked first). */
export const PUT = apiRoute<P>(async ({ actor, request, params }) => json(await apiLinkJwksUri(actor, params.clientId, await jsonBody(request))));

/** Unlinks it; its keys are retired at once. */
export const DELETE = apiRoute<P>(async ({ actor, params }) => {
  await apiUnlinkJwksUri(actor, params.clientId);
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});
