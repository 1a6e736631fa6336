// Every dashboard table a reviewer can take away as CSV, by name: the one export route
// (app/(console)/dashboards/export/route.ts?table=<name>) looks the name up here, checks the entry's
// permission, builds the table and writes it with the audit export's formula-safe cells (csvLine).
//
// To add a table: one entry in CSV_TABLES, named "<dashboard>-<table>", whose build reads through the
// dashboard's own domain function (which checks the actor again) and returns plain cells.
import type { Actor } from "../auth/actor";
import type { Permission } from "../auth/roles";
import { csvLine } from "../audit/query";
import { AGE_BUCKETS, AUTH_METHODS } from "../clients/schema";
import { ageInDays } from "../secrets/status";
import { MIGRATION_COLUMNS, migrationDashboard, type MigrationRow } from "./migration";
import { LEGACY_AUDIENCE_EXPORT_LIMIT, failuresByReason, legacyAudienceClients, methodMix } from "./traffic";
import { breakGlassSecrets, expiringKeyFigures, expiringSecrets, jwksUriHealth, retiringKeysInUse, unusedKeys, type KeyRow } from "./rotation";
import { DASHBOARD_EXPORT_LIMIT, externalSecrets, oldestSecrets, secretAgeHistogram, secretBreaches, unusedSecrets, type SecretRow } from "./secret-age";

export type CsvTable = { columns: readonly string[]; rows: readonly (readonly unknown[])[] };

export type CsvTableDefinition = {
  /** what the table holds, for the download's name and error messages */
  title: string;
  /** checked by the route before anything is read */
  permission: Permission;
  build: (actor: Actor, now: Date) => Promise<CsvTable>;
};

const migrationColumns = (first: string[]) => [...first, ...MIGRATION_COLUMNS, "total"];
const migrationCells = (row: MigrationRow) => [...MIGRATION_COLUMNS.map((c) => row.cells[c].count), row.total.count];

const SECRET_COLUMNS = ["client_id", "name", "environment", "secret_hint", "created_at", "age_days", "expires_at", "rotating_out", "external", "last_used_at"];
const secretCells = (s: SecretRow, now: Date) => [s.client.clientId, s.client.name, s.client.environment, s.hint, s.createdAt, ageInDays(s.createdAt, now), s.expiresAt, !!s.rotatedAt, s.external, s.lastUsedAt];
const KEY_COLUMNS = ["client_id", "name", "environment", "kid", "alg", "status", "certificate", "created_at", "expires_at", "retiring_until", "last_used_at"];
const keyCells = (k: KeyRow) => [k.client.clientId, k.client.name, k.client.environment, k.kid, k.alg ?? k.kty, k.status, k.isCertificate, k.createdAt, k.expiresAt, k.retiringUntil, k.lastUsedAt];

