import { apiFindKeys } from "@/lib/api/keys";
import { apiRoute, json } from "../_lib/route";

/** Every client using the key with this thumbprint. */
export const GET = apiRoute(async ({ actor, request }) => json(await apiFindKeys(actor, new URL(request.url))));
