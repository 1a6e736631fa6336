// Tables and figures of the secret age dashboard (also used by the rotation dashboard). Server
// components: every number is text, every count with a client-list filter is a link to that list.
import Link from "next/link";
import type { ReactNode } from "react";
import { ENV_TONES, ageTone } from "@/components/clients/labels";
import { Badge, EmptyState, formatDate, tableClass, tdClass, thClass } from "@/components/ui";
import type { Figure, SecretAgeDashboard, SecretRow } from "@/lib/metrics/secret-age";
import { ageInDays } from "@/lib/secrets/status";

/** A headline number: a link to the list it counts, or plain text where the client list has no such filter. */
export function DashboardFigure({ label, value, href, testId, detail }: { label: string; value: number; href: string | null; testId: string; detail?: ReactNode }) {
  const body = (
    <>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</p>
      <p className="mt-1 text-2xl font-semibold text-slate-900" data-testid="figure-value">{value.toLocaleString("en")}</p>
      {detail && <p className="mt-1 text-xs text-slate-600">{detail}</p>}
    </>
  );
  const frame = "rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200";
  return href ? (
    <Link href={href} data-testid={testId} className={`${frame} hover:no-underline hover:ring-brand-500`}>{body}</Link>
  ) : (
    <div data-testid={testId} className={frame}>{body}</div>
  );
}

/** A count in a table cell, linked to its client list. */
export function FigureLink({ figure, label }: { figure: Figure | null; label: string }) {
  if (!figure) return <span className="text-slate-600" aria-label={`${label}: not applicable`}>—</span>;
  return <Link href={figure.href} aria-label={`${label}: ${figure.count}`} data-count={figure.count}>{figure.count.toLocaleString("en")}</Link>;
}

export function ClientCell({ client }: { client: { id: string; name: string; environment: string } }) {
  return (
    <>
      <Link href={`/clients/${client.id}`}>{client.name}</Link> <Badge tone={ENV_TONES[client.environment] ?? "gray"}>{client.environment}</Badge>
    </>
  );
}

export function SecretAgeTable({ histogram }: { histogram: SecretAgeDashboard["histogram"] }) {
  const labels = histogram[0]?.buckets.map((b) => b.label) ?? [];
  return (
    <table className={tableClass} data-testid="secret-age-table">
      <caption className="sr-only">Clients&apos; current valid secrets per environment and age, with each environment&apos;s maximum age</caption>
      <thead>
        <tr>
          <th scope="col" className={thClass}>Environment</th>
          <th scope="col" className={thClass}>Maximum age</th>
          {labels.map((l) => <th key={l} scope="col" className={thClass}>{l}</th>)}
          <th scope="col" className={thClass}>Total</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {histogram.map((h) => (
          <tr key={h.environment} data-testid={`secret-age-${h.environment}`}>
            <th scope="row" className={`${tdClass} text-left font-medium`}>{h.environment}</th>
            <td className={tdClass}>{h.maxAgeDays ? `${h.maxAgeDays} d` : "none"}</td>
            {h.buckets.map((b) => (
              <td key={b.bucket} className={tdClass}><FigureLink figure={b} label={`${h.environment}, ${b.label}`} /></td>
            ))}
            <td className={tdClass}>{h.total.toLocaleString("en")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BreachesTable({ breaches }: { breaches: SecretAgeDashboard["breaches"] }) {
  return (
    <table className={tableClass} data-testid="breaches-table">
      <caption className="sr-only">Policy breaches per owner team and environment</caption>
      <thead>
        <tr>
          <th scope="col" className={thClass}>Team</th>
          <th scope="col" className={thClass}>Environment</th>
          <th scope="col" className={thClass}>Secret older than the maximum</th>
          <th scope="col" className={thClass}>On a secret after the required date</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {breaches.rows.map((r) => (
          <tr key={`${r.team.id} ${r.environment}`}>
            <td className={tdClass}>{r.team.name}</td>
            <td className={tdClass}><Badge tone={ENV_TONES[r.environment] ?? "gray"}>{r.environment}</Badge></td>
            <td className={tdClass}><FigureLink figure={r.tooOld} label={`${r.team.name} ${r.environment}, secret too old`} /></td>
            <td className={tdClass}><FigureLink figure={r.afterRequired} label={`${r.team.name} ${r.environment}, on a secret after the required date`} /></td>
          </tr>
        ))}
      </tbody>
      <tfoot className="border-t-2 border-slate-200">
        {breaches.totals.map((t) => (
          <tr key={t.environment} data-testid={`breach-total-${t.environment}`}>
            <th scope="row" className={`${tdClass} text-left font-medium`}>All teams</th>
            <td className={tdClass}>
              <Badge tone={ENV_TONES[t.environment] ?? "gray"}>{t.environment}</Badge>{" "}
              <span className="text-xs text-slate-600">
                max {t.maxAgeDays ? `${t.maxAgeDays} d` : "none"}; {t.requiredSince !== null ? "private_key_jwt required" : "secrets allowed"}
              </span>
            </td>
            <td className={tdClass}><FigureLink figure={t.tooOld} label={`all teams ${t.environment}, secret too old`} /></td>
            <td className={tdClass}><FigureLink figure={t.afterRequired} label={`all teams ${t.environment}, on a secret after the required date`} /></td>
          </tr>
        ))}
      </tfoot>
    </table>
  );
}

/** Secrets with their client, age and last use; `empty` when there are none. */
export function SecretRowsTable({ rows, now, caption, empty, testId }: { rows: SecretRow[]; now: Date; caption: string; empty: string; testId: string }) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <table className={tableClass} data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className={thClass}>Client</th>
          <th scope="col" className={thClass}>Secret</th>
          <th scope="col" className={thClass}>Age</th>
          <th scope="col" className={thClass}>Last used</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((s) => {
          const age = ageInDays(s.createdAt, now);
          return (
            <tr key={s.id}>
              <td className={tdClass}><ClientCell client={s.client} /></td>
              <td className={tdClass}>
                <span className="font-mono text-xs text-slate-600">{s.hint}…</span>
                {s.rotatedAt && <span className="ml-2"><Badge tone="amber">rotating out</Badge></span>}
                {s.external && <span className="ml-2"><Badge>external</Badge></span>}
              </td>
              <td className={tdClass}><Badge tone={ageTone(age)}>{age} d</Badge></td>
              <td className={tdClass}>{s.lastUsedAt ? formatDate(s.lastUsedAt) : "never"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
