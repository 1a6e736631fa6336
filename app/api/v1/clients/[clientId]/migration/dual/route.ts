import { apiDualWindow } from "@/lib/api/migration";
import { apiRoute, json, optionalJsonBody } from "../../../../_lib/route";

type P = { clientId: string };

/** Opens the dual window, or moves its end date. */
export const POST = apiRoute<P>(async ({ actor, request, params }) => json(await apiDualWindow(actor, params.clientId, await optionalJsonBody(request))));
