import { apiTestRoute } from "@/lib/api/notifications";
import { apiRoute, json } from "../../../../_lib/route";

/** Sends a sample event to the route now. */
export const POST = apiRoute<{ routeId: string }>(async ({ actor, params }) => json(await apiTestRoute(actor, params.routeId)));
