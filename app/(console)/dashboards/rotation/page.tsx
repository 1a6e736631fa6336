import type { Metadata } from "next";
import Link from "next/link";
import { ExportCsvLink } from "@/components/dashboards/export-link";
import { BreakGlassTable, ExpiringSecretsTable, ExpiryWindowsTable, JwksHealthTable, KeyRowsTable } from "@/components/dashboards/rotation-tables";
import { DashboardFigure } from "@/components/dashboards/secrets-tables";
import { Card, PageHeader } from "@/components/ui";
import { rotationDashboard } from "@/lib/metrics/rotation";
import { requirePageActor } from "../../../_lib/session";

export const metadata: Metadata = { title: "Rotation health" };

export default async function RotationHealthPage() {
  const actor = await requirePageActor("client.read");
  const now = new Date();
  const data = await rotationDashboard(actor, now);
  const [secrets7, secrets30] = data.secrets.windows;
  const [keys7, keys30] = data.keys.windows;
  const actions = (table: string, title: string, all?: { count: number; href: string }) => (
    <div className="flex gap-4">
      {all && <Link href={all.href} className="text-sm">All {all.count.toLocaleString("en")} clients →</Link>}
      <ExportCsvLink table={table} title={title} />
    </div>
  );
  return (
    <>
      <PageHeader
        title="Rotation health"
        description="Secrets, keys and certificates due for rotation, keys nobody uses or still uses after retirement, jwks_uri health and break-glass secrets. Linked figures open the client list they count."
        actions={<Link href="/dashboards" className="text-sm">All dashboards</Link>}
      />
      <div className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-4">
        <DashboardFigure label={`Secrets expiring within ${secrets7.days} days`} value={secrets7.clients.count} href={secrets7.clients.href} testId="figure-secrets-7" detail={`clients; ${secrets30.clients.count.toLocaleString("en")} within ${secrets30.days} days`} />
        <DashboardFigure label={`Keys expiring within ${keys7.days} days`} value={keys7.keys} href={keys7.clients.href} testId="figure-keys-7" detail={`${keys7.certificates} certificates; ${keys30.keys.toLocaleString("en")} keys within ${keys30.days} days`} />
        <DashboardFigure label={`Keys unused for ${data.unused.days} days`} value={data.unused.keys} href={`/clients?keysUnused=${data.unused.days}`} testId="figure-unused-keys" detail={`on ${data.unused.clients.toLocaleString("en")} clients`} />
        <DashboardFigure label="Retiring keys still in use" value={data.retiring.keys} href={`/clients?retiringInUse=${data.retiring.days}`} testId="figure-retiring-in-use" detail={`used in the last ${data.retiring.days} days`} />
        <DashboardFigure label="Failing jwks_uri" value={data.jwks.failing} href="/clients?jwks=failing" testId="figure-jwks-failing" detail={`${data.jwks.degraded} degraded, ${data.jwks.healthy} healthy`} />
        <DashboardFigure label="Break-glass secrets alive" value={data.breakGlass.count} href="/clients?breakGlass=1" testId="figure-break-glass" />
      </div>
      <div className="space-y-6">
        <Card title="Expiring within 7 and 30 days">
          <div className="overflow-x-auto">
            <ExpiryWindowsTable secrets={data.secrets} keys={data.keys} />
          </div>
          <p className="mt-2 text-xs text-slate-600">A window counts what expires after now and up to its last day included. Secrets: each client&apos;s current secret; keys: every key not retired, certificates included.</p>
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title={`Secrets expiring within ${data.secrets.widest} days`} actions={actions("expiring-secrets", "secrets expiring within 30 days", secrets30.clients)}>
            <ExpiringSecretsTable rows={data.secrets.rows} now={now} />
          </Card>
          <Card title={`Keys and certificates expiring within ${data.keys.widest} days`} actions={actions("expiring-keys", "keys and certificates expiring within 30 days", keys30.clients)}>
            <KeyRowsTable rows={data.keys.rows} now={now} columns={["expires"]} caption="Keys and certificates expiring soon, soonest first" empty="No key or certificate expires in this window." testId="expiring-keys-table" />
          </Card>
          <Card title={`Keys unused for ${data.unused.days} days`} id="unused-keys" actions={actions("unused-keys", `keys unused for ${data.unused.days} days`)}>
            <KeyRowsTable rows={data.unused.rows} now={now} columns={["created", "lastUsed"]} caption="Active keys older than 90 days that signed nothing in that time, least recently used first" empty="Every active key older than 90 days signed an assertion in that time." testId="unused-keys-table" />
          </Card>
          <Card title="Retiring keys still in use" id="retiring-keys" actions={actions("retiring-keys-in-use", "retiring keys still in use")}>
            <KeyRowsTable rows={data.retiring.rows} now={now} columns={["retiringUntil", "lastUsed"]} caption={`Retiring keys that verified an assertion in the last ${data.retiring.days} days, soonest end first`} empty="No retiring key signed anything recently." testId="retiring-keys-table" />
            <p className="mt-2 text-xs text-slate-600">These clients still sign with a key that stops being accepted soon: check they switched to the new key.</p>
          </Card>
          <Card title="jwks_uri health" id="jwks-uri" actions={actions("jwks-uri-health", "jwks_uri health")}>
            <JwksHealthTable jwks={data.jwks} />
          </Card>
          <Card title="Break-glass secrets alive" id="break-glass" actions={actions("break-glass", "break-glass secrets alive")}>
            <BreakGlassTable breakGlass={data.breakGlass} now={now} />
          </Card>
        </div>
      </div>
    </>
  );
}
