import { apiCreateRoute, apiListRoutes } from "@/lib/api/notifications";
import { apiRoute, json, jsonBody } from "../../_lib/route";

export const GET = apiRoute(async ({ actor }) => json(await apiListRoutes(actor)));

export const POST = apiRoute(async ({ actor, request }) => json(await apiCreateRoute(actor, await jsonBody(request)), 201));
