// Notification routes and the delivery log over the REST API, through the real route handlers, each
// response checked against the notification paths and schemas (lib/api/notify-openapi.ts) as the merged
// OpenAPI document will carry them.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import * as routesRoute from "@/app/api/v1/notifications/routes/route";
import * as routeRoute from "@/app/api/v1/notifications/routes/[routeId]/route";
import * as disableRoute from "@/app/api/v1/notifications/routes/[routeId]/disable/route";
import * as enableRoute from "@/app/api/v1/notifications/routes/[routeId]/enable/route";
import * as testRoute from "@/app/api/v1/notifications/routes/[routeId]/test/route";
import * as deliveriesRoute from "@/app/api/v1/notifications/deliveries/route";
import * as resendRoute from "@/app/api/v1/notifications/deliveries/[deliveryId]/resend/route";
import { NOTIFY_SCHEMAS, notifyPaths } from "@/lib/api/notify-openapi";
import { ErrorBody, TeamRef } from "@/lib/api/resources";
import { SYSTEM } from "@/lib/auth/actor";
import { db, disconnect } from "@/lib/db";
import { createApiToken } from "@/lib/tokens/commands";
import { auditCount, makeCast, resetDatabase, type Cast } from "./helpers";
import { startReceiver, type Receiver } from "./notify-fixtures";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Operation = { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };

const paths = notifyPaths() as Record<string, Record<string, Operation>>;
const registry = z.registry<{ id: string }>();
for (const [id, schema] of Object.entries({ Error: ErrorBody, TeamRef, ...NOTIFY_SCHEMAS })) registry.add(schema, { id });
const components = (z.toJSONSchema(registry, { target: "draft-2020-12", io: "output", uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, Record<string, unknown>> }).schemas;
for (const schema of Object.values(components)) delete schema.$id;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "doc", components: { schemas: components } }, "doc");

const PARAMS: Record<string, string> = { route_id: "routeId", delivery_id: "deliveryId" };

