import type { Metadata } from "next";
import Link from "next/link";
import { METHOD_LABELS, ageTone } from "@/components/clients/labels";
import { MethodChart, SecretAgeChart } from "@/components/overview/charts";
import { Badge, Card, EmptyState, PageHeader, formatDate, relativeDays, tableClass, tdClass, thClass } from "@/components/ui";
import { ProgressBar } from "@/components/campaigns/progress";
import { listCampaigns } from "@/lib/campaigns/queries";
import { overview } from "@/lib/metrics/overview";
import { ageInDays } from "@/lib/secrets/status";
import { requirePageActor } from "../_lib/session";

export const metadata: Metadata = { title: "Overview" };

function Figure({ label, value, href }: { label: string; value: number; href: string }) {
  return (
    <Link href={href} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:no-underline hover:ring-brand-500">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold text-slate-900">{value.toLocaleString("en")}</p>
    </Link>
  );
}

export default async function OverviewPage() {
  const actor = await requirePageActor("client.read");
  const now = new Date();
  const [data, campaigns] = await Promise.all([overview(actor), listCampaigns(actor, { status: "active", limit: 5 }, now)]);
  return (
    <>
      <PageHeader title="Overview" description="How your confidential clients authenticate, and how old their shared secrets are." />
      <div className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-4">
        <Figure label="Clients" value={data.totals.clients} href="/clients" />
        <Figure label="Disabled" value={data.totals.disabled} href="/clients?status=disabled" />
        <Figure label="Clients with a valid secret" value={data.totals.withValidSecret} href="#secret-ages" />
        <Figure label={`Expiring within ${data.expiring.days} days`} value={data.expiring.count} href={data.expiring.href} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Clients by authentication method">
          <MethodChart data={data.byMethod.map((m) => ({ label: METHOD_LABELS[m.method], count: m.count, href: m.href }))} />
          <ul className="mt-2 flex flex-wrap gap-4 text-sm">
            {data.byMethod.map((m) => (
              <li key={m.method}><Link href={m.href}>{METHOD_LABELS[m.method]}: {m.count}</Link></li>
            ))}
          </ul>
        </Card>
        <Card title="Active secrets by age" id="secret-ages">
          <SecretAgeChart data={data.secretAges.map((b) => ({ label: b.label, count: b.count, href: b.href }))} />
          <ul className="mt-2 flex flex-wrap gap-4 text-sm" data-testid="age-buckets">
            {data.secretAges.map((b) => (
              <li key={b.bucket}><Link href={b.href}>{b.label}: {b.count}</Link></li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-slate-500">Each client&apos;s current secret; a secret rotating out ends by itself within the overlap window.</p>
        </Card>
        <Card title="Oldest active secrets">
          {data.oldest.length === 0 ? (
            <EmptyState>No active secrets.</EmptyState>
          ) : (
            <table className={tableClass}>
              <thead>
                <tr><th className={thClass}>Client</th><th className={thClass}>Age</th><th className={thClass}>Last used</th></tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.oldest.map((s) => {
                  const age = ageInDays(s.createdAt, now);
                  return (
                    <tr key={s.id}>
                      <td className={tdClass}>
                        <Link href={`/clients/${s.client.id}`}>{s.client.name}</Link> <span className="font-mono text-xs text-slate-500">{s.hint}…</span>
                        {s.rotatedAt && <span className="ml-2"><Badge tone="amber">rotating out</Badge></span>}
                      </td>
                      <td className={tdClass}><Badge tone={ageTone(age)}>{age} d</Badge></td>
                      <td className={tdClass}>{s.lastUsedAt ? formatDate(s.lastUsedAt) : "never"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </Card>
        <Card title="Active campaigns" actions={<Link href="/campaigns" className="text-sm">All campaigns →</Link>}>
          {campaigns.length === 0 ? (
            <EmptyState>
              No campaign is running. <Link href="/campaigns" className="underline">Start one</Link> from a filtered client list.
            </EmptyState>
          ) : (
            <ul className="space-y-3" data-testid="overview-campaigns">
              {campaigns.map((c) => (
                <li key={c.id}>
                  <div className="flex justify-between text-sm">
                    <Link href={`/campaigns/${c.id}`} className="font-medium">{c.name}</Link>
                    <span className={c.late ? "font-medium text-red-700" : "text-slate-600"}>deadline {formatDate(c.deadline)} ({relativeDays(c.deadline, now)})</span>
                  </div>
                  <ProgressBar done={c.counts.done} total={c.counts.total} />
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={`Secrets expiring within ${data.expiring.days} days: rotate them`} actions={<Link href={data.expiring.href} className="text-sm">All {data.expiring.count} →</Link>}>
          {data.expiring.rows.length === 0 ? (
            <EmptyState>Nothing expires in the next {data.expiring.days} days.</EmptyState>
          ) : (
            <table className={tableClass}>
              <thead>
                <tr><th className={thClass}>Client</th><th className={thClass}>Expires</th></tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.expiring.rows.map((c) => (
                  <tr key={c.id}>
                    <td className={tdClass}><Link href={`/clients/${c.id}`}>{c.name}</Link> <span className="text-xs text-slate-500">{c.environment}</span></td>
                    <td className={tdClass}>{formatDate(c.secretExpiresAt, true)} ({relativeDays(c.secretExpiresAt, now)})</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
