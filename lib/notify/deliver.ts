// Sending. A sender claims a delivery (or a digest) with a conditional update that sets a lease: of
// several schedulers looking at the same due row, exactly one update matches, and only that one sends.
// The outcome is written only while the lease is still the claimant's. A crash between the send and the
// write leaves the lease to lapse and the row to be sent again: receivers de-duplicate on the event id.
// Each write is its own transaction: on SQLite, whose one connection a process shares, a statement run
// outside one could land inside another request's transaction and be undone by its rollback.
import { issuer } from "../config";
import { db, isUniqueViolation } from "../db";
import { log } from "../log";
import { currentSigningKey } from "../oauth/server-keys";
import { getSettings } from "../settings";
import { nextAttemptAt } from "./backoff";
import { writeTransaction } from "./write";
import { digestKey, emailEnabled, renderDigest, sendMail, utcDay } from "./email";
import type { EventPayload } from "./events";
import { postSecurityEvent, securityEvent, signSecurityEvent } from "./webhook";

/** Longer than a send may take (webhook deadline 10 s, SMTP a little more), short enough to recover soon after a crash. */
export const LEASE_MS = 60_000;
const WEBHOOK_BATCH = 100;
const WEBHOOK_CONCURRENCY = 8;
/** Attempts of an email digest before it is marked failed. */
export const DIGEST_MAX_ATTEMPTS = 6;

const leaseFree = (now: Date) => ({ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] });

export type AttemptResult = { status: "delivered" | "pending" | "failed"; lastStatus: number | null; lastError: string | null } | { status: "skipped" };

/** Claims one webhook delivery if it is due and nobody holds it; the lease's end and the delivery, or null. */
async function claimWebhook(id: string, now: Date) {
  const lease = new Date(now.getTime() + LEASE_MS);
  return writeTransaction(async (tx) => {
    const claimed = await tx.notificationDelivery.updateMany({
      where: { id, channel: "webhook", status: "pending", nextAttemptAt: { lte: now }, ...leaseFree(now) },
      data: { leaseUntil: lease, attempts: { increment: 1 } },
    });
    if (claimed.count !== 1) return null;
    return { lease, delivery: await tx.notificationDelivery.findUniqueOrThrow({ where: { id }, include: { notification: true } }) };
  });
}

/** Sends one webhook delivery if this caller wins its claim. */
export async function attemptWebhook(id: string, now: Date, maxAttempts?: number): Promise<AttemptResult> {
  const claim = await claimWebhook(id, now);
  if (!claim) return { status: "skipped" };
  const { lease, delivery } = claim;
  const { notification } = delivery;
  const payload = JSON.parse(notification.payload) as EventPayload;
  const claims = securityEvent({ id: notification.id, createdAt: notification.createdAt, payload }, issuer(), delivery.target, now);
  const jws = await signSecurityEvent(claims, await currentSigningKey());
  const outcome = await postSecurityEvent(delivery.target, jws);
  const max = maxAttempts ?? (await getSettings())["notify.webhookMaxAttempts"];
  const retryAt = outcome.ok || outcome.permanent ? null : nextAttemptAt(now, delivery.attempts, max);
  const result: AttemptResult = outcome.ok
    ? { status: "delivered", lastStatus: outcome.status, lastError: null }
    : { status: retryAt ? "pending" : "failed", lastStatus: outcome.status, lastError: outcome.message };
  await writeTransaction((tx) =>
    tx.notificationDelivery.updateMany({
      where: { id, leaseUntil: lease },
      data: { status: result.status, lastStatus: result.lastStatus, lastError: result.lastError, leaseUntil: null, deliveredAt: outcome.ok ? new Date() : null, ...(retryAt ? { nextAttemptAt: retryAt } : {}) },
    }),
  );
  if (!outcome.ok) log.warn({ deliveryId: id, eventId: notification.id, type: notification.type, code: outcome.code, httpStatus: outcome.status, final: result.status === "failed" }, "webhook delivery failed");
  return result;
}

/** Every due webhook delivery, a few at a time; returns how many this caller sent (won). */
export async function deliverDueWebhooks(now: Date): Promise<number> {
  const due = await db().notificationDelivery.findMany({
    where: { channel: "webhook", status: "pending", nextAttemptAt: { lte: now }, ...leaseFree(now) },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
    take: WEBHOOK_BATCH,
    select: { id: true },
  });
  const max = (await getSettings())["notify.webhookMaxAttempts"];
  let sent = 0;
  for (let i = 0; i < due.length; i += WEBHOOK_CONCURRENCY) {
    const results = await Promise.all(due.slice(i, i + WEBHOOK_CONCURRENCY).map((d) => attemptWebhook(d.id, now, max)));
    sent += results.filter((r) => r.status !== "skipped").length;
  }
  return sent;
}

