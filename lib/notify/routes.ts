// Notification routes: a team's webhook URLs and email addresses, and the organisation-wide fallback.
// A team's routes need notification.manage for that team (operators: their own teams); the fallback
// needs settings.update (administrators). Every change is audited in the transaction that makes it.
// A webhook URL may carry a receiver's token in its path, so audit entries and logs keep its origin only.
import crypto from "node:crypto";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { db, type Tx } from "../db";
import { conflict, invalid, notFound } from "../errors";
import { zodFields } from "../validation";
import { claimDigest, attemptWebhook, LEASE_MS, sendDigest, type AttemptResult } from "./deliver";
import { emailEnabled } from "./email";
import { recordOne } from "./record";
import { RouteInputSchema, type Channel } from "./schema";
import { writeTransaction } from "./write";

type RouteRow = { id: string; teamId: string | null; name: string; channel: string; target: string };

/** What an audit entry or a log line may show of a target: an email address, or a URL's origin. */
export function safeTarget(channel: string, target: string): string {
  if (channel !== "webhook") return target;
  try {
    const url = new URL(target);
    return url.pathname === "/" && !url.search ? url.origin : `${url.origin}/…`;
  } catch {
    return "(invalid URL)";
  }
}

/** A team's routes: notification.manage for that team; the fallback (no team): settings.update. */
export function assertCanManageRoute(actor: Actor, teamId: string | null): void {
  if (teamId) assertCan(actor, "notification.manage", { teamId });
  else assertCan(actor, "settings.update");
}

async function loadRoute(tx: Tx, routeId: string): Promise<RouteRow> {
  const route = await tx.notificationRoute.findUnique({ where: { id: routeId }, select: { id: true, teamId: true, name: true, channel: true, target: true } });
  if (!route) throw notFound("The notification route");
  return route;
}

const auditTarget = (route: RouteRow) => ({ type: "notification_route", id: route.id, name: route.name });

export async function createRoute(actor: Actor, input: unknown): Promise<{ id: string }> {
  const parsed = RouteInputSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  const { teamId, name, channel, target } = parsed.data;
  assertCanManageRoute(actor, teamId);
  if (channel === "email" && !emailEnabled()) throw invalid("Email is not configured on this server (KEYSHIFT_SMTP_URL); add a webhook instead.", { channel: "Email is not configured" });
  return writeTransaction(async (tx) => {
    const team = teamId ? await tx.team.findUnique({ where: { id: teamId }, select: { id: true, name: true } }) : null;
    if (teamId && !team) throw invalid("The team does not exist.", { teamId: "Unknown team" });
    const same = await tx.notificationRoute.findFirst({ where: { teamId, channel, target }, select: { id: true } });
    if (same) throw conflict(`${team ? team.name : "The organisation"} already has a route to this ${channel === "email" ? "address" : "URL"}.`, { target: "Already a route" });
    const route = await tx.notificationRoute.create({ data: { teamId, name, channel, target, createdById: actor.type === "user" ? actor.id : null }, select: { id: true } });
    await appendAudit(tx, actor, {
      action: "notification_route.create",
      target: { type: "notification_route", id: route.id, name },
      details: { team: team ? { id: team.id, name: team.name } : "organisation fallback", channel, target: safeTarget(channel, target) },
    });
    return route;
  });
}

export async function removeRoute(actor: Actor, routeId: string): Promise<void> {
  await writeTransaction(async (tx) => {
    const route = await loadRoute(tx, routeId);
    assertCanManageRoute(actor, route.teamId);
    // the delivery log keeps its rows: their route becomes null
    await tx.notificationRoute.delete({ where: { id: route.id } });
    await appendAudit(tx, actor, { action: "notification_route.delete", target: auditTarget(route), details: { channel: route.channel, target: safeTarget(route.channel, route.target) } });
  });
}

export async function setRouteDisabled(actor: Actor, routeId: string, disabled: boolean): Promise<void> {
  await writeTransaction(async (tx) => {
    const route = await loadRoute(tx, routeId);
    assertCanManageRoute(actor, route.teamId);
    const changed = await tx.notificationRoute.updateMany({ where: { id: route.id, disabledAt: disabled ? null : { not: null } }, data: { disabledAt: disabled ? new Date() : null } });
    if (changed.count === 0) return; // already so: nothing to audit
    await appendAudit(tx, actor, { action: disabled ? "notification_route.disable" : "notification_route.enable", target: auditTarget(route) });
  });
}

