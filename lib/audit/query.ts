// Reading the audit trail: filters for the audit page and the CSV export.
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db, Prisma } from "../db";

export const AuditFilterSchema = z.object({
  actor: z.string().trim().max(320).optional().catch(undefined),
  action: z.string().trim().max(100).optional().catch(undefined),
  target: z.string().trim().max(300).optional().catch(undefined),
  from: z.coerce.date().optional().catch(undefined),
  to: z.coerce.date().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AUDIT_PAGE_SIZE = 50;

function whereOf(filter: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.actor) and.push({ actorEmail: { contains: filter.actor.toLowerCase() } });
  if (filter.action) and.push({ action: { startsWith: filter.action } });
  if (filter.target) and.push({ OR: [{ targetId: filter.target }, { targetName: { contains: filter.target } }] });
  if (filter.from) and.push({ at: { gte: filter.from } });
  if (filter.to) {
    // a date without a time (from a date picker) includes that whole day
    const dayOnly = filter.to.getUTCHours() === 0 && filter.to.getUTCMinutes() === 0 && filter.to.getUTCSeconds() === 0 && filter.to.getUTCMilliseconds() === 0;
    and.push({ at: dayOnly ? { lt: new Date(filter.to.getTime() + 86_400_000) } : { lte: filter.to } });
  }
  return and.length ? { AND: and } : {};
}

export async function listAuditEvents(actor: Actor, filter: AuditFilter) {
  assertCan(actor, "audit.read");
  const where = whereOf(filter);
  const [rows, total] = await Promise.all([
    db().auditEvent.findMany({ where, orderBy: { seq: "desc" }, skip: (filter.page - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE }),
    db().auditEvent.count({ where }),
  ]);
  return { rows, total, page: filter.page, pageSize: AUDIT_PAGE_SIZE };
}

export async function distinctAuditActions(): Promise<string[]> {
  const rows = await db().auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
  // a leading = + - @ would be run as a formula by spreadsheet programs (CSV injection)
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}

const CSV_COLUMNS = ["seq", "at", "actor_type", "actor", "action", "target_type", "target_id", "target_name", "details", "address", "prev_hash", "hash"];

/** The filtered trail as CSV, oldest first, streamed page by page. */
export async function* auditCsv(actor: Actor, filter: AuditFilter): AsyncGenerator<string> {
  assertCan(actor, "audit.read");
  yield csvLine(CSV_COLUMNS);
  const where = whereOf(filter);
  let after = 0;
  for (;;) {
    const rows = await db().auditEvent.findMany({ where: { AND: [where, { seq: { gt: after } }] }, orderBy: { seq: "asc" }, take: 1000 });
    for (const r of rows) {
      yield csvLine([r.seq, r.at, r.actorType, r.actorEmail, r.action, r.targetType, r.targetId, r.targetName, r.details, r.address, r.prevHash, r.hash]);
    }
    if (rows.length < 1000) return;
    after = rows[rows.length - 1].seq;
  }
}

/** The most recent entries about one target (client page, user page). */
export async function recentAuditFor(actor: Actor, targetType: string, targetId: string, take = 20) {
  assertCan(actor, "audit.read");
  return db().auditEvent.findMany({ where: { targetType, targetId }, orderBy: { seq: "desc" }, take });
}
