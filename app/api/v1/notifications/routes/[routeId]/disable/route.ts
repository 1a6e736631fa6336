import { apiSetRouteDisabled } from "@/lib/api/notifications";
import { apiRoute, json } from "../../../../_lib/route";

export const POST = apiRoute<{ routeId: string }>(async ({ actor, params }) => json(await apiSetRouteDisabled(actor, params.routeId, true)));
