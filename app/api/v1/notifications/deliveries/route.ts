import { apiListDeliveries } from "@/lib/api/notifications";
import { apiRoute, json } from "../../_lib/route";

export const GET = apiRoute(async ({ actor, request }) => json(await apiListDeliveries(actor, new URL(request.url).searchParams)));
