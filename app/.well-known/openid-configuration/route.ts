// Authorization server metadata (RFC 8414); the same document at both well-known paths.
import { authorizationServerMetadata } from "@/lib/oauth/endpoint";
import { getEndpoint } from "@/lib/oauth/next-adapter";

export const dynamic = "force-dynamic";
export const GET = getEndpoint(() => authorizationServerMetadata());