/** Calls a handler as Next.js would and checks the status and body against the documented operation. */
async function call(route: Route, method: string, template: string, opts: { token?: string; params?: Record<string, string>; body?: unknown; query?: string } = {}) {
  const params = opts.params ?? {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[PARAMS[name] ?? name]));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const request = new Request(`http://keyshift.test/api/v1${path}${opts.query ? `?${opts.query}` : ""}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const response = await route(request, { params: Promise.resolve(params) });
  const documented = paths[template]?.[method.toLowerCase()]?.responses[String(response.status)];
  expect(documented, `${method} ${template} documents status ${response.status}`).toBeDefined();
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  const schema = documented!.content?.["application/json"]?.schema;
  if (schema) {
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')));
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  } else expect(text).toBe("");
  return { status: response.status, body };
}

let cast: Cast;
let receiver: Receiver;
const tokens: Record<string, string> = {};
const savedAllow = process.env.KEYSHIFT_FETCH_ALLOW;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  for (const [role, actor] of Object.entries({ admin: cast.admin, operatorOwner: cast.operatorOwner, operatorOther: cast.operatorOther, auditor: cast.auditor })) {
    tokens[role] = (await createApiToken(SYSTEM, actor.id, { name: `${role} automation` })).token;
  }
  receiver = await startReceiver();
  process.env.KEYSHIFT_FETCH_ALLOW = "127.0.0.1";
});
afterAll(async () => {
  if (savedAllow === undefined) delete process.env.KEYSHIFT_FETCH_ALLOW;
  else process.env.KEYSHIFT_FETCH_ALLOW = savedAllow;
  await receiver.close();
  await disconnect();
});

describe("notification routes over the API", () => {
  it("an operator adds, tests, disables, enables and removes a route of their team", async () => {
    const created = await call(routesRoute.POST as Route, "POST", "/notifications/routes", { token: tokens.operatorOwner, body: { team_id: cast.teamA.id, name: "Payments", channel: "webhook", target: receiver.url } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ team: { id: cast.teamA.id, name: cast.teamA.name }, name: "Payments", channel: "webhook", target: receiver.url, disabled_at: null, can_manage: true });
    const id = created.body.id as string;

    const tested = await call(testRoute.POST as Route, "POST", "/notifications/routes/{route_id}/test", { token: tokens.operatorOwner, params: { routeId: id } });
    expect(tested.body).toMatchObject({ status: "delivered", last_status: 202, last_error: null });
    expect(receiver.events.at(-1)?.claims.jti).toBe(tested.body.event_id);

    expect((await call(disableRoute.POST as Route, "POST", "/notifications/routes/{route_id}/disable", { token: tokens.operatorOwner, params: { routeId: id } })).body.disabled_at).not.toBeNull();
    expect((await call(enableRoute.POST as Route, "POST", "/notifications/routes/{route_id}/enable", { token: tokens.operatorOwner, params: { routeId: id } })).body.disabled_at).toBeNull();

    const list = await call(routesRoute.GET as Route, "GET", "/notifications/routes", { token: tokens.auditor });
    expect(list.body.data).toEqual([expect.objectContaining({ id, can_manage: false, target: `${new URL(receiver.url).origin}/…` })]);
    expect(list.body.email_enabled).toBe(!!process.env.KEYSHIFT_SMTP_URL);

    const log = await call(deliveriesRoute.GET as Route, "GET", "/notifications/deliveries", { token: tokens.auditor, query: "status=delivered&page_size=25" });
    expect(log.body).toMatchObject({ page: 1, page_size: 25, total: 1, data: [expect.objectContaining({ event_id: tested.body.event_id, type: "test", status: "delivered", attempts: 1 })] });

    expect((await call(routeRoute.DELETE as Route, "DELETE", "/notifications/routes/{route_id}", { token: tokens.operatorOwner, params: { routeId: id } })).status).toBe(204);
    expect(await db().notificationRoute.count()).toBe(0);
  });

  it("refuses what the caller may not do, and bad input, changing nothing", async () => {
    const audits = await auditCount();
    const post = (token: string, body: unknown) => call(routesRoute.POST as Route, "POST", "/notifications/routes", { token, body });
    expect((await post(tokens.auditor, { team_id: cast.teamA.id, name: "X", channel: "webhook", target: receiver.url })).status).toBe(403);
    expect((await post(tokens.operatorOther, { team_id: cast.teamA.id, name: "X", channel: "webhook", target: receiver.url })).status).toBe(403);
    expect((await post(tokens.operatorOwner, { name: "Org", channel: "webhook", target: receiver.url })).status).toBe(403);
    const ssrf = await post(tokens.admin, { team_id: cast.teamA.id, name: "X", channel: "webhook", target: "https://192.168.1.10/hook" });
    expect(ssrf).toMatchObject({ status: 422, body: { error: { code: "invalid", fields: { target: expect.stringMatching(/private address/) } } } });
    const unknown = await post(tokens.admin, { team_id: cast.teamA.id, name: "X", channel: "webhook", target: receiver.url, secret: "s" });
    expect(unknown).toMatchObject({ status: 422, body: { error: { fields: { secret: "Unknown field" } } } });
    const team = await post(tokens.admin, { team_id: "nope", name: "X", channel: "webhook", target: receiver.url });
    expect(team).toMatchObject({ status: 422, body: { error: { fields: { team_id: "Unknown team" } } } });
    const page = await call(deliveriesRoute.GET as Route, "GET", "/notifications/deliveries", { token: tokens.auditor, query: "status=lost&page_size=10&sort=x" });
    expect(page).toMatchObject({ status: 422, body: { error: { fields: { status: expect.any(String), page_size: "25, 50 or 100", sort: "Unknown parameter" } } } });
    expect((await call(resendRoute.POST as Route, "POST", "/notifications/deliveries/{delivery_id}/resend", { token: tokens.admin, params: { deliveryId: "nope" } })).status).toBe(404);
    expect((await call(testRoute.POST as Route, "POST", "/notifications/routes/{route_id}/test", { token: tokens.admin, params: { routeId: "nope" } })).status).toBe(404);
    expect((await call(routesRoute.GET as Route, "GET", "/notifications/routes", {})).status).toBe(401);
    expect(await db().notificationRoute.count()).toBe(0);
    expect(await auditCount()).toBe(audits);
  });
});
