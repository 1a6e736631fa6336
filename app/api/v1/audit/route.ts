import { apiListAudit } from "@/lib/api/directory";
import { apiRoute, json } from "../_lib/route";

export const GET = apiRoute(async ({ actor, request }) => json(await apiListAudit(actor, new URL(request.url).searchParams)));
