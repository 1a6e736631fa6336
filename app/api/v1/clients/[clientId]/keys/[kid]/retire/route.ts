import { apiRetireKey } from "@/lib/api/keys";
import { apiRoute, json, jsonBody } from "../../../../../_lib/route";

type P = { clientId: string; kid: string };

/** Retires a key on a date, or now (with a reason) when it is compromised. */
export const POST = apiRoute<P>(async ({ actor, request, params }) => json(await apiRetireKey(actor, params.clientId, params.kid, await jsonBody(request))));
