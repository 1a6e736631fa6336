import { apiBreakGlass } from "@/lib/api/migration";
import { apiRoute, json, jsonBody } from "../../../../_lib/route";

type P = { clientId: string };

/** An emergency secret for a finalised client whose keys are lost (administrators; returned once). */
export const POST = apiRoute<P>(async ({ actor, request, params }) => json(await apiBreakGlass(actor, params.clientId, await jsonBody(request)), 201));
