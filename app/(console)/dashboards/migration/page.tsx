import type { Metadata } from "next";
import Link from "next/link";
import { ENV_TONES } from "@/components/clients/labels";
import { ExportCsvLink } from "@/components/dashboards/export-link";
import { MigrationStateChart } from "@/components/dashboards/migration-charts";
import { MigrationTable } from "@/components/dashboards/migration-table";
import { Badge, Card, EmptyState, PageHeader, formatDate, relativeDays, tableClass, tdClass, thClass } from "@/components/ui";
import { MIGRATION_COLUMNS, MIGRATION_COLUMN_LABELS, migrationDashboard } from "@/lib/metrics/migration";
import { requirePageActor } from "../../../_lib/session";

export const metadata: Metadata = { title: "Migration" };

function Figure({ label, value, href, testId }: { label: string; value: number; href: string; testId: string }) {
  return (
    <Link href={href} data-testid={testId} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:no-underline hover:ring-brand-500">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</p>
      <p className="mt-1 text-2xl font-semibold text-slate-900" data-testid="figure-value">{value.toLocaleString("en")}</p>
    </Link>
  );
}

export default async function MigrationPage() {
  const actor = await requirePageActor("client.read");
  const data = await migrationDashboard(actor);
  const { states } = data;
  return (
    <>
      <PageHeader
        title="Migration"
        description="Where clients stand in their move from shared secrets to private_key_jwt, per owner team and environment. Every figure opens the client list it counts."
        actions={<Link href="/dashboards" className="text-sm">All dashboards</Link>}
      />
      <div className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-6">
        {MIGRATION_COLUMNS.map((c) => (
          <Figure key={c} label={MIGRATION_COLUMN_LABELS[c]} value={states.cells[c].count} href={states.cells[c].href} testId={`state-figure-${c}`} />
        ))}
        <Figure label="Break-glass secret alive" value={data.breakGlass.count} href="#break-glass" testId="state-figure-break-glass" />
      </div>
      <div className="space-y-6">
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Clients per migration state" actions={<ExportCsvLink table="migration-states" title="clients per migration state" />}>
            <MigrationStateChart data={MIGRATION_COLUMNS.map((c) => ({ label: MIGRATION_COLUMN_LABELS[c], count: states.cells[c].count, href: states.cells[c].href }))} />
            <table className={tableClass} data-testid="migration-states-table">
              <caption className="sr-only">Clients per migration state</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>State</th>
                  <th scope="col" className={`${thClass} text-right`}>Clients</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {MIGRATION_COLUMNS.map((c) => (
                  <tr key={c} data-testid="migration-state-row" data-column={c}>
                    <th scope="row" className={`${tdClass} text-left font-normal`}>{MIGRATION_COLUMN_LABELS[c]}</th>
                    <td className={`${tdClass} text-right tabular-nums`}>
                      <Link href={states.cells[c].href} data-testid="migration-figure" aria-label={`${MIGRATION_COLUMN_LABELS[c]}: ${states.cells[c].count} clients`}>
                        {states.cells[c].count.toLocaleString("en")}
                      </Link>
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row" className={`${tdClass} text-left font-semibold`}>All listed clients</th>
                  <td className={`${tdClass} text-right font-semibold tabular-nums`}>
                    <Link href={states.total.href} data-testid="migration-figure" aria-label={`All listed clients: ${states.total.count}`}>
                      {states.total.count.toLocaleString("en")}
                    </Link>
                  </td>
                </tr>
              </tbody>
            </table>
            <p className="mt-2 text-xs text-slate-600">Overdue: a dual window whose end date has passed. Those clients are also counted under Dual window: the window stays open until someone finalises or rolls back.</p>
          </Card>
          <Card title="Break-glass secrets alive" id="break-glass">
            {data.breakGlass.rows.length === 0 ? (
              <EmptyState>No finalised client has a break-glass secret.</EmptyState>
            ) : (
              <table className={tableClass} data-testid="break-glass-table">
                <caption className="sr-only">Finalised clients whose break-glass secret is still accepted, soonest end first</caption>
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>Client</th>
                    <th scope="col" className={thClass}>Accepted until</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {data.breakGlass.rows.map((c) => (
                    <tr key={c.id}>
                      <td className={tdClass}>
                        <Link href={`/clients/${c.id}`}>{c.name}</Link> <Badge tone={ENV_TONES[c.environment] ?? "gray"}>{c.environment}</Badge>
                      </td>
                      <td className={tdClass}>{formatDate(c.breakGlassUntil, true)} ({relativeDays(c.breakGlassUntil, data.now)})</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
        <Card title="Per owner team" actions={<ExportCsvLink table="migration-teams" title="clients per team and migration state" />}>
          {data.perTeam.length === 0 ? (
            <EmptyState>No clients yet.</EmptyState>
          ) : (
            <MigrationTable rows={data.perTeam} heading="Team" caption="Clients per owner team and migration state" testId="migration-teams-table" />
          )}
        </Card>
        <Card title="Per environment" actions={<ExportCsvLink table="migration-environments" title="clients per environment and migration state" />}>
          <MigrationTable rows={data.perEnvironment} heading="Environment" caption="Clients per environment and migration state" testId="migration-environments-table" />
        </Card>
      </div>
    </>
  );
}
