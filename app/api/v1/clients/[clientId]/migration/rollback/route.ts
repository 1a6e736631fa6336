import { apiRollBack } from "@/lib/api/migration";
import { apiRoute, json, optionalJsonBody } from "../../../../_lib/route";

type P = { clientId: string };

/** Rolls the dual window back to the secret alone (the keys stay). */
export const POST = apiRoute<P>(async ({ actor, request, params }) => json(await apiRollBack(actor, params.clientId, await optionalJsonBody(request))));
