import type { Metadata } from "next";
import Link from "next/link";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, formatDate, inputClass, relativeDays, tableClass, tdClass, thClass } from "@/components/ui";
import { ENV_TONES, METHOD_LABELS, ageTone } from "@/components/clients/labels";
import { can } from "@/lib/auth/guard";
import { cohortHref, cohortQueryOf } from "@/lib/campaigns/schema";
import { listClients, listTeams } from "@/lib/clients/queries";
import { AGE_BUCKETS, AUTH_METHODS, ClientListQuerySchema, ENVIRONMENTS, type ClientListQuery } from "@/lib/clients/schema";
import { ageInDays } from "@/lib/secrets/status";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Clients" };

type Params = Record<string, string | string[] | undefined>;

function hrefWith(query: ClientListQuery, changes: Partial<Record<keyof ClientListQuery, string | number | undefined>>): string {
  const params = new URLSearchParams();
  const merged = { ...query, ...changes } as Record<string, unknown>;
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === "") continue;
    if ((key === "sort" && value === "name") || (key === "dir" && value === "asc") || (key === "page" && value === 1) || (key === "pageSize" && value === 25)) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `/clients?${text}` : "/clients";
}

function SortHeader({ query, column, children }: { query: ClientListQuery; column: ClientListQuery["sort"]; children: string }) {
  const active = query.sort === column;
  const dir = active && query.dir === "asc" ? "desc" : "asc";
  return (
    <th className={thClass} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={hrefWith(query, { sort: column, dir, page: 1 })} className="text-slate-600 hover:text-slate-900">
        {children} {active ? (query.dir === "asc" ? "▲" : "▼") : ""}
      </Link>
    </th>
  );
}

/** Filters the dashboards link to: kept through the form, shown as badges. */
const DRILL_DOWN_KEYS = ["expiring", "migration", "olderThan", "unused", "onSecret", "external", "keysExpiring", "keysUnused", "retiringInUse", "jwks", "breakGlass"] as const;

function drillDownBadges(query: ClientListQuery): string[] {
  const labels: string[] = [];
  if (query.expiring) labels.push(`secret expiring within ${query.expiring} days`);
  if (query.migration) labels.push(query.migration === "overdue" ? "dual window overdue" : `migration: ${query.migration}`);
  if (query.olderThan) labels.push(`secret older than ${query.olderThan} days`);
  if (query.unused) labels.push(`a secret unused for ${query.unused} days`);
  if (query.onSecret) labels.push("still on a secret");
  if (query.external) labels.push("imported external secret");
  if (query.keysExpiring) labels.push(`key expiring within ${query.keysExpiring} days`);
  if (query.keysUnused) labels.push(`a key unused for ${query.keysUnused} days`);
  if (query.retiringInUse) labels.push(`a retiring key used within ${query.retiringInUse} days`);
  if (query.jwks) labels.push(`jwks_uri ${query.jwks}`);
  if (query.breakGlass) labels.push("break-glass secret alive");
  return labels;
}

