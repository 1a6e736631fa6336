// Deciding what an inventory import does with each row: create, update, skip (not an error) or
// invalid (blocks the real run). Read-only; used for the dry run and again inside the import's
// transaction, so what is written is what the rows mean at that moment.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import type { Tx } from "../db";
import { DomainError } from "../errors";
import { ClientCreateSchema, type AuthMethod } from "../clients/schema";
import type { InventoryColumn, InventoryRow } from "./rows";

export type PlanAction = "create" | "update" | "skip" | "invalid";
export type FieldChange = { from: unknown; to: unknown };

/** What happens to one row, and why. */
export type PlanEntry = {
  ref: string;
  clientId: string;
  action: PlanAction;
  /** why a row is skipped or invalid */
  reasons: string[];
  /** remarks on a row that is imported (a value the import does not change) */
  notes: string[];
  /** update only: the fields that change */
  changed?: Record<string, FieldChange>;
};

export type ClientFields = {
  clientId: string;
  name: string;
  description: string;
  environment: string;
  ownerTeamId: string;
  ownerTeamName: string;
  contactEmail: string;
  authMethod: AuthMethod;
  grantTypes: string; // space-separated, as stored
  scopes: string;
};

/** An entry with what the import writes: the validated fields, the external secret, the client row to update. */
export type PlannedRow = PlanEntry & { fields?: ClientFields; secret?: { createdAt: Date; expiresAt: Date | null }; existingId?: string };

// the fields an import may change on an existing client (never client_id, the method or secrets)
export const IMPORT_EDITABLE = ["name", "description", "environment", "ownerTeamId", "contactEmail", "grantTypes", "scopes"] as const;

const COLUMN_OF_FIELD: Record<string, InventoryColumn> = {
  clientId: "client_id",
  ownerTeamId: "team",
  contactEmail: "contact_email",
  authMethod: "auth_method",
  grantTypes: "grant_types",
};

type Existing = {
  id: string;
  clientId: string;
  status: string;
  authMethod: string;
  ownerTeamId: string;
  ownerTeam: { name: string };
  secretCreatedAt: Date | null;
  secretExpiresAt: Date | null;
} & Record<(typeof IMPORT_EDITABLE)[number], string>;

async function loadExisting(q: Tx, clientIds: string[]): Promise<Map<string, Existing>> {
  const found = new Map<string, Existing>();
  for (let i = 0; i < clientIds.length; i += 500) {
    const rows = await q.client.findMany({
      where: { clientId: { in: clientIds.slice(i, i + 500) } },
      select: { id: true, clientId: true, status: true, authMethod: true, name: true, description: true, environment: true, ownerTeamId: true, contactEmail: true, grantTypes: true, scopes: true, secretCreatedAt: true, secretExpiresAt: true, ownerTeam: { select: { name: true } } },
    });
    for (const row of rows) found.set(row.clientId, row);
  }
  return found;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or time; a date alone is midnight UTC. */
function parseDate(column: InventoryColumn, value: string, reasons: string[]): Date | null {
  if (!value.trim()) return null;
  const date = new Date(value.trim());
  // the round trip catches dates JavaScript would roll over (2024-02-30)
  if (!ISO_DATE.test(value.trim()) || Number.isNaN(date.getTime()) || (value.trim().length === 10 && date.toISOString().slice(0, 10) !== value.trim())) {
    reasons.push(`${column}: "${value.trim()}" is not an ISO 8601 date (e.g. 2024-03-01 or 2024-03-01T09:30:00Z)`);
    return null;
  }
  return date;
}

function refusal(action: () => void): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
}

