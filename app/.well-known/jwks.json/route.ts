// The server's public signing keys: next, current, and previous keys whose tokens may still be valid.
import { jwksResponse } from "@/lib/oauth/endpoint";
import { getEndpoint } from "@/lib/oauth/next-adapter";

export const dynamic = "force-dynamic";
export const GET = getEndpoint(() => jwksResponse());
