import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { Badge, ButtonLink, Card, PageHeader, inputClass } from "@/components/ui";
import { can } from "@/lib/auth/guard";
import { AuditFilterSchema, distinctAuditActions, listAuditEvents } from "@/lib/audit/query";
import { verifyAuditChain } from "@/lib/audit/verify";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Audit trail" };

type Params = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePageActor("audit.read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const filter = AuditFilterSchema.parse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")));
  const [result, actions, chain] = await Promise.all([
    listAuditEvents(actor, filter),
    distinctAuditActions(),
    can(actor, "audit.verify") ? verifyAuditChain() : Promise.resolve(null),
  ]);
  const query = new URLSearchParams(Object.entries(raw).filter(([k, v]) => v && k !== "page") as [string, string][]);
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const pageHref = (page: number) => `/audit?${new URLSearchParams([...query.entries(), ["page", String(page)]])}`;
  const day = (d?: Date) => (d ? d.toISOString().slice(0, 10) : "");

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every change, sign-in and secret operation, append-only and hash-chained."
        actions={<ButtonLink variant="secondary" href={`/audit/export?${query}`} prefetch={false}>Export CSV</ButtonLink>}
      />
      {chain && (
        <div className="mb-6" data-testid="chain-status">
          {chain.ok ? (
            <Card>
              <p className="flex flex-wrap items-center gap-3 text-sm">
                <Badge tone="green">Chain verified</Badge>
                All {chain.entries.toLocaleString("en")} entries verify. Latest entry #{chain.lastSeq ?? "—"}, hash
                <code className="break-all text-xs">{chain.lastHash ?? "—"}</code>
                <span className="text-slate-500">(record it to detect later truncation)</span>
              </p>
            </Card>
          ) : (
            <div role="alert" className="rounded-lg bg-red-50 p-4 text-sm text-red-800 ring-1 ring-red-300">
              <p className="font-semibold">The audit chain is broken at entry #{chain.brokenSeq}.</p>
              <p>Entry #{chain.brokenSeq}: {chain.reason}. Entries before it ({chain.entries}) verify.</p>
            </div>
          )}
        </div>
      )}
      <Card>
        <form method="get" action="/audit" className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-6" aria-label="Filter audit entries">
          <input name="actor" defaultValue={filter.actor} placeholder="Actor email" aria-label="Actor" className={inputClass} />
          <select name="action" defaultValue={filter.action ?? ""} aria-label="Action" className={inputClass}>
            <option value="">All actions</option>
            {actions.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
          <input name="target" defaultValue={filter.target} placeholder="Target (client_id, email…)" aria-label="Target" className={inputClass} />
          <input name="from" type="date" defaultValue={day(filter.from)} aria-label="From" className={inputClass} />
          <input name="to" type="date" defaultValue={day(filter.to)} aria-label="To" className={inputClass} />
          <div className="flex gap-2">
            <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">Filter</button>
            <Link href="/audit" className="px-2 py-1.5 text-sm">Clear</Link>
          </div>
        </form>
        <AuditTable rows={result.rows} />
        <nav className="mt-4 flex items-center justify-between text-sm" aria-label="Pagination">
          <span className="text-slate-600">{result.total.toLocaleString("en")} entries · page {result.page} of {pages}</span>
          <div className="flex gap-3">
            {result.page > 1 && <Link href={pageHref(result.page - 1)}>← Newer</Link>}
            {result.page < pages && <Link href={pageHref(result.page + 1)}>Older →</Link>}
          </div>
        </nav>
      </Card>
    </>
  );
}
