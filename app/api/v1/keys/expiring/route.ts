import { apiExpiringKeys } from "@/lib/api/keys";
import { apiRoute, json } from "../../_lib/route";

/** Keys and certificates expiring soon. */
export const GET = apiRoute(async ({ actor, request }) => json(await apiExpiringKeys(actor, new URL(request.url))));
