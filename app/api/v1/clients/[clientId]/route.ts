import { apiDeleteClient, apiGetClient, apiUpdateClient } from "@/lib/api/clients";
import { apiRoute, json, jsonBody } from "../../_lib/route";

type P = { clientId: string };

export const GET = apiRoute<P>(async ({ actor, params }) => json(await apiGetClient(actor, params.clientId)));

export const PATCH = apiRoute<P>(async ({ actor, request, params }) => json(await apiUpdateClient(actor, params.clientId, await jsonBody(request))));

export const DELETE = apiRoute<P>(async ({ actor, params }) => {
  await apiDeleteClient(actor, params.clientId);
  return new Response(null, { status: 204 });
});