export const CSV_TABLES: Record<string, CsvTableDefinition> = {
  "traffic-methods": {
    title: "Successful authentications per day and method (last 90 days)",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: ["day", ...AUTH_METHODS],
      rows: (await methodMix(actor, now)).map((d) => [d.day, ...AUTH_METHODS.map((m) => d[m])]),
    }),
  },
  "traffic-failures": {
    title: "Failed authentications by reason (last 30 days)",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: ["reason", "description", "count"],
      rows: (await failuresByReason(actor, now)).map((f) => [f.reason, f.description, f.count]),
    }),
  },
  "traffic-legacy-audience": {
    title: "Clients sending the legacy audience (last 30 days)",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: ["client_id", "name", "environment", "team", "count", "last_seen_day"],
      rows: (await legacyAudienceClients(actor, now, LEGACY_AUDIENCE_EXPORT_LIMIT)).rows.map((r) => [
        r.clientId,
        r.name,
        r.environment,
        r.team.name,
        r.count,
        r.lastSeen.toISOString().slice(0, 10),
      ]),
    }),
  },
  "migration-states": {
    title: "Clients per migration state",
    permission: "client.read",
    build: async (actor, now) => {
      const { states } = await migrationDashboard(actor, now);
      return { columns: ["state", "count"], rows: [...MIGRATION_COLUMNS.map((c) => [c, states.cells[c].count]), ["total", states.total.count]] };
    },
  },
  "migration-teams": {
    title: "Clients per owner team and migration state",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: migrationColumns(["team", "team_id"]),
      rows: (await migrationDashboard(actor, now)).perTeam.map((r) => [r.label, r.key, ...migrationCells(r)]),
    }),
  },
  "migration-environments": {
    title: "Clients per environment and migration state",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: migrationColumns(["environment"]),
      rows: (await migrationDashboard(actor, now)).perEnvironment.map((r) => [r.key, ...migrationCells(r)]),
    }),
  },  // secret age dashboard (lib/metrics/secret-age.ts): lists export up to DASHBOARD_EXPORT_LIMIT rows
  "secret-age-histogram": {
    title: "Clients' current valid secrets per environment and age",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: ["environment", "max_age_days", ...AGE_BUCKETS.map((b) => b.id), "total"],
      rows: (await secretAgeHistogram(actor, now)).map((h) => [h.environment, h.maxAgeDays, ...h.buckets.map((b) => b.count), h.total]),
    }),
  },
  "oldest-secrets": {
    title: "Oldest valid secrets",
    permission: "client.read",
    build: async (actor, now) => ({ columns: SECRET_COLUMNS, rows: (await oldestSecrets(actor, now, DASHBOARD_EXPORT_LIMIT)).map((s) => secretCells(s, now)) }),
  },
  breaches: {
    title: "Policy breaches per owner team and environment",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: ["team", "team_id", "environment", "max_age_days", "secret_too_old", "on_secret_after_required_date"],
      rows: (await secretBreaches(actor, now)).rows.map((r) => [r.team.name, r.team.id, r.environment, r.maxAgeDays, r.tooOld?.count ?? null, r.afterRequired?.count ?? null]),
    }),
  },
  "unused-secrets": {
    title: "Valid secrets unused for 90 days",
    permission: "client.read",
    build: async (actor, now) => ({ columns: SECRET_COLUMNS, rows: (await unusedSecrets(actor, now, DASHBOARD_EXPORT_LIMIT)).rows.map((s) => secretCells(s, now)) }),
  },
  "external-secrets": {
    title: "Valid imported external secrets",
    permission: "client.read",
    build: async (actor, now) => ({ columns: SECRET_COLUMNS, rows: (await externalSecrets(actor, now, DASHBOARD_EXPORT_LIMIT)).rows.map((s) => secretCells(s, now)) }),
  },
  // rotation health dashboard (lib/metrics/rotation.ts)
  "expiring-secrets": {
    title: "Clients whose current secret expires within 30 days",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: ["client_id", "name", "environment", "secret_expires_at"],
      rows: (await expiringSecrets(actor, now, DASHBOARD_EXPORT_LIMIT)).rows.map((c) => [c.clientId, c.name, c.environment, c.secretExpiresAt]),
    }),
  },
  "expiring-keys": {
    title: "Keys and certificates expiring within 30 days",
    permission: "client.read",
    build: async (actor, now) => ({ columns: KEY_COLUMNS, rows: (await expiringKeyFigures(actor, now, DASHBOARD_EXPORT_LIMIT)).rows.map(keyCells) }),
  },
  "unused-keys": {
    title: "Active keys unused for 90 days",
    permission: "client.read",
    build: async (actor, now) => ({ columns: KEY_COLUMNS, rows: (await unusedKeys(actor, now, DASHBOARD_EXPORT_LIMIT)).rows.map(keyCells) }),
  },
  "retiring-keys-in-use": {
    title: "Retiring keys used in the last 7 days",
    permission: "client.read",
    build: async (actor, now) => ({ columns: KEY_COLUMNS, rows: (await retiringKeysInUse(actor, now, DASHBOARD_EXPORT_LIMIT)).rows.map(keyCells) }),
  },
  "jwks-uri-health": {
    title: "jwks_uri whose last fetch failed",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: ["client_id", "name", "environment", "jwks_uri", "health", "last_good_fetch_at", "last_fetch_at", "failures", "last_error"],
      rows: (await jwksUriHealth(actor, now, DASHBOARD_EXPORT_LIMIT)).rows.map((c) => [c.clientId, c.name, c.environment, c.jwksUri, c.health, c.jwksGoodAt, c.jwksFetchedAt, c.jwksFailures, c.jwksLastError]),
    }),
  },
  "break-glass": {
    title: "Break-glass secrets alive",
    permission: "client.read",
    build: async (actor, now) => ({
      columns: ["client_id", "name", "environment", "secret_hint", "created_at", "expires_at", "last_used_at"],
      rows: (await breakGlassSecrets(actor, now, DASHBOARD_EXPORT_LIMIT)).rows.map((s) => [s.client.clientId, s.client.name, s.client.environment, s.hint, s.createdAt, s.expiresAt, s.lastUsedAt]),
    }),
  },
};

export function csvTableDefinition(name: string): CsvTableDefinition | undefined {
  return Object.hasOwn(CSV_TABLES, name) ? CSV_TABLES[name] : undefined;
}

/** The table as CSV lines, header first. */
export async function* csvTableLines(table: CsvTable): AsyncGenerator<string> {
  yield csvLine([...table.columns]);
  for (const row of table.rows) yield csvLine([...row]);
}
