import { apiCreateClient, apiListClients } from "@/lib/api/clients";
import { apiRoute, json, jsonBody } from "../_lib/route";

export const GET = apiRoute(async ({ actor, request }) => json(await apiListClients(actor, new URL(request.url).searchParams)));

export const POST = apiRoute(async ({ actor, request }) => json(await apiCreateClient(actor, await jsonBody(request)), 201));
