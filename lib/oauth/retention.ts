// Raw authentication events are kept for the retention period (setting), then deleted: the dashboards
// read the daily roll-ups (AuthEventDaily), which are kept. Deletion runs in bounded chunks, oldest
// first, so a large backlog never holds the database for long; several instances may run it at once
// (a row deleted twice is deleted once).
import { db, provider } from "../db";
import { log } from "../log";
import { getSettings } from "../settings";
import { startPeriodic } from "../periodic";

const CHUNK = 5_000;
const MAX_CHUNKS_PER_RUN = 20;
const DAY_MS = 86_400_000;

/** Deletes raw events older than the retention period; returns how many. */
export async function pruneAuthEvents(now = new Date()): Promise<number> {
  const days = (await getSettings())["events.retentionDays"];
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  let deleted = 0;
  for (let i = 0; i < MAX_CHUNKS_PER_RUN; i++) {
    const ids = await db().authEvent.findMany({ where: { at: { lt: cutoff } }, select: { id: true }, orderBy: { at: "asc" }, take: CHUNK });
    if (!ids.length) break;
    const { count } = await db().authEvent.deleteMany({ where: { id: { in: ids.map((r) => r.id) } } });
    deleted += count;
    if (ids.length < CHUNK) break;
  }
  return deleted;
}

/** Starts the pruning in this process, hourly; returns a function that stops it. */
export function startEventRetention(): () => void {
  return startPeriodic({
    name: "authentication event retention",
    intervalMs: 3_600_000,
    firstDelayMs: 30_000,
    jitterMs: 60_000,
    run: async () => {
      const deleted = await pruneAuthEvents();
      if (deleted) log.info({ deleted, provider: provider() }, "authentication events past retention deleted");
    },
  });
}
