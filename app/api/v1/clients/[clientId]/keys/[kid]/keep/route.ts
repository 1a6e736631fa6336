import { apiKeepKey } from "@/lib/api/keys";
import { apiRoute, json } from "../../../../../_lib/route";

type P = { clientId: string; kid: string };

/** Cancels a key's scheduled retirement. */
export const POST = apiRoute<P>(async ({ actor, params }) => json(await apiKeepKey(actor, params.clientId, params.kid)));
