// Routes and routing: a team's events go to that team's routes (and the client's contact), a team
// without a route falls back to the organisation's routes; who may change which routes; the test button;
// the delivery log as each role sees it. Real receivers on 127.0.0.1 throughout.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnect } from "@/lib/db";
import { listDeliveries, listRoutes } from "@/lib/notify/queries";
import { createRoute, removeRoute, sendTestNotification, setRouteDisabled } from "@/lib/notify/routes";
import { runNotificationPass } from "@/lib/notify/scheduler";
import { auditCount, lastAudit, makeCast, makeTeam, rejection, resetDatabase, type Cast } from "./helpers";
import { startReceiver, type Receiver } from "./notify-fixtures";
import { secretClient } from "./oauth-fixtures";

const DAY = 86_400_000;
let cast: Cast;
let teamA: Receiver;
let teamB: Receiver;
let org: Receiver;
const saved = { allow: process.env.KEYSHIFT_FETCH_ALLOW, smtp: process.env.KEYSHIFT_SMTP_URL };
const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
const soon = () => new Date(Date.now() + 85 * DAY);

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  [teamA, teamB, org] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
  process.env.KEYSHIFT_FETCH_ALLOW = "127.0.0.1";
  delete process.env.KEYSHIFT_SMTP_URL;
});
afterAll(async () => {
  restore("KEYSHIFT_FETCH_ALLOW", saved.allow);
  restore("KEYSHIFT_SMTP_URL", saved.smtp);
  await Promise.all([teamA.close(), teamB.close(), org.close()]);
  await disconnect();
});
beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notification.deleteMany();
  await db().notificationRoute.deleteMany();
  await db().client.deleteMany();
  for (const r of [teamA, teamB, org]) {
    r.events.length = 0;
    r.requests = 0;
  }
});

const route = (teamId: string | null, target: string, name = "Hook") => ({ teamId: teamId ?? "", name, channel: "webhook", target });

describe("routing", () => {
  it("sends each team's events to its own routes only, and a team without routes to the fallback", async () => {
    const teamC = await makeTeam();
    await createRoute(cast.operatorOwner, route(cast.teamA.id, teamA.url, "Team A"));
    await createRoute(cast.operatorOther, route(cast.teamB.id, teamB.url, "Team B"));
    await createRoute(cast.admin, route(null, org.url, "SOC"));
    const a = await secretClient(cast.admin, cast.teamA.id);
    const b = await secretClient(cast.admin, cast.teamB.id);
    const c = await secretClient(cast.admin, teamC.id);

    await runNotificationPass(soon());
    expect(teamA.events.map((e) => e.event.client?.client_id)).toEqual([a.clientId]);
    expect(teamB.events.map((e) => e.event.client?.client_id)).toEqual([b.clientId]);
    expect(org.events.map((e) => e.event.client?.client_id)).toEqual([c.clientId]);
    expect(org.events[0].event.team).toEqual({ id: teamC.id, name: teamC.name });
  });

  it("falls back while a team's only route is disabled, and goes back to it once enabled", async () => {
    const own = await createRoute(cast.operatorOwner, route(cast.teamA.id, teamA.url));
    await createRoute(cast.admin, route(null, org.url));
    await setRouteDisabled(cast.operatorOwner, own.id, true);
    expect(await lastAudit()).toMatchObject({ action: "notification_route.disable", targetId: own.id });
    await secretClient(cast.admin, cast.teamA.id);
    const now = soon();
    await runNotificationPass(now);
    expect([teamA.events.length, org.events.length]).toEqual([0, 1]);

    await setRouteDisabled(cast.operatorOwner, own.id, false);
    await secretClient(cast.admin, cast.teamA.id);
    await runNotificationPass(new Date(now.getTime() + 60_000));
    expect([teamA.events.length, org.events.length]).toEqual([1, 1]);
  });

  it("keeps the delivery log of a removed route", async () => {
    const own = await createRoute(cast.operatorOwner, route(cast.teamA.id, teamA.url));
    await secretClient(cast.admin, cast.teamA.id);
    await runNotificationPass(soon());
    await removeRoute(cast.operatorOwner, own.id);
    expect(await lastAudit()).toMatchObject({ action: "notification_route.delete", targetId: own.id });
    expect(await db().notificationDelivery.findFirstOrThrow()).toMatchObject({ routeId: null, status: "delivered", target: teamA.url });
  });
});

