import type { Metadata } from "next";
import Link from "next/link";
import { ExportCsvLink } from "@/components/dashboards/export-link";
import { SecretAgeHistogram } from "@/components/dashboards/secrets-age-chart";
import { BreachesTable, DashboardFigure, SecretAgeTable, SecretRowsTable } from "@/components/dashboards/secrets-tables";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { secretAgeDashboard } from "@/lib/metrics/secret-age";
import { requirePageActor } from "../../../_lib/session";

export const metadata: Metadata = { title: "Secret age" };

export default async function SecretAgePage() {
  const actor = await requirePageActor("client.read");
  const now = new Date();
  const data = await secretAgeDashboard(actor, now);
  const tooOld = data.breaches.totals.reduce((sum, t) => sum + (t.tooOld?.count ?? 0), 0);
  const afterRequired = data.breaches.totals.reduce((sum, t) => sum + (t.afterRequired?.count ?? 0), 0);
  const all = (count: number, href: string) => <Link href={href} className="text-sm">All {count.toLocaleString("en")} →</Link>;
  return (
    <>
      <PageHeader
        title="Secret age"
        description="How old the clients' shared secrets are against the policy's maximum age, who breaches the policy, and which secrets nobody uses. Every figure opens the client list it counts."
        actions={<Link href="/dashboards" className="text-sm">All dashboards</Link>}
      />
      <div className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-4">
        <DashboardFigure label="Secrets older than the maximum" value={tooOld} href="#breaches" testId="figure-too-old" detail="clients on a secret, all environments" />
        <DashboardFigure label="On a secret after the required date" value={afterRequired} href="#breaches" testId="figure-after-required" />
        <DashboardFigure
          label={`Unused for ${data.unused.days} days`}
          value={data.unused.clients.count}
          href={data.unused.clients.href}
          testId="figure-unused"
          detail={`clients; ${data.unused.secrets.toLocaleString("en")} secrets`}
        />
        <DashboardFigure label="Imported external secrets" value={data.external.clients.count} href={data.external.clients.href} testId="figure-external" detail={`clients; ${data.external.secrets.toLocaleString("en")} secrets`} />
      </div>
      <div className="space-y-6">
        <Card title="Active secrets by age, per environment" actions={<ExportCsvLink table="secret-age-histogram" title="active secrets by age and environment" />}>
          <div className="grid gap-4 lg:grid-cols-3">
            {data.histogram.map((h) => (
              <figure key={h.environment}>
                <figcaption className="mb-1 text-sm font-medium text-slate-800">
                  {h.environment} <span className="font-normal text-slate-600">({h.maxAgeDays ? `maximum ${h.maxAgeDays} days` : "no maximum"})</span>
                </figcaption>
                <SecretAgeHistogram environment={h.environment} maxAgeDays={h.maxAgeDays} buckets={h.buckets.map(({ label, minDays, maxDays, count, href }) => ({ label, minDays, maxDays, count, href }))} />
              </figure>
            ))}
          </div>
          <div className="mt-4 overflow-x-auto">
            <SecretAgeTable histogram={data.histogram} />
          </div>
          <p className="mt-2 text-xs text-slate-600">Each client&apos;s current secret (the newest unrevoked, unexpired one); the dashed line is the environment&apos;s maximum age.</p>
        </Card>
        <Card title="Policy breaches by team and environment" id="breaches" actions={<ExportCsvLink table="breaches" title="policy breaches by team and environment" />}>
          <div className="overflow-x-auto">
            <BreachesTable breaches={data.breaches} />
          </div>
          {data.breaches.rows.length === 0 && <EmptyState>No team breaches the policy.</EmptyState>}
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Oldest valid secrets" actions={<div className="flex gap-4"><Link href={data.oldest.href} className="text-sm">Clients, oldest first →</Link><ExportCsvLink table="oldest-secrets" title="oldest valid secrets" /></div>}>
            <SecretRowsTable rows={data.oldest.rows} now={now} caption="The oldest valid secrets, rotating ones included" empty="No valid secrets." testId="oldest-secrets-table" />
          </Card>
          <Card
            title={`Unused for ${data.unused.days} days: candidates to revoke`}
            actions={<div className="flex gap-4">{all(data.unused.clients.count, data.unused.clients.href)}<ExportCsvLink table="unused-secrets" title="secrets unused for 90 days" /></div>}
          >
            <SecretRowsTable rows={data.unused.rows} now={now} caption={`Valid secrets older than ${data.unused.days} days and not used in that time, least recently used first`} empty={`Every secret older than ${data.unused.days} days was used in that time.`} testId="unused-secrets-table" />
          </Card>
          <Card
            title="Imported external secrets"
            actions={<div className="flex gap-4">{all(data.external.clients.count, data.external.clients.href)}<ExportCsvLink table="external-secrets" title="imported external secrets" /></div>}
          >
            <SecretRowsTable rows={data.external.rows} now={now} caption="Valid secrets recorded from an imported inventory, oldest first" empty="No valid imported secrets." testId="external-secrets-table" />
            <p className="mt-2 text-xs text-slate-600">Keyshift never saw these values: rotate them to secrets it issued, or migrate the clients.</p>
          </Card>
        </div>
      </div>
    </>
  );
}
