// Migration figures as a table: one row per team, environment or the whole registry, one column per
// state plus overdue and the total. Every figure is a link to the client list that it counts.
import Link from "next/link";
import { tableClass, tdClass, thClass } from "@/components/ui";
import { MIGRATION_COLUMNS, MIGRATION_COLUMN_LABELS, type MigrationRow } from "@/lib/metrics/migration";

export function MigrationTable({ rows, heading, caption, testId }: { rows: MigrationRow[]; heading: string; caption: string; testId: string }) {
  return (
    <div className="overflow-x-auto">
      <table className={tableClass} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={thClass}>{heading}</th>
            {MIGRATION_COLUMNS.map((c) => (
              <th key={c} scope="col" className={`${thClass} text-right`}>{MIGRATION_COLUMN_LABELS[c]}</th>
            ))}
            <th scope="col" className={`${thClass} text-right`}>Total</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.key} data-testid="migration-row" data-key={row.key}>
              <th scope="row" className={`${tdClass} text-left font-medium`}>{row.label}</th>
              {MIGRATION_COLUMNS.map((c) => (
                <td key={c} className={`${tdClass} text-right tabular-nums`}>
                  <Link href={row.cells[c].href} data-testid="migration-figure" data-column={c} aria-label={`${row.label}, ${MIGRATION_COLUMN_LABELS[c]}: ${row.cells[c].count} clients`}>
                    {row.cells[c].count.toLocaleString("en")}
                  </Link>
                </td>
              ))}
              <td className={`${tdClass} text-right font-semibold tabular-nums`}>
                <Link href={row.total.href} data-testid="migration-figure" data-column="total" aria-label={`${row.label}, all states: ${row.total.count} clients`}>
                  {row.total.count.toLocaleString("en")}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