/**
 * Opens today's digest for each recipient with email waiting: the first scheduler to insert the
 * (recipient, day) row owns it (a unique key) and attaches the waiting deliveries to it with one
 * conditional update. What arrives after today's digest was opened waits for tomorrow's.
 */
export async function openDigests(now: Date): Promise<{ id: string; lease: Date }[]> {
  if (!emailEnabled()) return [];
  const waiting = await db().notificationDelivery.groupBy({ by: ["target"], where: { channel: "email", status: "pending", digestId: null } });
  const opened: { id: string; lease: Date }[] = [];
  for (const { target } of waiting) {
    const lease = new Date(now.getTime() + LEASE_MS);
    const key = digestKey(target, now);
    let digest: { id: string } | null;
    try {
      digest = await writeTransaction(async (tx) => {
        // today's digest exists (sent, or being sent by another scheduler): these wait for tomorrow's
        if (await tx.notificationDigest.findUnique({ where: { key }, select: { id: true } })) return null;
        const created = await tx.notificationDigest.create({ data: { key, recipient: target, leaseUntil: lease, nextAttemptAt: now, createdAt: now }, select: { id: true } });
        await tx.notificationDelivery.updateMany({ where: { channel: "email", status: "pending", digestId: null, target }, data: { digestId: created.id } });
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) continue; // another scheduler opened it at the same moment
      throw error;
    }
    if (digest) opened.push({ id: digest.id, lease });
  }
  return opened;
}

/** Claims a digest that is due for a (re)try and free; the lease's end, or null. */
export async function claimDigest(id: string, now: Date): Promise<Date | null> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const claimed = await writeTransaction((tx) => tx.notificationDigest.updateMany({ where: { id, status: "pending", nextAttemptAt: { lte: now }, ...leaseFree(now) }, data: { leaseUntil: lease } }));
  return claimed.count === 1 ? lease : null;
}

/** Sends a digest this caller holds the lease of; writes the outcome to it and its deliveries. */
export async function sendDigest(id: string, lease: Date, now: Date): Promise<AttemptResult> {
  const { digest, deliveries } = await writeTransaction(async (tx) => ({
    digest: await tx.notificationDigest.findUniqueOrThrow({ where: { id } }),
    deliveries: await tx.notificationDelivery.findMany({ where: { digestId: id }, include: { notification: true }, orderBy: [{ notification: { createdAt: "asc" } }, { id: "asc" }] }),
  }));
  const events = deliveries.map((d) => ({ id: d.notification.id, payload: JSON.parse(d.notification.payload) as EventPayload }));
  const attempts = digest.attempts + 1;
  const outcome = events.length ? await sendMail(digest.recipient, renderDigest(events, utcDay(digest.createdAt))) : ({ ok: true, status: null } as const);
  const retryAt = outcome.ok ? null : nextAttemptAt(now, attempts, DIGEST_MAX_ATTEMPTS);
  const status = outcome.ok ? "delivered" : retryAt ? "pending" : "failed";
  const lastError = outcome.ok ? null : outcome.message;
  await writeTransaction(async (tx) => {
    const written = await tx.notificationDigest.updateMany({
      where: { id, leaseUntil: lease },
      data: { status, attempts, lastStatus: outcome.status, lastError, leaseUntil: null, deliveredAt: outcome.ok ? new Date() : null, ...(retryAt ? { nextAttemptAt: retryAt } : {}) },
    });
    // the digest's outcome is its deliveries' outcome
    if (written.count === 1) {
      await tx.notificationDelivery.updateMany({
        where: { digestId: id },
        data: { status, attempts, lastStatus: outcome.status, lastError, deliveredAt: outcome.ok ? new Date() : null, nextAttemptAt: retryAt ?? now },
      });
    }
  });
  if (!outcome.ok) log.warn({ digestId: id, events: events.length, smtpStatus: outcome.status, final: status === "failed" }, "email digest failed");
  return { status, lastStatus: outcome.status, lastError };
}

/** Opens today's digests and sends them, then every older digest due for a retry. */
export async function deliverDigests(now: Date): Promise<number> {
  if (!emailEnabled()) return 0;
  let sent = 0;
  // the opener holds each new digest's lease from the insert on, so no other scheduler sends it half-filled
  for (const { id, lease } of await openDigests(now)) {
    await sendDigest(id, lease, now);
    sent += 1;
  }
  const due = await db().notificationDigest.findMany({ where: { status: "pending", nextAttemptAt: { lte: now }, ...leaseFree(now) }, select: { id: true }, orderBy: { nextAttemptAt: "asc" }, take: 100 });
  for (const digest of due) {
    const lease = await claimDigest(digest.id, now);
    if (!lease) continue;
    await sendDigest(digest.id, lease, now);
    sent += 1;
  }
  return sent;
}