export default async function ClientsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePageActor("client.read");
  const raw = await searchParams;
  const query = ClientListQuerySchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [result, teams] = await Promise.all([listClients(actor, query), listTeams()]);
  const now = new Date();
  const drillDowns = drillDownBadges(query);
  const filtered = Boolean(query.q || query.environment || query.team || query.method || query.status || query.age || query.expiring || drillDowns.length);

  return (
    <>
      <PageHeader
        title="Clients"
        description="Confidential OAuth clients, their owner teams and how they authenticate."
        actions={
          <>
            {can(actor, "campaign.manage") && result.total > 0 && (
              <ButtonLink variant="secondary" href={cohortHref(cohortQueryOf(query), "/campaigns/new")} data-testid="start-campaign">Start a campaign</ButtonLink>
            )}
            <ButtonLink variant="secondary" href="/clients/export?format=csv" prefetch={false}>Export CSV</ButtonLink>
            <ButtonLink variant="secondary" href="/clients/export?format=json" prefetch={false}>Export JSON</ButtonLink>
            {(actor.role === "admin" || (actor.role === "operator" && actor.teamIds.length > 0)) && (
              <>
                <ButtonLink variant="secondary" href="/clients/import">Import</ButtonLink>
                <ButtonLink href="/clients/new">New client</ButtonLink>
              </>
            )}
          </>
        }
      />
      <Card>
        <form method="get" action="/clients" className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-7" aria-label="Filter clients">
          <input name="q" defaultValue={query.q} placeholder="Search client_id or name" aria-label="Search" className={`${inputClass} md:col-span-2`} />
          <select name="environment" defaultValue={query.environment ?? ""} aria-label="Environment" className={inputClass}>
            <option value="">All environments</option>
            {ENVIRONMENTS.map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
          <select name="team" defaultValue={query.team ?? ""} aria-label="Team" className={inputClass}>
            <option value="">All teams</option>
            {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
          <select name="method" defaultValue={query.method ?? ""} aria-label="Auth method" className={inputClass}>
            <option value="">All methods</option>
            {AUTH_METHODS.map((m) => <option key={m} value={m}>{METHOD_LABELS[m]}</option>)}
          </select>
          <select name="status" defaultValue={query.status ?? ""} aria-label="Status" className={inputClass}>
            <option value="">Active and disabled</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
          <select name="age" defaultValue={query.age ?? ""} aria-label="Secret age" className={inputClass}>
            <option value="">Any secret age</option>
            {AGE_BUCKETS.map((b) => <option key={b.id} value={b.id}>{b.label}</option>)}
          </select>
          {DRILL_DOWN_KEYS.map((key) => query[key] !== undefined && <input key={key} type="hidden" name={key} value={String(query[key])} />)}
          <input type="hidden" name="sort" value={query.sort} />
          <input type="hidden" name="dir" value={query.dir} />
          <div className="col-span-2 flex gap-2 md:col-span-7">
            <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">Apply filters</button>
            {filtered && <Link href="/clients" className="px-2 py-1.5 text-sm">Clear</Link>}
            {drillDowns.map((label) => <Badge key={label} tone="amber">{label}</Badge>)}
            <span className="ml-auto self-center text-sm text-slate-600" data-testid="client-count">
              {result.total.toLocaleString("en")} client{result.total === 1 ? "" : "s"}
            </span>
          </div>
        </form>
        {result.rows.length === 0 ? (
          <EmptyState>{filtered ? "No client matches these filters." : "No clients yet. Create the first one."}</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableClass}>
              <thead>
                <tr>
                  <SortHeader query={query} column="name">Name</SortHeader>
                  <SortHeader query={query} column="clientId">client_id</SortHeader>
                  <SortHeader query={query} column="environment">Environment</SortHeader>
                  <th className={thClass}>Team</th>
                  <th className={thClass}>Method</th>
                  <SortHeader query={query} column="secretCreatedAt">Secret age</SortHeader>
                  <th className={thClass}>Secret expires</th>
                  <SortHeader query={query} column="lastAuthAt">Last authenticated</SortHeader>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((c) => {
                  const age = c.secretCreatedAt ? ageInDays(c.secretCreatedAt, now) : null;
                  return (
                    <tr key={c.id} className="hover:bg-slate-50">
                      <td className={tdClass}>
                        <Link href={`/clients/${c.id}`} className="font-medium">{c.name}</Link>
                        {c.status === "disabled" && <span className="ml-2"><Badge>disabled</Badge></span>}
                      </td>
                      <td className={`${tdClass} max-w-[16rem] truncate font-mono text-xs`} title={c.clientId}>{c.clientId}</td>
                      <td className={tdClass}><Badge tone={ENV_TONES[c.environment]}>{c.environment}</Badge></td>
                      <td className={tdClass}>{c.ownerTeam.name}</td>
                      <td className={tdClass}>{METHOD_LABELS[c.authMethod] ?? c.authMethod}</td>
                      <td className={tdClass}>{age === null ? "—" : <Badge tone={ageTone(age)}>{age} d</Badge>}</td>
                      <td className={tdClass}>
                        {c.secretExpiresAt ? formatDate(c.secretExpiresAt) : "—"}
                        {c.secretExpiresAt && (c.secretExpiresAt <= now ? <span className="ml-1"><Badge tone="red">expired</Badge></span> : <span className="text-slate-500"> ({relativeDays(c.secretExpiresAt, now)})</span>)}
                      </td>
                      <td className={tdClass}>{c.lastAuthAt ? formatDate(c.lastAuthAt, true) : "never"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <nav className="mt-4 flex items-center justify-between text-sm" aria-label="Pagination">
          <span className="text-slate-600">
            Page {result.page} of {result.pages.toLocaleString("en")}
          </span>
          <div className="flex items-center gap-3">
            <span className="text-slate-500">Per page:</span>
            {[25, 50, 100].map((size) => (
              <Link key={size} href={hrefWith(query, { pageSize: size, page: 1 })} className={size === query.pageSize ? "font-semibold text-slate-900" : ""}>{size}</Link>
            ))}
            {result.page > 1 && <Link href={hrefWith(query, { page: result.page - 1 })}>← Previous</Link>}
            {result.page < result.pages && <Link href={hrefWith(query, { page: result.page + 1 })}>Next →</Link>}
          </div>
        </nav>
      </Card>
    </>
  );
}
