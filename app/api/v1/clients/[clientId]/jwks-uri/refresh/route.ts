import { apiRefreshJwksUri } from "@/lib/api/keys";
import { apiRoute, json } from "../../../../_lib/route";

type P = { clientId: string };

/** Fetches the jwks_uri now. */
export const POST = apiRoute<P>(async ({ actor, params }) => json(await apiRefreshJwksUri(actor, params.clientId)));
