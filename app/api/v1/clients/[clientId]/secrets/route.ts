import { apiIssueSecret, apiListSecrets } from "@/lib/api/clients";
import { apiRoute, json } from "../../../_lib/route";

type P = { clientId: string };

export const GET = apiRoute<P>(async ({ actor, params }) => json(await apiListSecrets(actor, params.clientId)));

/** Issues a secret for a client without a valid one; use …/secrets/rotate to replace a valid secret. */
export const POST = apiRoute<P>(async ({ actor, params }) => json(await apiIssueSecret(actor, params.clientId), 201));
