// POST /oauth/token: the client_credentials grant (lib/oauth/endpoint.ts).
import { handleTokenRequest } from "@/lib/oauth/endpoint";
import { methodNotAllowed, postEndpoint } from "@/lib/oauth/next-adapter";

export const dynamic = "force-dynamic";
export const POST = postEndpoint((request) => handleTokenRequest(request));
export const GET = methodNotAllowed("POST");
export const PUT = GET;
export const DELETE = GET;
