// The one wrapper every /api/v1 route handler goes through: authenticate the API token (the user and
// role are read from the database on every request), parse, call one domain function, and answer in
// the one error shape { error: { code, message, fields? } } (DESIGN.md, "REST conventions").
import type { UserActor } from "@/lib/auth/actor";
import { addressFrom } from "@/lib/auth/options";
import { DomainError, malformed } from "@/lib/errors";
import { toSnake } from "@/lib/api/resources";
import { authenticateApiToken } from "@/lib/tokens/commands";
import { errorResponse } from "../../../_lib/http";

type Params = Record<string, string>;
type Handler<P extends Params> = (ctx: { actor: UserActor; request: Request; params: P }) => Promise<Response>;

/** Field names in error bodies are the API's (snake_case), not the domain's. */
function apiError(error: unknown): Response {
  if (error instanceof DomainError && error.fields) {
    const fields = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [toSnake(k), v]));
    return errorResponse(new DomainError(error.code, error.message, fields));
  }
  return errorResponse(error);
}

export function apiRoute<P extends Params = Params>(handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const actor = await authenticateApiToken(request.headers.get("authorization"), addressFrom(request.headers));
      return await handler({ actor, request, params: await context.params });
    } catch (error) {
      return apiError(error);
    }
  };
}

/** The request body as a JSON object, or a 400 malformed error. */
export async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw malformed("The body must be JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw malformed("The body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** Like jsonBody, but an empty body is an empty object: for steps whose fields are all optional. */
export async function optionalJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) return {};
  return jsonBody(new Request(request.url, { method: "POST", body: text }));
}

export const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
