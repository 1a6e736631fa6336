import { apiRotateSecret } from "@/lib/api/clients";
import { apiRoute, json } from "../../../../_lib/route";

export const POST = apiRoute<{ clientId: string }>(async ({ actor, params }) => json(await apiRotateSecret(actor, params.clientId), 201));
