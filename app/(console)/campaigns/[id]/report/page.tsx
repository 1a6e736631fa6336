import type { Metadata } from "next";
import Link from "next/link";
import { PrintButton } from "@/components/campaigns/print-button";
import { formatDate, tableClass, tdClass, thClass } from "@/components/ui";
import { can } from "@/lib/auth/guard";
import { campaignHistory, campaignReportRows, campaignSummary } from "@/lib/campaigns/queries";
import { describeCohortQuery } from "@/lib/campaigns/schema";
import { CAMPAIGN_KIND_LABELS, STAGE_HELP, STAGE_LABELS, STAGES } from "@/lib/campaigns/stages";
import { listTeams } from "@/lib/clients/queries";
import { orNotFound, requirePageActor } from "../../../../_lib/session";

export const metadata: Metadata = { title: "Campaign report" };

/** Rows listed in the printed report: beyond that, the CSV holds every client. */
const PRINTED_ROWS = 2_000;

export default async function CampaignReportPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("client.read");
  const { id } = await params;
  const now = new Date();
  const summary = await orNotFound(campaignSummary(actor, id, now));
  const [report, history, teams] = await Promise.all([
    campaignReportRows(actor, id, now),
    can(actor, "audit.read") ? campaignHistory(actor, id) : Promise.resolve([]),
    listTeams(),
  ]);
  const { campaign, counts } = summary;
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const stages = STAGES[campaign.kind];
  const outstanding = report.rows.filter((r) => r.stage !== "finalised" && r.stage !== "rotated" && r.stage !== "deleted");
  const percent = counts.total ? Math.floor((counts.done / counts.total) * 100) : 0;

  return (
    <article className="mx-auto max-w-4xl space-y-6 bg-white p-6 text-sm print:max-w-none print:p-0" data-testid="campaign-report">
      <div className="flex items-center justify-between print:hidden">
        <Link href={`/campaigns/${id}`}>← Back to the campaign</Link>
        <PrintButton />
      </div>
      <header>
        <p className="text-xs uppercase tracking-wide text-slate-500">Keyshift campaign report</p>
        <h1 className="text-2xl font-semibold">{campaign.name}</h1>
        <p className="mt-1 text-slate-600">
          Generated {formatDate(now, true)} by {actor.email}. Stages are derived from each client&apos;s stored state and its authentication traffic at that moment.
        </p>
      </header>
      <section>
        <h2 className="mb-2 text-base font-semibold">Summary</h2>
        <dl className="grid grid-cols-[12rem_1fr] gap-x-4 gap-y-1">
          <dt className="text-slate-500">Goal</dt>
          <dd>{CAMPAIGN_KIND_LABELS[campaign.kind]}{campaign.kind === "rotation" && `: every secret older than ${campaign.rotateOlderThanDays} days`}</dd>
          <dt className="text-slate-500">Owner</dt>
          <dd>{campaign.owner.name} ({campaign.owner.email})</dd>
          <dt className="text-slate-500">Created</dt>
          <dd>{formatDate(campaign.createdAt, true)}{campaign.createdBy ? ` by ${campaign.createdBy}` : ""}</dd>
          <dt className="text-slate-500">Cohort filters</dt>
          <dd>{describeCohortQuery(campaign.cohort, (t) => teamName.get(t)).join(" · ") || "none (every listed client)"}</dd>
          <dt className="text-slate-500">Deadline</dt>
          <dd>{formatDate(campaign.deadline)}{summary.late ? " (passed with clients outstanding)" : ""}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd>{campaign.status === "closed" ? `closed ${formatDate(campaign.closedAt, true)}${campaign.closedBy ? ` by ${campaign.closedBy}` : ""}` : summary.complete ? "complete" : "active"}</dd>
          <dt className="text-slate-500">Progress</dt>
          <dd data-testid="report-progress">{counts.done} of {counts.total} clients done ({percent}%), {counts.overdue} overdue</dd>
        </dl>
      </section>
      <section>
        <h2 className="mb-2 text-base font-semibold">Clients per stage</h2>
        <table className={tableClass}>
          <thead>
            <tr>
              <th scope="col" className={thClass}>Stage</th>
              <th scope="col" className={thClass}>Meaning</th>
              <th scope="col" className={`${thClass} text-right`}>Clients</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {stages.map((s) => (
              <tr key={s}>
                <th scope="row" className={`${tdClass} text-left font-medium`}>{STAGE_LABELS[s]}</th>
                <td className={tdClass}>{STAGE_HELP[s]}</td>
                <td className={`${tdClass} text-right tabular-nums`}>{counts.stages[s]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2 className="mb-2 text-base font-semibold">Per owner team</h2>
        <table className={tableClass}>
          <thead>
            <tr>
              <th scope="col" className={thClass}>Team</th>
              <th scope="col" className={`${thClass} text-right`}>Clients</th>
              <th scope="col" className={`${thClass} text-right`}>Done</th>
              <th scope="col" className={`${thClass} text-right`}>Overdue</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {summary.perTeam.map((t) => (
              <tr key={t.teamId}>
                <th scope="row" className={`${tdClass} text-left font-medium`}>{t.teamName}</th>
                <td className={`${tdClass} text-right tabular-nums`}>{t.total}</td>
                <td className={`${tdClass} text-right tabular-nums`}>{t.done}</td>
                <td className={`${tdClass} text-right tabular-nums`}>{t.overdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2 className="mb-2 text-base font-semibold">Outstanding clients ({outstanding.length})</h2>
        {outstanding.length === 0 ? (
          <p>None: every client of the cohort is done.</p>
        ) : (
          <table className={tableClass} data-testid="report-outstanding">
            <thead>
              <tr>
                <th scope="col" className={thClass}>client_id</th>
                <th scope="col" className={thClass}>Name</th>
                <th scope="col" className={thClass}>Team</th>
                <th scope="col" className={thClass}>Contact</th>
                <th scope="col" className={thClass}>Stage</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {outstanding.slice(0, PRINTED_ROWS).map((r) => (
                <tr key={r.id}>
                  <td className={`${tdClass} font-mono text-xs`}>{r.clientId}</td>
                  <td className={tdClass}>{r.name}</td>
                  <td className={tdClass}>{r.ownerTeam.name}</td>
                  <td className={tdClass}>{r.contactEmail}</td>
                  <td className={tdClass}>{STAGE_LABELS[r.stage]}{r.overdue ? " (overdue)" : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {outstanding.length > PRINTED_ROWS && <p className="mt-2">The first {PRINTED_ROWS.toLocaleString("en")} are listed; the CSV report holds every client.</p>}
      </section>
      {history.length > 0 && (
        <section>
          <h2 className="mb-2 text-base font-semibold">History (from the audit trail)</h2>
          <ol className="space-y-1">
            {history.map((h) => (
              <li key={h.seq}>
                #{h.seq} {formatDate(h.at, true)} · {h.action} by {h.actorEmail}
              </li>
            ))}
          </ol>
          <p className="mt-2 text-xs text-slate-500">Entry numbers refer to the hash-chained audit trail; verify it on the audit page.</p>
        </section>
      )}
    </article>
  );
}
