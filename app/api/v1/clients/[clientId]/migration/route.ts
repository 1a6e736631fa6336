import { apiGetMigration } from "@/lib/api/migration";
import { apiRoute, json } from "../../../_lib/route";

type P = { clientId: string };

/** Where the client's migration stands, with the readiness evidence from traffic. */
export const GET = apiRoute<P>(async ({ actor, params }) => json(await apiGetMigration(actor, params.clientId)));
