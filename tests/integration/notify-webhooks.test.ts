// Webhook notifications end to end against a local receiver that verifies every event with jose against
// the published JWKS: detection → one signed event per condition and threshold → delivery, retries with
// back-off and a final failed state, resend, the SSRF guard, and two schedulers at once in separate
// processes delivering each event exactly once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consoleUrl } from "@/lib/config";
import { db, disconnect, useWriteAheadLog } from "@/lib/db";
import { createRoute, resendDelivery } from "@/lib/notify/routes";
import { runNotificationPass } from "@/lib/notify/scheduler";
import { publishedJwks } from "@/lib/oauth/server-keys";
import { updateSettings } from "@/lib/settings";
import { auditCount, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";
import { passInChildProcess, startReceiver, type Receiver } from "./notify-fixtures";
import { secretClient } from "./oauth-fixtures";

const DAY = 86_400_000;
let cast: Cast;
let receiver: Receiver;
const saved = { allow: process.env.KEYSHIFT_FETCH_ALLOW, smtp: process.env.KEYSHIFT_SMTP_URL };
const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));

/** New secrets live 90 days (the default lifetime): 85 days on, each expires within the 7-day threshold. */
const soon = () => new Date(Date.now() + 85 * DAY);

async function clearNotifications() {
  await db().notificationDelivery.deleteMany();
  await db().notificationDigest.deleteMany();
  await db().notification.deleteMany();
  await db().notificationRoute.deleteMany();
  await db().client.deleteMany();
}

async function teamRoute(target = receiver.url) {
  return createRoute(cast.operatorOwner, { teamId: cast.teamA.id, name: "Payments on-call", channel: "webhook", target });
}

beforeAll(async () => {
  await resetDatabase();
  // as `npm start` and the token server run SQLite: several processes share the file (no-op on PostgreSQL)
  await useWriteAheadLog();
  cast = await makeCast();
  receiver = await startReceiver();
  // the SSRF guard refuses loopback; this test's receiver is exempt, as a private deployment's would be
  process.env.KEYSHIFT_FETCH_ALLOW = "127.0.0.1";
  delete process.env.KEYSHIFT_SMTP_URL;
  await publishedJwks();
});
afterAll(async () => {
  restore("KEYSHIFT_FETCH_ALLOW", saved.allow);
  restore("KEYSHIFT_SMTP_URL", saved.smtp);
  await receiver.close();
  await disconnect();
});
beforeEach(async () => {
  await clearNotifications();
  receiver.answer(202);
  receiver.events.length = 0;
  receiver.jtis.length = 0;
  receiver.requests = 0;
  receiver.delayMs = 0;
});

