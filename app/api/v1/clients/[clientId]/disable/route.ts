import { apiSetClientEnabled } from "@/lib/api/clients";
import { apiRoute, json } from "../../../_lib/route";

export const POST = apiRoute<{ clientId: string }>(async ({ actor, params }) => json(await apiSetClientEnabled(actor, params.clientId, false)));
