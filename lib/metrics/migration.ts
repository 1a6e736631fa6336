// The migration dashboard: clients per migration state, overall, per owner team and per environment.
// Grouped counts on the client table (index (status, migrationState)); each figure carries the
// client-list link that lists exactly the clients it counts (lib/clients/queries.ts clientListWhere).
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { CLIENT_STATUSES, ENVIRONMENTS } from "../clients/schema";
import { db, type Prisma } from "../db";
import { MIGRATION_STATES, MIGRATION_STATE_LABELS } from "../migration/state";

/** The client list's default: deleted clients never count. */
const LISTED: Prisma.ClientWhereInput = { status: { in: [...CLIENT_STATUSES] } };

/** A figure's column: a migration state, or "overdue" (a dual window past its end date, still dual). */
export const MIGRATION_COLUMNS = [...MIGRATION_STATES, "overdue"] as const;
export type MigrationColumn = (typeof MIGRATION_COLUMNS)[number];
export const MIGRATION_COLUMN_LABELS: Record<MigrationColumn, string> = { ...MIGRATION_STATE_LABELS, overdue: "Overdue" };

export type Figure = { count: number; href: string };
export type MigrationRow = { key: string; label: string; total: Figure; cells: Record<MigrationColumn, Figure> };

function clientsHref(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return query ? `/clients?${query}` : "/clients";
}

const overdueWhere = (now: Date): Prisma.ClientWhereInput => ({ migrationState: "dual", dualUntil: { lte: now } });

/** One row of figures from grouped counts: `filter` is the row's own client-list parameter (team or environment). */
function row(key: string, label: string, filter: Record<string, string>, byState: Map<string, number>, overdue: number): MigrationRow {
  const cells = {} as Record<MigrationColumn, Figure>;
  for (const state of MIGRATION_STATES) cells[state] = { count: byState.get(state) ?? 0, href: clientsHref({ migration: state, ...filter }) };
  cells.overdue = { count: overdue, href: clientsHref({ migration: "overdue", ...filter }) };
  const total = MIGRATION_STATES.reduce((sum, s) => sum + cells[s].count, 0);
  return { key, label, total: { count: total, href: clientsHref(filter) }, cells };
}

/** Counts grouped by one client column and the state, as nested maps: column value → state → count. */
function nest<K extends string>(groups: ({ migrationState: string; _count: { _all: number } } & Record<K, string>)[], key: K): Map<string, Map<string, number>> {
  const nested = new Map<string, Map<string, number>>();
  for (const g of groups) {
    const inner = nested.get(g[key]) ?? new Map<string, number>();
    inner.set(g.migrationState, g._count._all);
    nested.set(g[key], inner);
  }
  return nested;
}

export async function migrationDashboard(actor: Actor, now: Date = new Date()) {
  assertCan(actor, "client.read");
  const c = db().client;
  const [byState, overdue, byTeamState, overdueByTeam, byEnvState, overdueByEnv, breakGlassCount, breakGlass] = await Promise.all([
    c.groupBy({ by: ["migrationState"], where: LISTED, _count: { _all: true } }),
    c.count({ where: { AND: [LISTED, overdueWhere(now)] } }),
    c.groupBy({ by: ["ownerTeamId", "migrationState"], where: LISTED, _count: { _all: true } }),
    c.groupBy({ by: ["ownerTeamId"], where: { AND: [LISTED, overdueWhere(now)] }, _count: { _all: true } }),
    c.groupBy({ by: ["environment", "migrationState"], where: LISTED, _count: { _all: true } }),
    c.groupBy({ by: ["environment"], where: { AND: [LISTED, overdueWhere(now)] }, _count: { _all: true } }),
    c.count({ where: { AND: [LISTED, { breakGlassUntil: { gt: now } }] } }),
    // break-glass secrets are emergencies, few at a time: listed by client, soonest end first
    c.findMany({
      where: { AND: [LISTED, { breakGlassUntil: { gt: now } }] },
      orderBy: [{ breakGlassUntil: "asc" }, { id: "asc" }],
      take: 50,
      select: { id: true, clientId: true, name: true, environment: true, breakGlassUntil: true },
    }),
  ]);

  const stateCount = new Map(byState.map((g) => [g.migrationState, g._count._all]));
  const states = row("all", "All clients", {}, stateCount, overdue);

  const teamStates = nest(byTeamState, "ownerTeamId");
  const teamOverdue = new Map(overdueByTeam.map((g) => [g.ownerTeamId, g._count._all]));
  const teams = await db().team.findMany({ where: { id: { in: [...teamStates.keys()] } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const perTeam = teams.map((t) => row(t.id, t.name, { team: t.id }, teamStates.get(t.id)!, teamOverdue.get(t.id) ?? 0));

  const envStates = nest(byEnvState, "environment");
  const envOverdue = new Map(overdueByEnv.map((g) => [g.environment, g._count._all]));
  const perEnvironment = ENVIRONMENTS.map((env) => row(env, env, { environment: env }, envStates.get(env) ?? new Map(), envOverdue.get(env) ?? 0));

  return {
    now,
    states,
    overdue: states.cells.overdue,
    breakGlass: { count: breakGlassCount, rows: breakGlass },
    perTeam,
    perEnvironment,
  };
}

export type MigrationDashboard = Awaited<ReturnType<typeof migrationDashboard>>;
