// Reading routes and the delivery log: client.read (auditors read everything). Webhook URLs are shown in
// full only to those who may manage the route, since a receiver's URL may carry its own token.
import type { Actor } from "../auth/actor";
import { assertCan, can } from "../auth/guard";
import { db, type Prisma } from "../db";
import { emailEnabled } from "./email";
import type { EventPayload } from "./events";
import { safeTarget } from "./routes";
import type { DeliveryStatus } from "./schema";

const mayManage = (actor: Actor, teamId: string | null) => (teamId ? can(actor, "notification.manage", { teamId }) : can(actor, "settings.update"));

export type RouteView = {
  id: string;
  teamId: string | null;
  name: string;
  channel: string;
  target: string;
  createdAt: Date;
  disabledAt: Date | null;
  canManage: boolean;
};

/** Every team (with its routes, possibly none) and the organisation's fallback routes. */
export async function listRoutes(actor: Actor): Promise<{ teams: { id: string; name: string; canManage: boolean; routes: RouteView[] }[]; fallback: RouteView[]; canManageFallback: boolean; emailEnabled: boolean }> {
  assertCan(actor, "client.read");
  const [teams, routes] = await Promise.all([
    db().team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db().notificationRoute.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  ]);
  const view = (r: (typeof routes)[number]): RouteView => {
    const canManage = mayManage(actor, r.teamId);
    return { id: r.id, teamId: r.teamId, name: r.name, channel: r.channel, target: canManage ? r.target : safeTarget(r.channel, r.target), createdAt: r.createdAt, disabledAt: r.disabledAt, canManage };
  };
  return {
    teams: teams.map((t) => ({ ...t, canManage: mayManage(actor, t.id), routes: routes.filter((r) => r.teamId === t.id).map(view) })),
    fallback: routes.filter((r) => r.teamId === null).map(view),
    canManageFallback: can(actor, "settings.update"),
    emailEnabled: emailEnabled(),
  };
}

export { DELIVERY_STATUSES, type DeliveryStatus } from "./schema";
export const DELIVERY_PAGE_SIZE = 50;

/** The delivery log, newest first, optionally one status; a page of DELIVERY_PAGE_SIZE rows. */
export async function listDeliveries(actor: Actor, query: { status?: DeliveryStatus; page?: number; pageSize?: number } = {}) {
  assertCan(actor, "client.read");
  const where: Prisma.NotificationDeliveryWhereInput = query.status ? { status: query.status } : {};
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const pageSize = query.pageSize ?? DELIVERY_PAGE_SIZE;
  const [rows, total] = await Promise.all([
    db().notificationDelivery.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        channel: true,
        target: true,
        status: true,
        attempts: true,
        nextAttemptAt: true,
        lastStatus: true,
        lastError: true,
        deliveredAt: true,
        createdAt: true,
        route: { select: { id: true, name: true, teamId: true } },
        notification: { select: { id: true, type: true, teamId: true, payload: true } },
      },
    }),
    db().notificationDelivery.count({ where }),
  ]);
  return {
    total,
    page,
    pageSize,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    rows: rows.map((d) => {
      const teamId = d.route ? d.route.teamId : d.notification.teamId;
      const canManage = mayManage(actor, teamId);
      const payload = JSON.parse(d.notification.payload) as EventPayload;
      return {
        id: d.id,
        eventId: d.notification.id,
        type: d.notification.type,
        summary: payload.summary,
        link: payload.link,
        route: d.route ? { id: d.route.id, name: d.route.name } : null,
        channel: d.channel,
        target: canManage ? d.target : safeTarget(d.channel, d.target),
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        deliveredAt: d.deliveredAt,
        createdAt: d.createdAt,
        canResend: d.status === "failed" && canManage,
      };
    }),
  };
}
