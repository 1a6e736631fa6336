// Email notifications against a local SMTP sink: one digest per recipient and UTC day (routes and the
// client's contact alike), with links back to the console; what is found later that day waits for the
// next day's digest; a refused message is retried; the test button; concurrent schedulers send one digest.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consoleUrl } from "@/lib/config";
import { db, disconnect } from "@/lib/db";
import { createRoute, resendDelivery, sendTestNotification } from "@/lib/notify/routes";
import { runNotificationPass } from "@/lib/notify/scheduler";
import { makeCast, rejection, resetDatabase, type Cast } from "./helpers";
import { startSmtpSink, type SmtpSink } from "./notify-fixtures";
import { secretClient } from "./oauth-fixtures";

const DAY = 86_400_000;
let cast: Cast;
let sink: SmtpSink;
const saved = process.env.KEYSHIFT_SMTP_URL;

/** 10:00 UTC on the day 85 days from now: new secrets (90-day lifetime) expire within the 7-day threshold. */
function morning(): Date {
  const day = new Date(Date.now() + 85 * DAY);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 10));
}

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  sink = await startSmtpSink();
  process.env.KEYSHIFT_SMTP_URL = sink.url;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.KEYSHIFT_SMTP_URL;
  else process.env.KEYSHIFT_SMTP_URL = saved;
  await sink.close();
  await disconnect();
});
beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notificationDigest.deleteMany();
  await db().notification.deleteMany();
  await db().notificationRoute.deleteMany();
  await db().client.deleteMany();
  sink.mails.length = 0;
});

const emailRoute = (actor = cast.operatorOwner, target = "Payments-Oncall@Example.test") => createRoute(actor, { teamId: cast.teamA.id, name: "On-call", channel: "email", target });
const byRecipient = () => Object.fromEntries(sink.mails.map((m) => [m.to.join(","), m]));

describe("email digests", () => {
  it("sends each recipient one digest a day listing every event, with links to the console", async () => {
    await emailRoute();
    const first = await secretClient(cast.admin, cast.teamA.id);
    const second = await secretClient(cast.admin, cast.teamA.id, { contactEmail: "billing-dev@example.test" });
    const now = morning();
    await runNotificationPass(now);

    expect(sink.mails.map((m) => m.to.join(",")).sort()).toEqual(["billing-dev@example.test", "owner@example.test", "payments-oncall@example.test"]);
    const team = byRecipient()["payments-oncall@example.test"];
    const day = now.toISOString().slice(0, 10);
    expect(team.subject).toBe(`Keyshift: 2 notices for ${day}`);
    expect(team.text).toContain(`${consoleUrl()}/clients/${first.id}`);
    expect(team.text).toContain(`${consoleUrl()}/clients/${second.id}`);
    expect(team.text).toContain(`${consoleUrl()}/notifications`);
    expect(team.text).toContain(`The secret ${first.secret.slice(0, 8)}… of ${first.clientId}`);
    expect(team.raw).not.toContain(first.secret);
    // each contact hears about their own client only
    expect(byRecipient()["owner@example.test"].subject).toBe(`Keyshift: 1 notice for ${day}`);
    expect(byRecipient()["owner@example.test"].text).toContain(first.clientId);
    expect(byRecipient()["owner@example.test"].text).not.toContain(second.clientId);

    expect(await db().notificationDigest.count({ where: { status: "delivered" } })).toBe(3);
    expect(await db().notificationDelivery.count({ where: { status: "delivered", channel: "email" } })).toBe(4);
  });

  it("holds what is found later that day for the next day's digest", async () => {
    await emailRoute();
    await secretClient(cast.admin, cast.teamA.id);
    const now = morning();
    await runNotificationPass(now);
    expect(sink.mails).toHaveLength(2);

    const late = await secretClient(cast.admin, cast.teamA.id);
    await runNotificationPass(new Date(now.getTime() + 3 * 3_600_000));
    expect(sink.mails).toHaveLength(2);
    expect(await db().notificationDelivery.count({ where: { status: "pending", digestId: null } })).toBe(2);

    const tomorrow = new Date(now.getTime() + 14.5 * 3_600_000);
    await runNotificationPass(tomorrow);
    expect(sink.mails).toHaveLength(4);
    const next = sink.mails.slice(2).find((m) => m.to[0] === "payments-oncall@example.test")!;
    expect(next.subject).toBe(`Keyshift: 1 notice for ${tomorrow.toISOString().slice(0, 10)}`);
    expect(next.text).toContain(late.clientId);
  });

  it("retries a digest the SMTP server refuses for now, then marks it delivered", async () => {
    await emailRoute();
    await secretClient(cast.admin, cast.teamA.id, { contactEmail: "payments-oncall@example.test" });
    sink.refuse(451);
    const now = morning();
    await runNotificationPass(now);
    const digest = await db().notificationDigest.findFirstOrThrow();
    expect(digest).toMatchObject({ status: "pending", attempts: 1, lastStatus: 451 });
    expect(digest.lastError).toMatch(/^SMTP: .*451/);
    expect(digest.lastError).not.toContain(sink.url);
    expect(await db().notificationDelivery.findFirstOrThrow()).toMatchObject({ status: "pending", attempts: 1, lastStatus: 451 });

    await runNotificationPass(new Date(now.getTime() + 61_000));
    expect(sink.mails).toHaveLength(1);
    expect(await db().notificationDigest.findFirstOrThrow()).toMatchObject({ status: "delivered", attempts: 2 });
    expect(await db().notificationDelivery.findFirstOrThrow()).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
  });

  it("sends one digest per recipient when several schedulers run at once", async () => {
    await emailRoute();
    for (let i = 0; i < 5; i++) await secretClient(cast.admin, cast.teamA.id);
    const now = morning();
    await Promise.all([runNotificationPass(now), runNotificationPass(now), runNotificationPass(now)]);
    expect(sink.mails.map((m) => m.to[0]).sort()).toEqual(["owner@example.test", "payments-oncall@example.test"]);
    expect(byRecipient()["payments-oncall@example.test"].subject).toMatch(/^Keyshift: 5 notices/);
  });
});

