// Calling /api/v1 route handlers as Next.js would, with every response checked against the OpenAPI
// document (status documented, body valid against its schema).
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

export const BASE = "http://keyshift.test/api/v1";
export const doc = openApiDocument("http://keyshift.test");
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "doc", components: doc.components }, "doc");

export type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Operation = { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };

/** Calls a route handler as Next.js would, and checks the response against the OpenAPI document. */
export async function call(route: Route, method: string, pathTemplate: string, opts: { token?: string; params?: Record<string, string>; body?: unknown; query?: string; rawBody?: string } = {}) {
  const params = opts.params ?? {};
  const path = pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[({ client_id: "clientId", secret_id: "secretId", campaign_id: "campaignId", route_id: "routeId", delivery_id: "deliveryId" } as Record<string, string>)[name] ?? name]));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const request = new Request(`${BASE}${path}${opts.query ? `?${opts.query}` : ""}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const response = await route(request, { params: Promise.resolve(params) });
  const operation = (doc.paths as unknown as Record<string, Record<string, Operation>>)[pathTemplate]?.[method.toLowerCase()];
  expect(operation, `${method} ${pathTemplate} is in the OpenAPI document`).toBeDefined();
  const documented = operation.responses[String(response.status)];
  expect(documented, `${method} ${pathTemplate} documents status ${response.status}`).toBeDefined();
  const text = await response.text();
  if (response.headers.get("content-type")?.startsWith("text/csv")) {
    expect(documented!.content?.["text/csv"], `${method} ${pathTemplate} documents CSV`).toBeDefined();
    return { status: response.status, body: text };
  }
  const body = text ? JSON.parse(text) : undefined;
  const schema = documented!.content?.["application/json"]?.schema;
  if (schema) {
    const validate = ajv.compile({ $ref: "doc#", ...withDocRefs(schema) });
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  } else {
    expect(text).toBe("");
  }
  return { status: response.status, body };
}

/** Points a response schema's "#/components/…" references at the document registered as "doc". */
function withDocRefs(schema: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
}
