import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, EmptyState, Notice, PageHeader, formatDate, tableClass, tdClass, thClass, type Tone } from "@/components/ui";
import { AddRouteForm, ResendButton, RouteActions } from "@/components/notifications/route-forms";
import { SettingsForm } from "@/components/settings-form";
import { can } from "@/lib/auth/guard";
import { DELIVERY_STATUSES, listDeliveries, listRoutes, type DeliveryStatus, type RouteView } from "@/lib/notify/queries";
import { getSettings, SETTING_KEYS, SETTINGS } from "@/lib/settings";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Notifications" };

type Params = Record<string, string | string[] | undefined>;

const STATUS_TONE: Record<string, Tone> = { delivered: "green", pending: "amber", failed: "red" };
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function RouteRow({ team, route }: { team: string; route: RouteView }) {
  return (
    <tr data-testid="route-row">
      <td className={tdClass}>{team}</td>
      <td className={`${tdClass} font-medium`}>{route.name}</td>
      <td className={tdClass}>{route.channel === "email" ? "Email digest" : "Webhook"}</td>
      <td className={`${tdClass} break-all font-mono text-xs`}>{route.target}</td>
      <td className={tdClass}>{route.disabledAt ? <Badge>Disabled</Badge> : <Badge tone="green">Enabled</Badge>}</td>
      <td className={`${tdClass} w-72`}>{route.canManage && <RouteActions route={{ id: route.id, name: route.name, disabled: !!route.disabledAt }} />}</td>
    </tr>
  );
}

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePageActor("client.read");
  const params = await searchParams;
  const status = DELIVERY_STATUSES.find((s) => s === first(params.status)) as DeliveryStatus | undefined;
  const page = Math.max(1, Number.parseInt(first(params.page) ?? "1", 10) || 1);
  const [routes, log, settings] = await Promise.all([listRoutes(actor), listDeliveries(actor, { status, page }), getSettings()]);

  const manageable = routes.teams.filter((t) => t.canManage).map((t) => ({ id: t.id, name: t.name }));
  const canAdd = manageable.length > 0 || routes.canManageFallback;
  const settingItems = SETTING_KEYS.filter((key) => (SETTINGS[key] as { group?: string }).group === "notifications").map((key) => {
    const setting = SETTINGS[key];
    const value = settings[key];
    return { key, label: setting.label, help: setting.help, value: Array.isArray(value) ? value.join(", ") : String(value), kind: "kind" in setting && setting.kind === "text" ? ("text" as const) : undefined };
  });
  const logHref = (next: { status?: string; page?: number }) => {
    const query = new URLSearchParams();
    if (next.status) query.set("status", next.status);
    if (next.page && next.page > 1) query.set("page", String(next.page));
    const text = query.toString();
    return `/notifications${text ? `?${text}` : ""}#log`;
  };

  return (
    <>
      <PageHeader
        title="Notifications"
        description="Expiring secrets, keys and certificates, failing jwks_uris, overdue dual windows, campaign deadlines, policy breaches and break-glass secrets reach each client's owner team: signed webhooks, and one email digest a day."
      />
      {!routes.emailEnabled && (
        <div className="mb-6">
          <Notice tone="amber" title="Email is off">
            This server has no KEYSHIFT_SMTP_URL: only webhook routes deliver, and clients&apos; contact addresses are not emailed.
          </Notice>
        </div>
      )}
      {canAdd && (
        <Card title="Add a route" className="mb-6">
          <AddRouteForm teams={manageable} fallback={routes.canManageFallback} emailEnabled={routes.emailEnabled} />
        </Card>
      )}
      <Card title="Routes" className="mb-6">
        <table className={tableClass}>
          <caption className="sr-only">Notification routes per team and the organisation fallback</caption>
          <thead>
            <tr>
              <th scope="col" className={thClass}>For</th>
              <th scope="col" className={thClass}>Name</th>
              <th scope="col" className={thClass}>Channel</th>
              <th scope="col" className={thClass}>Target</th>
              <th scope="col" className={thClass}>State</th>
              <th scope="col" className={thClass}><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {routes.fallback.map((r) => <RouteRow key={r.id} team="Organisation fallback" route={r} />)}
            {routes.fallback.length === 0 && (
              <tr>
                <td className={tdClass}>Organisation fallback</td>
                <td className={`${tdClass} text-slate-500`} colSpan={5}>None: events of a team without a route are recorded but not sent (the clients&apos; contacts still get email).</td>
              </tr>
            )}
            {routes.teams.map((team) =>
              team.routes.length ? (
                team.routes.map((r) => <RouteRow key={r.id} team={team.name} route={r} />)
              ) : (
                <tr key={team.id}>
                  <td className={tdClass}>{team.name}</td>
                  <td className={`${tdClass} text-slate-500`} colSpan={5}>No route: this team&apos;s events go to the organisation fallback.</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </Card>
      <Card title="Delivery log" className="mb-6" id="log">
        <nav aria-label="Filter the delivery log by status" className="mb-3 flex flex-wrap gap-3 text-sm">
          {[undefined, ...DELIVERY_STATUSES].map((s) => (
            <Link key={s ?? "all"} href={logHref({ status: s })} aria-current={s === status ? "page" : undefined} className={s === status ? "font-semibold" : undefined}>
              {s ? s[0].toUpperCase() + s.slice(1) : "All"}
            </Link>
          ))}
        </nav>
        {log.rows.length === 0 ? (
          <EmptyState>No deliveries{status ? ` with status ${status}` : ""} yet.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableClass}>
              <caption className="sr-only">Notification deliveries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>Found</th>
                  <th scope="col" className={thClass}>Event</th>
                  <th scope="col" className={thClass}>Recipient</th>
                  <th scope="col" className={thClass}>Status</th>
                  <th scope="col" className={thClass}>Attempts</th>
                  <th scope="col" className={thClass}>Last result</th>
                  <th scope="col" className={thClass}>Next attempt</th>
                  <th scope="col" className={thClass}><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {log.rows.map((d) => (
                  <tr key={d.id} data-testid="delivery-row">
                    <td className={`${tdClass} whitespace-nowrap text-xs`}>{formatDate(d.createdAt, true)}</td>
                    <td className={tdClass}>
                      <code className="text-xs">{d.type}</code>
                      <span className="block max-w-md text-xs text-slate-600">{d.summary}</span>
                      <span className="block font-mono text-xs text-slate-600">event {d.eventId}</span>
                    </td>
                    <td className={`${tdClass} text-xs`}>
                      {d.route ? d.route.name : "Client contact"}
                      <span className="block break-all font-mono text-slate-500">{d.target}</span>
                    </td>
                    <td className={tdClass}><Badge tone={STATUS_TONE[d.status] ?? "gray"}>{d.status}</Badge></td>
                    <td className={tdClass}>{d.attempts}</td>
                    <td className={`${tdClass} max-w-xs text-xs`}>
                      {d.lastStatus !== null && <span className="block">{d.channel === "email" ? "SMTP" : "HTTP"} {d.lastStatus}</span>}
                      {d.lastError && <span className="block text-red-700">{d.lastError}</span>}
                      {d.deliveredAt && <span className="block text-slate-500">delivered {formatDate(d.deliveredAt, true)}</span>}
                    </td>
                    <td className={`${tdClass} whitespace-nowrap text-xs`}>{d.nextAttemptAt ? formatDate(d.nextAttemptAt, true) : "—"}</td>
                    <td className={tdClass}>{d.canResend && <ResendButton deliveryId={d.id} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="mt-4 flex items-center justify-between text-sm" aria-label="Delivery log pages">
          <span className="text-slate-600">{log.total.toLocaleString("en")} deliveries · page {log.page} of {log.pages}</span>
          <div className="flex gap-3">
            {log.page > 1 && <Link href={logHref({ status, page: log.page - 1 })}>← Newer</Link>}
            {log.page < log.pages && <Link href={logHref({ status, page: log.page + 1 })}>Older →</Link>}
          </div>
        </nav>
      </Card>
      <Card title="When to notify">
        <SettingsForm items={settingItems} editable={can(actor, "settings.update")} />
      </Card>
    </>
  );
}
