import { apiFinalise } from "@/lib/api/migration";
import { apiRoute, json, optionalJsonBody } from "../../../../_lib/route";

type P = { clientId: string };

/** Finalises: only assertions are accepted, the secrets are revoked. */
export const POST = apiRoute<P>(async ({ actor, request, params }) => json(await apiFinalise(actor, params.clientId, await optionalJsonBody(request))));
