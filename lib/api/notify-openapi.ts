// The REST API's notification shapes and paths. The integrator merges NOTIFY_SCHEMAS into the document's
// components and notifyPaths() into its paths (lib/api/openapi.ts); the serializers in
// lib/api/notifications.ts parse their output with these same schemas.
import { z } from "zod";
import { EVENT_TYPES } from "../notify/events";
import { CHANNELS, DELIVERY_STATUSES } from "../notify/schema";
import { TeamRef } from "./resources";

const timestamp = z.string().meta({ format: "date-time" });

export const NotificationRoute = z
  .object({
    id: z.string(),
    team: TeamRef.nullable().describe("null: the organisation-wide fallback route, for events whose team has no enabled route"),
    name: z.string(),
    channel: z.enum(CHANNELS),
    target: z.string().describe("the webhook URL or email address; a webhook URL is shown as its origin only to those who may not manage the route"),
    created_at: timestamp,
    disabled_at: timestamp.nullable(),
    can_manage: z.boolean().describe("whether the token's user may change this route"),
  })
  .meta({ id: "NotificationRoute" });

export const NotificationRouteCreate = z
  .object({
    team_id: z.string().nullable().optional().describe("the owner team; null or absent: the organisation fallback (administrators)"),
    name: z.string().describe("at most 100 characters"),
    channel: z.enum(CHANNELS),
    target: z.string().describe("webhook: an https URL (plain http only to localhost); email: an address"),
  })
  .meta({ id: "NotificationRouteCreate" });

export const NotificationRouteList = z
  .object({ data: z.array(NotificationRoute), email_enabled: z.boolean().describe("whether this server sends email (KEYSHIFT_SMTP_URL)") })
  .meta({ id: "NotificationRouteList" });

export const NotificationDelivery = z
  .object({
    id: z.string(),
    event_id: z.string().describe("the event's id: the jti of the signed webhook event, the same for every recipient and retry"),
    type: z.enum(EVENT_TYPES),
    summary: z.string(),
    link: z.string().describe("the console page of the event's subject"),
    route: z.object({ id: z.string(), name: z.string() }).nullable().describe("null: a client's contact address, or a route since removed"),
    channel: z.enum(CHANNELS),
    target: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    next_attempt_at: timestamp.nullable().describe("while pending"),
    last_status: z.number().int().nullable().describe("the receiver's HTTP status, or the SMTP reply code"),
    last_error: z.string().nullable(),
    delivered_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .meta({ id: "NotificationDelivery" });

export const NotificationDeliveryPage = z
  .object({ data: z.array(NotificationDelivery), page: z.number().int(), page_size: z.number().int(), total: z.number().int() })
  .meta({ id: "NotificationDeliveryPage" });

export const NotificationAttempt = z
  .object({
    status: z.enum(["delivered", "pending", "failed", "skipped"]).describe("pending: it failed and will be tried again; skipped: another instance is sending it"),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    event_id: z.string().optional().describe("the test event's id (test only)"),
  })
  .meta({ id: "NotificationAttempt" });

export const NOTIFY_SCHEMAS = {
  NotificationRoute,
  NotificationRouteCreate,
  NotificationRouteList,
  NotificationDelivery,
  NotificationDeliveryPage,
  NotificationAttempt,
};

const ref = (name: keyof typeof NOTIFY_SCHEMAS | "Error") => ({ $ref: `#/components/schemas/${name}` });
const content = (schema: object) => ({ "application/json": { schema } });
const ok = (description: string, schema: object) => ({ description, content: content(schema) });
const error = (description: string) => ({ description, content: content(ref("Error")) });

const COMMON = {
  "401": error("No API token, or an invalid, expired or revoked one"),
  "403": error("The token's user may not do this (auditors; operators for another team's routes; the fallback route needs an administrator)"),
};
const routeIdParam = { name: "route_id", in: "path", required: true, description: "the route's id", schema: { type: "string" } };
const deliveryIdParam = { name: "delivery_id", in: "path", required: true, description: "the delivery's id", schema: { type: "string" } };
const ROUTE_ERRORS = { ...COMMON, "404": error("No route with this id") };
const routeStep = (operationId: string, summary: string) => ({
  parameters: [routeIdParam],
  post: { operationId, summary, responses: { "200": ok("The route", ref("NotificationRoute")), ...ROUTE_ERRORS } },
});

export function notifyPaths(): Record<string, object> {
  return {
    "/notifications/routes": {
      get: {
        operationId: "listNotificationRoutes",
        summary: "Every team's notification routes and the organisation fallback routes",
        responses: { "200": ok("Routes", ref("NotificationRouteList")), ...COMMON },
      },
      post: {
        operationId: "createNotificationRoute",
        summary: "Add a route: a team's webhook URL or email address, or (administrators) an organisation fallback route",
        requestBody: { required: true, content: content(ref("NotificationRouteCreate")) },
        responses: {
          "201": ok("The route", ref("NotificationRoute")),
          "400": error("The body is not a JSON object"),
          "409": error("The team already has a route to this target"),
          "422": error("Invalid fields: an unknown team, a URL that is not https or reaches a refused address, an invalid email address, email not configured, an unknown field"),
          ...COMMON,
        },
      },
    },
    "/notifications/routes/{route_id}": {
      parameters: [routeIdParam],
      delete: { operationId: "deleteNotificationRoute", summary: "Remove a route (its delivery log stays)", responses: { "204": { description: "Removed" }, ...ROUTE_ERRORS } },
    },
    "/notifications/routes/{route_id}/disable": routeStep("disableNotificationRoute", "Disable a route: its team's events go to the fallback while it has no enabled route"),
    "/notifications/routes/{route_id}/enable": routeStep("enableNotificationRoute", "Enable a route again"),
    "/notifications/routes/{route_id}/test": {
      parameters: [routeIdParam],
      post: {
        operationId: "testNotificationRoute",
        summary: "Send a sample event to the route now; answers the outcome of that attempt",
        responses: { "200": ok("The attempt's outcome", ref("NotificationAttempt")), "422": error("An email route while email is not configured"), ...ROUTE_ERRORS },
      },
    },
    "/notifications/deliveries": {
      get: {
        operationId: "listNotificationDeliveries",
        summary: "The delivery log, newest first",
        parameters: [
          { name: "status", in: "query", required: false, schema: { type: "string", enum: [...DELIVERY_STATUSES] } },
          { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1 } },
          { name: "page_size", in: "query", required: false, schema: { type: "integer", enum: [25, 50, 100] } },
        ],
        responses: { "200": ok("A page of deliveries", ref("NotificationDeliveryPage")), "422": error("An unknown parameter or an invalid value"), ...COMMON },
      },
    },
    "/notifications/deliveries/{delivery_id}/resend": {
      parameters: [deliveryIdParam],
      post: {
        operationId: "resendNotificationDelivery",
        summary: "Send a failed delivery again now, with a fresh count of attempts (an email delivery: its whole digest)",
        responses: { "200": ok("The attempt's outcome", ref("NotificationAttempt")), "409": error("The delivery did not fail (delivered, or still being tried)"), ...COMMON, "404": error("No delivery with this id") },
      },
    },
  };
}
