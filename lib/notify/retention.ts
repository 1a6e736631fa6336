// Notifications are kept for the retention setting (notify.retentionDays), then deleted with their
// delivery log, a chunk at a time. A notification still being delivered is kept whatever its age; an
// email digest goes once none of its deliveries is left. Deleting a notification frees its dedupe key,
// so a condition that still holds is found and notified again: a reminder after the retention period.
import { db } from "../db";
import { startPeriodic } from "../periodic";
import { log } from "../log";
import { getSettings } from "../settings";
import { writeTransaction } from "./write";

const DAY_MS = 86_400_000;
const CHUNK = 500;
/** At most this many chunks a run: a large backlog drains over several runs, never in one long lock. */
const MAX_CHUNKS_PER_RUN = 20;

export async function pruneNotifications(now = new Date()): Promise<{ notifications: number; digests: number }> {
  const cutoff = new Date(now.getTime() - (await getSettings())["notify.retentionDays"] * DAY_MS);
  let notifications = 0;
  for (let i = 0; i < MAX_CHUNKS_PER_RUN; i++) {
    const ids = await db().notification.findMany({
      where: { createdAt: { lt: cutoff }, deliveries: { none: { status: "pending" } } },
      select: { id: true },
      orderBy: { createdAt: "asc" },
      take: CHUNK,
    });
    if (!ids.length) break;
    // the deliveries go with them (onDelete: Cascade); a delivery that became pending meanwhile (a resend) keeps its notification
    notifications += await writeTransaction(async (tx) =>
      (await tx.notification.deleteMany({ where: { id: { in: ids.map((r) => r.id) }, deliveries: { none: { status: "pending" } } } })).count,
    );
    if (ids.length < CHUNK) break;
  }
  const digests = await writeTransaction(async (tx) =>
    (await tx.notificationDigest.deleteMany({ where: { createdAt: { lt: cutoff }, status: { not: "pending" }, deliveries: { none: {} } } })).count,
  );
  return { notifications, digests };
}

/** Starts the pruning in this process, hourly; returns a function that stops it. */
export function startNotificationRetention(): () => void {
  return startPeriodic({
    name: "notification retention",
    intervalMs: 3_600_000,
    firstDelayMs: 45_000,
    jitterMs: 60_000,
    run: async () => {
      const pruned = await pruneNotifications();
      if (pruned.notifications || pruned.digests) log.info(pruned, "notifications past retention deleted");
    },
  });
}
