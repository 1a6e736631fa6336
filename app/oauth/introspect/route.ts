// POST /oauth/introspect: token introspection for resource servers (RFC 7662).
import { handleIntrospectionRequest } from "@/lib/oauth/endpoint";
import { methodNotAllowed, postEndpoint } from "@/lib/oauth/next-adapter";

export const dynamic = "force-dynamic";
export const POST = postEndpoint((request) => handleIntrospectionRequest(request));
export const GET = methodNotAllowed("POST");
export const PUT = GET;
export const DELETE = GET;
