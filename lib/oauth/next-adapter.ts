// The Next.js side of the OAuth endpoints: a Request in, the core's response out.
import { addressFrom } from "../net/address";
import { readBoundedBody } from "../net/body";
import { logUnexpected } from "../log";
import type { OAuthResponse } from "./endpoint";
import { MAX_BODY_BYTES, type OAuthRequest } from "./request";

function toResponse(result: OAuthResponse): Response {
  return new Response(result.body, { status: result.status, headers: result.headers });
}

function serverError(error: unknown): Response {
  const reference = logUnexpected(error, "OAuth endpoint failed");
  return Response.json({ error: "server_error", error_description: `Internal error (reference ${reference}).` }, { status: 500, headers: { "Cache-Control": "no-store" } });
}

/** A POST endpoint: the body is read up to the size limit, then handed to the core. */
export function postEndpoint(handle: (request: OAuthRequest) => Promise<OAuthResponse>) {
  return async (request: Request): Promise<Response> => {
    try {
      const bytes = await readBoundedBody(request, MAX_BODY_BYTES);
      if (bytes === null) {
        return Response.json({ error: "invalid_request", error_description: "The request body is too large." }, { status: 413, headers: { "Cache-Control": "no-store" } });
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      return toResponse(await handle({ headers, body: bytes.toString("utf8"), address: addressFrom(request.headers) }));
    } catch (error) {
      return serverError(error);
    }
  };
}

export function getEndpoint(handle: () => Promise<OAuthResponse>) {
  return async (): Promise<Response> => {
    try {
      return toResponse(await handle());
    } catch (error) {
      return serverError(error);
    }
  };
}

/** Any other method: 405 naming the one allowed. */
export function methodNotAllowed(allowed: string) {
  return () => Response.json({ error: "invalid_request", error_description: `Use ${allowed}.` }, { status: 405, headers: { Allow: allowed, "Cache-Control": "no-store" } });
}