describe("webhook delivery", () => {
  it("sends the owner team a signed event (RFC 8417 SET) that verifies against the published JWKS", async () => {
    await teamRoute();
    const client = await secretClient(cast.admin, cast.teamA.id);
    const now = soon();
    const result = await runNotificationPass(now);
    expect(result).toMatchObject({ recorded: 1, webhooks: 1 });
    expect(receiver.rejected).toEqual([]);
    expect(receiver.events).toHaveLength(1);
    const [received] = receiver.events;
    const notification = await db().notification.findFirstOrThrow();
    expect(received.contentType).toBe("application/secevent+jwt");
    expect(received.kid).toBe((await publishedJwks()).keys[0].kid);
    expect(received.claims).toMatchObject({ jti: notification.id, aud: receiver.url, toe: Math.floor(now.getTime() / 1000) });
    expect(Object.keys(received.claims.events)).toEqual(["urn:keyshift:event:secret.expiring"]);
    expect(received.event).toMatchObject({
      type: "secret.expiring",
      team: { id: cast.teamA.id, name: cast.teamA.name },
      client: { id: client.id, client_id: client.clientId, environment: "production" },
      details: { secret_id: client.secretId, threshold_days: 7, days_left: 5 },
      link: `${consoleUrl()}/clients/${client.id}`,
    });
    // the secret's value goes nowhere: only its id and hint
    expect(received.jws).not.toContain(client.secret);
    expect(JSON.stringify(received.claims)).not.toContain(client.secret.slice(8));
    const delivery = await db().notificationDelivery.findFirstOrThrow();
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 202, lastError: null, target: receiver.url });
  });

  it("records nothing new and sends nothing when a pass finds the same condition again", async () => {
    await teamRoute();
    await secretClient(cast.admin, cast.teamA.id);
    const now = soon();
    await runNotificationPass(now);
    const again = await runNotificationPass(new Date(now.getTime() + 3_600_000));
    expect(again).toMatchObject({ recorded: 0, webhooks: 0 });
    expect(receiver.requests).toBe(1);
    expect(await db().notification.count()).toBe(1);
  });

  it("sends a new event when the secret crosses the next threshold", async () => {
    await teamRoute();
    await secretClient(cast.admin, cast.teamA.id);
    const now = soon();
    await runNotificationPass(now);
    await runNotificationPass(new Date(now.getTime() + 4.6 * DAY));
    expect(receiver.events.map((e) => e.event.details.threshold_days)).toEqual([7, 1]);
    expect(new Set(receiver.jtis).size).toBe(2);
  });

  it("tries again after a receiver failure, with back-off, under the same event id", async () => {
    await teamRoute();
    await secretClient(cast.admin, cast.teamA.id);
    receiver.answer(500, 202);
    const now = soon();
    await runNotificationPass(now);
    const failed = await db().notificationDelivery.findFirstOrThrow();
    expect(failed).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500 });
    expect(failed.lastError).toMatch(/answered 500/);
    expect(failed.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);

    // not due yet: nothing is sent
    expect((await runNotificationPass(new Date(now.getTime() + 30_000))).webhooks).toBe(0);
    expect(receiver.requests).toBe(1);

    await runNotificationPass(new Date(now.getTime() + 61_000));
    expect(await db().notificationDelivery.findFirstOrThrow()).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 202, lastError: null });
    expect(receiver.jtis).toHaveLength(2);
    expect(receiver.jtis[0]).toBe(receiver.jtis[1]);
    expect(receiver.events).toHaveLength(1);
  });

  it("marks a delivery failed once its attempts are used, and the owner team's operator resends it", async () => {
    await updateSettings(cast.admin, { "notify.webhookMaxAttempts": 2 });
    try {
      await teamRoute();
      await secretClient(cast.admin, cast.teamA.id);
      receiver.answer(503);
      const now = soon();
      await runNotificationPass(now);
      await runNotificationPass(new Date(now.getTime() + 61_000));
      const delivery = await db().notificationDelivery.findFirstOrThrow();
      expect(delivery).toMatchObject({ status: "failed", attempts: 2, lastStatus: 503 });
      await runNotificationPass(new Date(now.getTime() + DAY));
      expect(receiver.requests).toBe(2);

      const later = new Date(now.getTime() + DAY + 60_000);
      const audits = await auditCount();
      await rejection(resendDelivery(cast.auditor, delivery.id, later), "forbidden");
      await rejection(resendDelivery(cast.operatorOther, delivery.id, later), "forbidden");
      expect(await auditCount()).toBe(audits);
      expect(receiver.requests).toBe(2);

      receiver.answer(202);
      expect(await resendDelivery(cast.operatorOwner, delivery.id, later)).toMatchObject({ status: "delivered", lastStatus: 202 });
      expect(await db().notificationDelivery.findFirstOrThrow()).toMatchObject({ status: "delivered", attempts: 1 });
      expect(await lastAudit()).toMatchObject({ action: "notification.resend", actorEmail: cast.operatorOwner.email, targetId: delivery.id });
      await rejection(resendDelivery(cast.operatorOwner, delivery.id, later), "conflict");
    } finally {
      await updateSettings(cast.admin, { "notify.webhookMaxAttempts": 8 });
    }
  });
});

describe("the SSRF guard", () => {
  it("refuses a route to a private address, writing nothing", async () => {
    const audits = await auditCount();
    const error = await rejection(createRoute(cast.admin, { teamId: cast.teamA.id, name: "Internal", channel: "webhook", target: "https://10.0.0.5/hook" }), "invalid");
    expect(error.fields?.target).toMatch(/10\.0\.0\.5 is a private address/);
    expect(await db().notificationRoute.count()).toBe(0);
    expect(await auditCount()).toBe(audits);
  });

  it("refuses to send to an address the guard no longer exempts, at once and for good", async () => {
    await teamRoute();
    await secretClient(cast.admin, cast.teamA.id);
    delete process.env.KEYSHIFT_FETCH_ALLOW;
    try {
      await runNotificationPass(soon());
    } finally {
      process.env.KEYSHIFT_FETCH_ALLOW = "127.0.0.1";
    }
    const delivery = await db().notificationDelivery.findFirstOrThrow();
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastStatus: null });
    expect(delivery.lastError).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(receiver.requests).toBe(0);
  });
});

describe("several schedulers at once", () => {
  const EVENTS = 30;
  it("deliver each event exactly once (two other processes and this one, same database)", async () => {
    await teamRoute();
    const clients = [];
    for (let i = 0; i < EVENTS; i++) clients.push(await secretClient(cast.admin, cast.teamA.id));
    // a slow receiver keeps deliveries in flight while the other schedulers look for due ones
    receiver.delayMs = 150;
    const now = soon();
    // the other processes need a few seconds to start; all three passes begin at the same moment
    const startAt = Date.now() + 6_000;
    const inProcess = (async () => {
      await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));
      return runNotificationPass(now);
    })();
    const results = await Promise.all([passInChildProcess(now, startAt), passInChildProcess(now, startAt), inProcess]);

    expect(receiver.rejected).toEqual([]);
    expect(await db().notification.count()).toBe(EVENTS);
    expect(results.reduce((sum, r) => sum + r.recorded, 0)).toBe(EVENTS);
    expect(results.reduce((sum, r) => sum + r.webhooks, 0)).toBe(EVENTS);
    expect(receiver.jtis).toHaveLength(EVENTS);
    expect(new Set(receiver.jtis).size).toBe(EVENTS);
    const deliveries = await db().notificationDelivery.findMany();
    expect(deliveries).toHaveLength(EVENTS);
    expect(deliveries.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
    expect(new Set(receiver.events.map((e) => e.event.client?.client_id))).toEqual(new Set(clients.map((c) => c.clientId)));
  });
});
