import type { Metadata } from "next";
import Link from "next/link";
import { ENV_TONES, METHOD_LABELS } from "@/components/clients/labels";
import { ExportCsvLink } from "@/components/dashboards/export-link";
import { FailureReasonChart, MethodMixChart } from "@/components/dashboards/traffic-charts";
import { Badge, Card, EmptyState, PageHeader, formatDate, tableClass, tdClass, thClass } from "@/components/ui";
import { AUTH_METHODS } from "@/lib/clients/schema";
import { FAILURE_DAYS, LEGACY_AUDIENCE_DAYS, LEGACY_AUDIENCE_EXPORT_LIMIT, METHOD_MIX_DAYS, trafficDashboard } from "@/lib/metrics/traffic";
import { requirePageActor } from "../../../_lib/session";

export const metadata: Metadata = { title: "Traffic" };

const num = (n: number) => n.toLocaleString("en");

export default async function TrafficPage() {
  const actor = await requirePageActor("client.read");
  const data = await trafficDashboard(actor);
  const totals = Object.fromEntries(AUTH_METHODS.map((m) => [m, data.methods.reduce((sum, d) => sum + d[m], 0)])) as Record<(typeof AUTH_METHODS)[number], number>;
  const failureTotal = data.failures.reduce((sum, f) => sum + f.count, 0);
  return (
    <>
      <PageHeader
        title="Traffic"
        description="How clients authenticate at the token endpoint, why attempts fail, and which clients still send the legacy audience. Counted per UTC day from the daily roll-up."
        actions={<Link href="/dashboards" className="text-sm">All dashboards</Link>}
      />
      <div className="space-y-6">
        <Card title={`Authentication method mix per day (last ${METHOD_MIX_DAYS} days, successful)`} actions={<ExportCsvLink table="traffic-methods" title="method mix per day" />}>
          <MethodMixChart data={data.methods} />
          <ul className="mt-2 flex flex-wrap gap-4 text-sm" data-testid="method-totals">
            {AUTH_METHODS.map((m) => (
              <li key={m} data-method={m}>
                {METHOD_LABELS[m]}: <span className="font-semibold" data-testid="method-total">{num(totals[m])}</span>{" "}
                <Link href={`/clients?method=${m}`} className="text-xs">(clients registered for it)</Link>
              </li>
            ))}
          </ul>
          <div className="mt-4 max-h-96 overflow-y-auto rounded-md ring-1 ring-slate-100" tabIndex={0} role="region" aria-label="Method mix per day, every day">
            <table className={tableClass} data-testid="method-mix-table">
              <caption className="sr-only">Successful authentications per UTC day and method, newest first</caption>
              <thead className="sticky top-0 bg-white">
                <tr>
                  <th scope="col" className={thClass}>Day (UTC)</th>
                  {AUTH_METHODS.map((m) => (
                    <th key={m} scope="col" className={`${thClass} text-right`}>{METHOD_LABELS[m]}</th>
                  ))}
                  <th scope="col" className={`${thClass} text-right`}>Total</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {[...data.methods].reverse().map((d) => (
                  <tr key={d.day} data-testid="method-day" data-day={d.day}>
                    <th scope="row" className={`${tdClass} text-left font-normal tabular-nums`}>{d.day}</th>
                    {AUTH_METHODS.map((m) => (
                      <td key={m} className={`${tdClass} text-right tabular-nums`} data-method={m}>{num(d[m])}</td>
                    ))}
                    <td className={`${tdClass} text-right font-semibold tabular-nums`}>{num(AUTH_METHODS.reduce((s, m) => s + d[m], 0))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>

        <div className="grid gap-6 lg:grid-cols-2">
          <Card title={`Failures by reason (last ${FAILURE_DAYS} days)`} actions={<ExportCsvLink table="traffic-failures" title="failures by reason" />}>
            {data.failures.length === 0 ? (
              <EmptyState>No failed authentications in the last {FAILURE_DAYS} days.</EmptyState>
            ) : (
              <>
                <FailureReasonChart data={data.failures} />
                <table className={tableClass} data-testid="failures-table">
                  <caption className="sr-only">Failed authentications per reason, most first; {num(failureTotal)} in all</caption>
                  <thead>
                    <tr>
                      <th scope="col" className={thClass}>Reason</th>
                      <th scope="col" className={`${thClass} text-right`}>Failures</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {data.failures.map((f) => (
                      <tr key={f.reason} data-testid="failure-row" data-reason={f.reason}>
                        <td className={tdClass}>
                          <span className="font-mono text-xs">{f.reason || "(none)"}</span>
                          <p className="text-slate-600">{f.description}</p>
                        </td>
                        <td className={`${tdClass} text-right tabular-nums`} data-testid="failure-count">{num(f.count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </Card>

          <Card title={`Clients still sending the legacy audience (last ${LEGACY_AUDIENCE_DAYS} days)`} actions={<ExportCsvLink table="traffic-legacy-audience" title="clients sending the legacy audience" />}>
            <p className="mb-3 text-sm text-slate-600">
              Assertions accepted with the token endpoint URL as <code>aud</code> under compatibility mode. Fix these clients before turning compatibility mode off.
            </p>
            {data.legacyAudience.rows.length === 0 ? (
              <EmptyState>No client sent the legacy audience in the last {LEGACY_AUDIENCE_DAYS} days.</EmptyState>
            ) : (
              <table className={tableClass} data-testid="legacy-audience-table">
                <caption className="sr-only">Clients whose assertions used the legacy audience, most first</caption>
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>Client</th>
                    <th scope="col" className={thClass}>Team</th>
                    <th scope="col" className={`${thClass} text-right`}>Requests</th>
                    <th scope="col" className={thClass}>Last seen</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {data.legacyAudience.rows.map((r) => (
                    <tr key={r.id} data-testid="legacy-audience-row" data-client-id={r.clientId}>
                      <td className={tdClass}>
                        <Link href={`/clients/${r.id}`}>{r.name}</Link> <Badge tone={ENV_TONES[r.environment] ?? "gray"}>{r.environment}</Badge>
                        <p className="font-mono text-xs text-slate-600">{r.clientId}</p>
                      </td>
                      <td className={tdClass}>{r.team.name}</td>
                      <td className={`${tdClass} text-right tabular-nums`} data-testid="legacy-audience-count">{num(r.count)}</td>
                      <td className={`${tdClass} tabular-nums`}>{formatDate(r.lastSeen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {data.legacyAudience.truncated && <p className="mt-2 text-xs text-slate-600">Only the largest senders are shown here; the CSV export lists up to {num(LEGACY_AUDIENCE_EXPORT_LIMIT)}.</p>}
          </Card>
        </div>
      </div>
    </>
  );
}
