// REST operations on notification routes and the delivery log: the same domain commands and queries as
// the console's notifications page; every response is parsed with its schema (lib/api/notify-openapi.ts).
import type { UserActor } from "../auth/actor";
import { db } from "../db";
import { invalid, notFound } from "../errors";
import type { AttemptResult } from "../notify/deliver";
import { listDeliveries, listRoutes, type RouteView } from "../notify/queries";
import { createRoute, removeRoute, resendDelivery, sendTestNotification, setRouteDisabled } from "../notify/routes";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../notify/schema";
import { onlyFields } from "./body";
import { NotificationAttempt, NotificationDeliveryPage, NotificationRoute, NotificationRouteList } from "./notify-openapi";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function routeResource(route: RouteView, teams: Map<string, string>) {
  return NotificationRoute.parse({
    id: route.id,
    team: route.teamId ? { id: route.teamId, name: teams.get(route.teamId) ?? route.teamId } : null,
    name: route.name,
    channel: route.channel,
    target: route.target,
    created_at: route.createdAt.toISOString(),
    disabled_at: iso(route.disabledAt),
    can_manage: route.canManage,
  });
}

async function routeList(actor: UserActor) {
  const routes = await listRoutes(actor);
  const teams = new Map(routes.teams.map((t) => [t.id, t.name]));
  return { routes: [...routes.fallback, ...routes.teams.flatMap((t) => t.routes)], teams, emailEnabled: routes.emailEnabled };
}

export async function apiListRoutes(actor: UserActor) {
  const { routes, teams, emailEnabled } = await routeList(actor);
  return NotificationRouteList.parse({ data: routes.map((r) => routeResource(r, teams)), email_enabled: emailEnabled });
}

async function apiRoute(actor: UserActor, routeId: string) {
  const { routes, teams } = await routeList(actor);
  const route = routes.find((r) => r.id === routeId);
  if (!route) throw notFound("The notification route");
  return routeResource(route, teams);
}

export async function apiCreateRoute(actor: UserActor, body: Record<string, unknown>) {
  onlyFields(body, ["team_id", "name", "channel", "target"]);
  const { team_id: teamId, ...rest } = body;
  const created = await createRoute(actor, { ...rest, teamId: teamId ?? null });
  return apiRoute(actor, created.id);
}

export async function apiDeleteRoute(actor: UserActor, routeId: string): Promise<void> {
  await removeRoute(actor, routeId);
}

export async function apiSetRouteDisabled(actor: UserActor, routeId: string, disabled: boolean) {
  await setRouteDisabled(actor, routeId, disabled);
  return apiRoute(actor, routeId);
}

function attemptResource(result: AttemptResult & { eventId?: string }) {
  return NotificationAttempt.parse(
    result.status === "skipped"
      ? { status: "skipped", last_status: null, last_error: null, event_id: result.eventId }
      : { status: result.status, last_status: result.lastStatus, last_error: result.lastError, event_id: result.eventId },
  );
}

export async function apiTestRoute(actor: UserActor, routeId: string) {
  return attemptResource(await sendTestNotification(actor, routeId));
}

export async function apiResendDelivery(actor: UserActor, deliveryId: string) {
  if (!(await db().notificationDelivery.findUnique({ where: { id: deliveryId }, select: { id: true } }))) throw notFound("The delivery");
  return attemptResource(await resendDelivery(actor, deliveryId));
}

const PAGE_SIZES = [25, 50, 100];

/** status, page and page_size, strictly: an unknown parameter or value is an error, never ignored. */
function deliveryQuery(search: URLSearchParams): { status?: DeliveryStatus; page: number; pageSize: number } {
  const unknown = [...new Set(search.keys())].filter((k) => !["status", "page", "page_size"].includes(k));
  const fields: Record<string, string> = Object.fromEntries(unknown.map((k) => [k, "Unknown parameter"]));
  const status = search.get("status");
  if (status !== null && !(DELIVERY_STATUSES as readonly string[]).includes(status)) fields.status = "pending, delivered or failed";
  const page = Number(search.get("page") ?? "1");
  if (!Number.isInteger(page) || page < 1) fields.page = "A whole number from 1";
  const pageSize = Number(search.get("page_size") ?? "50");
  if (!PAGE_SIZES.includes(pageSize)) fields.page_size = "25, 50 or 100";
  if (Object.keys(fields).length) throw invalid("Some query parameters are not valid.", fields);
  return { status: (status as DeliveryStatus | null) ?? undefined, page, pageSize };
}

export async function apiListDeliveries(actor: UserActor, search: URLSearchParams) {
  const query = deliveryQuery(search);
  const log = await listDeliveries(actor, query);
  return NotificationDeliveryPage.parse({
    page: log.page,
    page_size: log.pageSize,
    total: log.total,
    data: log.rows.map((d) => ({
      id: d.id,
      event_id: d.eventId,
      type: d.type,
      summary: d.summary,
      link: d.link,
      route: d.route,
      channel: d.channel,
      target: d.target,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: iso(d.nextAttemptAt),
      last_status: d.lastStatus,
      last_error: d.lastError,
      delivered_at: iso(d.deliveredAt),
      created_at: d.createdAt.toISOString(),
    })),
  });
}
