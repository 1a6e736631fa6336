import { apiListKeys, apiRegisterKeys } from "@/lib/api/keys";
import { apiRoute, json, jsonBody } from "../../../_lib/route";

type P = { clientId: string };

export const GET = apiRoute<P>(async ({ actor, params }) => json(await apiListKeys(actor, params.clientId)));

/** Registers public keys: a JWKS, a PEM key or a certificate (all or none), optionally scheduled or rotating. */
export const POST = apiRoute<P>(async ({ actor, request, params }) => json(await apiRegisterKeys(actor, params.clientId, await jsonBody(request)), 201));