export async function buildPlan(q: Tx, actor: Actor, rows: readonly InventoryRow[], now: Date): Promise<PlannedRow[]> {
  const teams = await q.team.findMany({ select: { id: true, name: true } });
  const teamByName = new Map(teams.map((t) => [t.name.toLowerCase(), t]));
  const existing = await loadExisting(q, [...new Set(rows.map((r) => (r.values.client_id ?? "").trim()).filter(Boolean))]);
  const firstRef = new Map<string, string>();

  return rows.map((row): PlannedRow => {
    const v = row.values;
    const clientId = (v.client_id ?? "").trim();
    const entry = (action: PlanAction, reasons: string[] = []): PlannedRow => ({ ref: row.ref, clientId, action, reasons, notes: [] });
    if (row.error) return entry("invalid", [row.error]);
    if (row.ignore) return entry("skip", [row.ignore]);
    if (!clientId) return entry("invalid", ["client_id is required"]);
    const earlier = firstRef.get(clientId);
    if (earlier) return entry("invalid", [`client_id already appears on ${earlier}`]);
    firstRef.set(clientId, row.ref);
    const method = (v.auth_method ?? "").trim().toLowerCase();
    // a private_key_jwt client needs registered keys, and key management arrives with a later issue
    if (method === "private_key_jwt") return entry("skip", ["key management not available yet"]);
    const current = existing.get(clientId);
    if (current?.status === "deleted") return entry("skip", ["client_id belonged to a deleted client"]);

    const reasons: string[] = [];
    const teamName = (v.team ?? "").trim();
    const team = teamName ? teamByName.get(teamName.toLowerCase()) : undefined;
    if (!teamName) reasons.push("team is required");
    else if (!team) reasons.push(`team "${teamName}" does not exist`);
    // an empty optional cell keeps what an existing client has (an import never clears a value)
    const keep = (cell: string | undefined, kept: string | undefined, fallback: string) => (cell?.trim() ? cell : (kept ?? fallback));
    const parsed = ClientCreateSchema.safeParse({
      clientId,
      name: v.name ?? "",
      description: keep(v.description, current?.description, ""),
      environment: (v.environment ?? "").trim().toLowerCase(),
      ownerTeamId: team?.id ?? current?.ownerTeamId ?? "-",
      contactEmail: v.contact_email ?? "",
      authMethod: current ? current.authMethod : method,
      grantTypes: keep(v.grant_types, current?.grantTypes, "client_credentials"),
      scopes: keep(v.scopes, current?.scopes, ""),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "");
        reasons.push(`${COLUMN_OF_FIELD[field] ?? field}: ${issue.message}`);
      }
    }
    const createdAt = parseDate("secret_created_at", v.secret_created_at ?? "", reasons);
    const expiresAt = parseDate("secret_expires_at", v.secret_expires_at ?? "", reasons);
    if (!current) {
      if (createdAt && createdAt > now) reasons.push("secret_created_at is in the future");
      if (createdAt && expiresAt && expiresAt <= createdAt) reasons.push("secret_expires_at is not after secret_created_at");
    }
    if (team) {
      const denied = current
        ? refusal(() => {
            assertCan(actor, "client.update", { teamId: current.ownerTeamId });
            // moving a client is giving it away: the actor must be allowed to own it in the new team too
            if (team.id !== current.ownerTeamId) assertCan(actor, "client.update", { teamId: team.id });
          })
        : refusal(() => assertCan(actor, "client.create", { teamId: team.id }));
      if (denied) reasons.push(denied);
    }
    if (reasons.length || !parsed.success || !team) return entry("invalid", reasons);

    const d = parsed.data;
    const fields: ClientFields = {
      clientId,
      name: d.name,
      description: d.description,
      environment: d.environment,
      ownerTeamId: team.id,
      ownerTeamName: team.name,
      contactEmail: d.contactEmail,
      authMethod: d.authMethod,
      grantTypes: d.grantTypes.join(" "),
      scopes: d.scopes.join(" "),
    };
    if (!current) return { ...entry("create"), fields, secret: { createdAt: createdAt ?? now, expiresAt } };

    const notes: string[] = [];
    if (method && method !== current.authMethod) notes.push(`auth_method stays ${current.authMethod} (it changes only through a migration)`);
    const sameTime = (a: Date | null, b: Date | null) => !a || a.getTime() === b?.getTime();
    if (!sameTime(createdAt, current.secretCreatedAt) || !sameTime(expiresAt, current.secretExpiresAt)) {
      notes.push("secret dates of an existing client are not imported (rotate its secret here instead)");
    }
    const changed: Record<string, FieldChange> = {};
    for (const key of IMPORT_EDITABLE) {
      if (current[key] !== fields[key]) {
        changed[key] = key === "ownerTeamId" ? { from: current.ownerTeam.name, to: team.name } : { from: current[key], to: fields[key] };
      }
    }
    if (!Object.keys(changed).length) return { ...entry("skip", ["no changes"]), notes };
    return { ...entry("update"), notes, changed, fields, existingId: current.id };
  });
}
