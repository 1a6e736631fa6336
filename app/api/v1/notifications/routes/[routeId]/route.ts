import { apiDeleteRoute } from "@/lib/api/notifications";
import { apiRoute } from "../../../_lib/route";

export const DELETE = apiRoute<{ routeId: string }>(async ({ actor, params }) => {
  await apiDeleteRoute(actor, params.routeId);
  return new Response(null, { status: 204 });
});
