// REST reads of users, teams and the audit trail, for every role allowed to see them.
import type { UserActor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { auditCsv, AuditFilterSchema, listAuditEvents, type AuditFilter } from "../audit/query";
import { invalid } from "../errors";
import { listTeamsWithCounts } from "../teams/commands";
import { listUsers } from "../users/queries";

export async function apiListUsers(actor: UserActor) {
  const users = await listUsers(actor);
  return {
    data: users.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role as "admin" | "operator" | "auditor",
      status: (u.disabledAt ? "disabled" : u.hasPassword || u.lastSignInAt ? "active" : "invited") as "active" | "disabled" | "invited",
      teams: u.teams,
      last_sign_in_at: u.lastSignInAt?.toISOString() ?? null,
      created_at: u.createdAt.toISOString(),
    })),
  };
}

export async function apiListTeams(actor: UserActor) {
  assertCan(actor, "client.read");
  return { data: await listTeamsWithCounts() };
}

const AUDIT_PARAMS = ["actor", "action", "target", "from", "to", "page"];

/** The audit filters from a query string; unknown parameters and unreadable values are errors here. */
export function auditFilterFrom(search: URLSearchParams): AuditFilter {
  const raw = Object.fromEntries(search);
  const fields: Record<string, string> = {};
  for (const key of Object.keys(raw)) if (!AUDIT_PARAMS.includes(key)) fields[key] = "Unknown parameter";
  const filter = AuditFilterSchema.parse(raw);
  for (const key of ["from", "to"] as const) if (raw[key] !== undefined && !filter[key]) fields[key] = "Use an ISO 8601 date or date-time";
  if (raw.page !== undefined && String(filter.page) !== raw.page) fields.page = "Use a whole number from 1";
  if (Object.keys(fields).length) throw invalid("Some query parameters are not valid.", fields);
  return filter;
}

export async function apiListAudit(actor: UserActor, search: URLSearchParams) {
  const result = await listAuditEvents(actor, auditFilterFrom(search));
  return {
    data: result.rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      actor_type: r.actorType as "user" | "system" | "anonymous",
      actor: r.actorEmail,
      action: r.action,
      target_type: r.targetType,
      target_id: r.targetId,
      target_name: r.targetName,
      details: JSON.parse(r.details) as Record<string, unknown>,
      address: r.address,
      prev_hash: r.prevHash,
      hash: r.hash,
    })),
    page: result.page,
    page_size: result.pageSize,
    total: result.total,
  };
}

export function apiAuditCsv(actor: UserActor, search: URLSearchParams): AsyncGenerator<string> {
  // checked now, before the response starts streaming
  assertCan(actor, "audit.read");
  return auditCsv(actor, auditFilterFrom(search));
}