describe("who may change routes", () => {
  it("an operator manages the routes of their own team only, and audits each change", async () => {
    const created = await createRoute(cast.operatorOwner, route(cast.teamA.id, teamA.url, "Payments"));
    expect(await lastAudit()).toMatchObject({ action: "notification_route.create", targetId: created.id, actorEmail: cast.operatorOwner.email });
    expect((await lastAudit()).details).toMatchObject({ channel: "webhook", team: { id: cast.teamA.id } });

    const audits = await auditCount();
    const refused = await rejection(createRoute(cast.operatorOther, route(cast.teamA.id, teamB.url)), "forbidden");
    expect(refused.message).toMatch(/notification routes of a team you belong to/);
    await rejection(removeRoute(cast.operatorOther, created.id), "forbidden");
    await rejection(setRouteDisabled(cast.operatorOther, created.id, true), "forbidden");
    await rejection(sendTestNotification(cast.operatorOther, created.id), "forbidden");
    expect(await auditCount()).toBe(audits);
    expect(await db().notificationRoute.count()).toBe(1);
  });

  it("an auditor changes nothing", async () => {
    const created = await createRoute(cast.admin, route(cast.teamA.id, teamA.url));
    const audits = await auditCount();
    const refused = await rejection(createRoute(cast.auditor, route(cast.teamA.id, teamB.url)), "forbidden");
    expect(refused.message).toBe("Auditors have read-only access.");
    await rejection(removeRoute(cast.auditor, created.id), "forbidden");
    await rejection(sendTestNotification(cast.auditor, created.id), "forbidden");
    expect(await auditCount()).toBe(audits);
  });

  it("only an administrator sets the organisation's fallback route", async () => {
    await rejection(createRoute(cast.operatorOwner, route(null, org.url)), "forbidden");
    const created = await createRoute(cast.admin, route(null, org.url, "SOC"));
    expect((await lastAudit()).details).toMatchObject({ team: "organisation fallback" });
    await rejection(removeRoute(cast.operatorOwner, created.id), "forbidden");
  });

  const bad: { name: string; input: Record<string, unknown>; code: "invalid" | "conflict"; field: string; message: RegExp }[] = [
    { name: "an unknown team", input: { teamId: "no-such-team", name: "X", channel: "webhook", target: "https://hooks.example.com/in" }, code: "invalid", field: "teamId", message: /Unknown team/ },
    { name: "plain http to a public host", input: { teamId: "", name: "X", channel: "webhook", target: "http://hooks.example.com/in" }, code: "invalid", field: "target", message: /https required/ },
    { name: "an email route while email is not configured", input: { teamId: "", name: "X", channel: "email", target: "soc@example.test" }, code: "invalid", field: "channel", message: /not configured/ },
    { name: "a name longer than 100 characters", input: { teamId: "", name: "x".repeat(101), channel: "webhook", target: "https://hooks.example.com/in" }, code: "invalid", field: "name", message: /At most 100/ },
  ];
  for (const { name, input, code, field, message } of bad) {
    it(`refuses ${name} with a field error and writes nothing`, async () => {
      const audits = await auditCount();
      const error = await rejection(createRoute(cast.admin, input), code);
      expect(error.fields?.[field]).toMatch(message);
      expect(await db().notificationRoute.count()).toBe(0);
      expect(await auditCount()).toBe(audits);
    });
  }

  it("refuses a second route of a team to the same URL", async () => {
    await createRoute(cast.admin, route(cast.teamA.id, teamA.url));
    const error = await rejection(createRoute(cast.admin, route(cast.teamA.id, teamA.url, "Again")), "conflict");
    expect(error.fields?.target).toMatch(/Already a route/);
  });
});

describe("the test button", () => {
  it("sends a signed sample event to that route now, and logs it", async () => {
    const created = await createRoute(cast.operatorOwner, route(cast.teamA.id, teamA.url));
    const result = await sendTestNotification(cast.operatorOwner, created.id);
    expect(result).toMatchObject({ status: "delivered", lastStatus: 202 });
    expect(teamA.events).toHaveLength(1);
    expect(teamA.events[0].claims.jti).toBe(result.eventId);
    expect(teamA.events[0].event).toMatchObject({ type: "test", subject: { type: "route", id: created.id }, team: { id: cast.teamA.id } });
    expect(await lastAudit()).toMatchObject({ action: "notification_route.test", targetId: created.id });
    const log = await listDeliveries(cast.auditor);
    expect(log.rows).toEqual([expect.objectContaining({ eventId: result.eventId, type: "test", status: "delivered", attempts: 1, canResend: false })]);
  });

  it("reports a receiver's refusal as the route's outcome", async () => {
    const created = await createRoute(cast.operatorOwner, route(cast.teamA.id, teamA.url));
    teamA.answer(404);
    try {
      const result = await sendTestNotification(cast.operatorOwner, created.id);
      expect(result).toMatchObject({ status: "pending", lastStatus: 404 });
      expect(result.status !== "skipped" && result.lastError).toMatch(/answered 404/);
    } finally {
      teamA.answer(202);
    }
  });
});

describe("reading routes and the log", () => {
  it("shows a webhook URL in full only to those who may manage the route", async () => {
    await createRoute(cast.operatorOwner, route(cast.teamA.id, `${teamA.url}/T0KEN-in-path`));
    const own = (await listRoutes(cast.operatorOwner)).teams.find((t) => t.id === cast.teamA.id)!;
    expect(own.canManage).toBe(true);
    expect(own.routes[0].target).toBe(`${teamA.url}/T0KEN-in-path`);
    for (const reader of [cast.auditor, cast.operatorOther]) {
      const seen = (await listRoutes(reader)).teams.find((t) => t.id === cast.teamA.id)!;
      expect(seen.canManage).toBe(false);
      expect(seen.routes[0].target).toBe(`${new URL(teamA.url).origin}/…`);
    }
    expect((await lastAudit()).details.target).toBe(`${new URL(teamA.url).origin}/…`);
  });

  it("pages the log and filters it by status", async () => {
    await createRoute(cast.operatorOwner, route(cast.teamA.id, teamA.url));
    await secretClient(cast.admin, cast.teamA.id);
    await secretClient(cast.admin, cast.teamA.id);
    await runNotificationPass(soon());
    expect((await listDeliveries(cast.auditor, { status: "delivered" })).total).toBe(2);
    expect((await listDeliveries(cast.auditor, { status: "failed" })).total).toBe(0);
  });
});