const testEvent = (route: RouteRow) => ({
  type: "test" as const,
  dedupeKey: `test:${crypto.randomUUID()}`,
  subject: { type: "route" as const, id: route.id },
  teamId: route.teamId,
  contacts: [],
  summary: `A test notification for the route ${route.name}: if you can read this, Keyshift reaches you here.`,
  path: "/notifications",
  details: { route: route.name },
});

/** Sends a sample event to one route now, through the same path as real events; returns the outcome. */
export async function sendTestNotification(actor: Actor, routeId: string, now: Date = new Date()): Promise<AttemptResult & { eventId: string }> {
  const route = await loadRoute(db(), routeId);
  assertCanManageRoute(actor, route.teamId);
  if (route.channel === "email" && !emailEnabled()) throw invalid("Email is not configured on this server (KEYSHIFT_SMTP_URL).");
  const recorded = await writeTransaction(async (tx) => {
    const lease = new Date(now.getTime() + LEASE_MS);
    const digest = route.channel === "email" ? await tx.notificationDigest.create({ data: { key: `test ${crypto.randomUUID()}`, recipient: route.target, leaseUntil: lease, nextAttemptAt: now, createdAt: now }, select: { id: true } }) : null;
    const delivery = { id: crypto.randomUUID(), notificationId: "", routeId: route.id, channel: route.channel as Channel, target: route.target, nextAttemptAt: now, createdAt: now };
    const event = await recordOne(tx, testEvent(route), [delivery], now);
    if (digest) await tx.notificationDelivery.update({ where: { id: delivery.id }, data: { digestId: digest.id } });
    await appendAudit(tx, actor, { action: "notification_route.test", target: auditTarget(route), details: { event: event.id } });
    return { eventId: event.id, deliveryId: delivery.id, digest: digest && { id: digest.id, lease } };
  });
  const result = recorded.digest ? await sendDigest(recorded.digest.id, recorded.digest.lease, now) : await attemptWebhook(recorded.deliveryId, now);
  return { ...result, eventId: recorded.eventId };
}

/**
 * Sends a failed delivery again now, with a fresh count of attempts (an email delivery: its whole
 * digest). Who may: whoever manages the route it came from; for a client's contact email, whoever
 * manages the event's team.
 */
export async function resendDelivery(actor: Actor, deliveryId: string, now: Date = new Date()): Promise<AttemptResult> {
  const delivery = await db().notificationDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, status: true, channel: true, digestId: true, route: { select: { teamId: true } }, notification: { select: { id: true, type: true, teamId: true } } },
  });
  if (!delivery) throw notFound("The delivery");
  assertCanManageRoute(actor, delivery.route ? delivery.route.teamId : delivery.notification.teamId);
  if (delivery.status !== "failed") throw conflict(delivery.status === "delivered" ? "This delivery already succeeded." : "This delivery is still being tried; it is resent automatically.");
  await writeTransaction(async (tx) => {
    const reset = { status: "pending", attempts: 0, nextAttemptAt: now, leaseUntil: null };
    const changed =
      delivery.channel === "email" && delivery.digestId
        ? await tx.notificationDigest.updateMany({ where: { id: delivery.digestId, status: "failed" }, data: reset })
        : await tx.notificationDelivery.updateMany({ where: { id: delivery.id, status: "failed" }, data: reset });
    if (changed.count !== 1) throw conflict("Someone resent this delivery a moment ago.");
    if (delivery.digestId) await tx.notificationDelivery.updateMany({ where: { digestId: delivery.digestId }, data: { status: "pending", attempts: 0 } });
    await appendAudit(tx, actor, { action: "notification.resend", target: { type: "notification_delivery", id: delivery.id, name: delivery.notification.type }, details: { event: delivery.notification.id, channel: delivery.channel } });
  });
  if (delivery.channel === "email" && delivery.digestId) {
    const lease = await claimDigest(delivery.digestId, now);
    return lease ? sendDigest(delivery.digestId, lease, now) : { status: "skipped" };
  }
  return attemptWebhook(delivery.id, now);
}
