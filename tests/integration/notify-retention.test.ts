// Notification retention: sent and failed notifications past notify.retentionDays go with their delivery
// log; one still being delivered stays whatever its age; recent ones stay; a digest goes once none of its
// deliveries is left; the freed dedupe key lets a condition that still holds be notified again.
import crypto from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { disconnect, db } from "@/lib/db";
import { pruneNotifications } from "@/lib/notify/retention";
import { updateSettings } from "@/lib/settings";
import { SYSTEM } from "@/lib/auth/actor";
import { resetDatabase } from "./helpers";

const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);

beforeEach(resetDatabase);
afterAll(disconnect);

async function notification(name: string, createdAt: Date, deliveries: ("delivered" | "failed" | "pending")[], digestId?: string) {
  const id = crypto.randomUUID();
  await db().notification.create({
    data: {
      id,
      type: "secret.expiring",
      dedupeKey: `secret.expiring:${name}:7`,
      subjectType: "client",
      subjectId: name,
      payload: "{}",
      createdAt,
      deliveries: {
        create: deliveries.map((status, i) => ({ channel: digestId ? "email" : "webhook", target: `https://hooks.example.com/${name}/${i}`, status, createdAt, digestId })),
      },
    },
  });
  return id;
}

describe("pruneNotifications", () => {
  it("deletes old sent and failed notifications with their deliveries, and keeps pending and recent ones", async () => {
    const oldSent = await notification("old-sent", ago(200), ["delivered", "failed"]);
    const oldPending = await notification("old-pending", ago(200), ["delivered", "pending"]);
    const recent = await notification("recent", ago(10), ["delivered"]);
    const edge = await notification("edge", ago(179), ["failed"]);

    expect(await pruneNotifications(now)).toEqual({ notifications: 1, digests: 0 });
    const left = (await db().notification.findMany({ select: { id: true } })).map((n) => n.id).sort();
    expect(left).toEqual([oldPending, recent, edge].sort());
    expect(await db().notificationDelivery.count({ where: { notificationId: oldSent } })).toBe(0);
    expect(await db().notificationDelivery.count()).toBe(4);

    // the setting decides: at 7 days the sent ones of 10 and 179 days go too
    await updateSettings(SYSTEM, { "notify.retentionDays": "7" });
    expect(await pruneNotifications(now)).toEqual({ notifications: 2, digests: 0 });
    expect((await db().notification.findMany({ select: { id: true } })).map((n) => n.id)).toEqual([oldPending]);
  });

  it("deletes an old digest once its deliveries are gone, never a pending one", async () => {
    const sent = await db().notificationDigest.create({ data: { key: "digest sent", recipient: "ops@example.com", status: "delivered", createdAt: ago(200) } });
    const waiting = await db().notificationDigest.create({ data: { key: "digest waiting", recipient: "ops@example.com", status: "pending", createdAt: ago(200) } });
    await notification("in-sent-digest", ago(200), ["delivered"], sent.id);
    expect(await pruneNotifications(now)).toEqual({ notifications: 1, digests: 1 });
    expect((await db().notificationDigest.findMany({ select: { id: true } })).map((d) => d.id)).toEqual([waiting.id]);
  });

  it("frees the dedupe key, so a condition that still holds is recorded again", async () => {
    await notification("still-expiring", ago(200), ["delivered"]);
    await pruneNotifications(now);
    await expect(notification("still-expiring", now, ["pending"])).resolves.toBeTypeOf("string");
  });
});