describe("the test button for an email route", () => {
  it("sends a test message at once, outside the day's digest", async () => {
    const created = await emailRoute();
    const result = await sendTestNotification(cast.operatorOwner, created.id);
    expect(result).toMatchObject({ status: "delivered" });
    expect(sink.mails).toHaveLength(1);
    expect(sink.mails[0]).toMatchObject({ to: ["payments-oncall@example.test"], subject: "Keyshift: test notification" });
    expect(sink.mails[0].text).toContain(result.eventId);

    // the day's digest is still to come
    await secretClient(cast.admin, cast.teamA.id, { contactEmail: "payments-oncall@example.test" });
    await runNotificationPass(new Date());
    expect(sink.mails).toHaveLength(1);
    await runNotificationPass(morning());
    expect(sink.mails).toHaveLength(2);
  });

  it("a failed digest is resent as a whole by whoever manages the route", async () => {
    const created = await emailRoute();
    sink.refuse(550, 550, 550, 550, 550, 550);
    expect(await sendTestNotification(cast.operatorOwner, created.id)).toMatchObject({ status: "pending", lastStatus: 550 });
    const delivery = await db().notificationDelivery.findFirstOrThrow();
    // five more attempts, each after its back-off, use up the digest's six
    let at = Date.now();
    for (let i = 0; i < 6; i++) await runNotificationPass(new Date((at += 2 * 3_600_000)));
    expect(await db().notificationDigest.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 6, lastStatus: 550 });
    expect(await db().notificationDelivery.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 6 });
    expect(sink.mails).toHaveLength(0);

    await rejection(resendDelivery(cast.auditor, delivery.id), "forbidden");
    await rejection(resendDelivery(cast.operatorOther, delivery.id), "forbidden");
    expect(await resendDelivery(cast.operatorOwner, delivery.id, new Date(at + 60_000))).toMatchObject({ status: "delivered" });
    expect(sink.mails).toHaveLength(1);
    expect(sink.mails[0].subject).toBe("Keyshift: test notification");
    expect(await db().notificationDelivery.findFirstOrThrow()).toMatchObject({ status: "delivered", attempts: 1 });
  });
});
