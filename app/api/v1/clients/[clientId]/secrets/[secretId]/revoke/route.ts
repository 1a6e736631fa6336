import { apiRevokeSecret } from "@/lib/api/clients";
import { apiRoute, json } from "../../../../../_lib/route";

export const POST = apiRoute<{ clientId: string; secretId: string }>(async ({ actor, params }) => json(await apiRevokeSecret(actor, params.clientId, params.secretId)));
