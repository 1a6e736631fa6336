import type { Metadata } from "next";
import Link from "next/link";
import { BurnDownChart } from "@/components/campaigns/burn-down-chart";
import { AddClients, CloseCampaign, EditCampaign, RemoveClient } from "@/components/campaigns/manage";
import { ProgressBar } from "@/components/campaigns/progress";
import { ENV_TONES, METHOD_LABELS } from "@/components/clients/labels";
import { Badge, Card, EmptyState, PageHeader, formatDate, inputClass, relativeDays, tableClass, tdClass, thClass } from "@/components/ui";
import { can } from "@/lib/auth/guard";
import { canManageCampaign } from "@/lib/campaigns/commands";
import { campaignClients, campaignHistory, campaignSummary, ownerCandidates } from "@/lib/campaigns/queries";
import { cohortHref, describeCohortQuery } from "@/lib/campaigns/schema";
import { CAMPAIGN_KIND_LABELS, STAGE_HELP, STAGE_LABELS, STAGES, isStage, type CampaignStage } from "@/lib/campaigns/stages";
import { listTeams } from "@/lib/clients/queries";
import { orNotFound, requirePageActor } from "../../../_lib/session";

export const metadata: Metadata = { title: "Campaign" };

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const STAGE_TONES: Record<CampaignStage, "gray" | "amber" | "blue" | "green" | "red"> = {
  not_started: "gray",
  keys_registered: "amber",
  dual: "blue",
  assertions_seen: "blue",
  finalised: "green",
  pending: "amber",
  rotated: "green",
  deleted: "gray",
};

function listHref(id: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)])).toString();
  return `/campaigns/${id}${query ? `?${query}` : ""}#clients`;
}

const ACTION_LABELS: Record<string, string> = {
  "campaign.create": "Created",
  "campaign.update": "Changed",
  "campaign.add_clients": "Clients added",
  "campaign.remove_client": "Client removed",
  "campaign.close": "Closed",
};

function historyText(action: string, details: Record<string, unknown>): string {
  switch (action) {
    case "campaign.create":
      return `${details.cohort} clients${details.leftOut ? ` (${details.leftOut} left out)` : ""}, deadline ${String(details.deadline).slice(0, 10)}, owner ${details.owner}`;
    case "campaign.update":
      return Object.entries((details.changes ?? {}) as Record<string, { from: unknown; to: unknown }>)
        .map(([field, c]) => `${field}: ${String(c.from).slice(0, 40)} → ${String(c.to).slice(0, 40)}`)
        .join("; ");
    case "campaign.add_clients":
      return `${(details.clientIds as string[]).join(", ")} (cohort ${details.cohort})`;
    case "campaign.remove_client":
      return `${details.clientId}${details.reason ? `: ${details.reason}` : ""} (cohort ${details.cohort})`;
    case "campaign.close":
      return `${details.done} of ${details.total} done${details.reason ? `: ${details.reason}` : ""}`;
    default:
      return "";
  }
}

export default async function CampaignPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Params> }) {
  const actor = await requirePageActor("client.read");
  const { id } = await params;
  const raw = await searchParams;
  const now = new Date();
  const summary = await orNotFound(campaignSummary(actor, id, now));
  const { campaign, counts } = summary;
  const stage = first(raw.stage);
  const team = first(raw.team);
  const overdue = first(raw.overdue) === "1";
  const page = Math.max(1, Number(first(raw.page)) || 1);
  const filter = { stage: isStage(campaign.kind, stage) ? stage : undefined, team: team || undefined, overdue: overdue || undefined };
  const canManage = campaign.status === "active" && canManageCampaign(actor, campaign);
  const [clients, history, teams, owners] = await Promise.all([
    campaignClients(actor, id, { ...filter, page }, now),
    can(actor, "audit.read") ? campaignHistory(actor, id) : Promise.resolve([]),
    listTeams(),
    canManage ? ownerCandidates(actor) : Promise.resolve([]),
  ]);
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const stages = STAGES[campaign.kind];
  const filterWords = describeCohortQuery(campaign.cohort, (t) => teamName.get(t));
  const state = campaign.status === "closed" ? "closed" : summary.complete ? "complete" : summary.late ? "late" : "active";

  return (
    <>
      <PageHeader
        title={campaign.name}
        description={
          <>
            {CAMPAIGN_KIND_LABELS[campaign.kind]}
            {campaign.kind === "rotation" && `: every secret older than ${campaign.rotateOlderThanDays} days`} · owner {campaign.owner.email} · deadline {formatDate(campaign.deadline)}{" "}
            ({campaign.status === "closed" ? `closed ${formatDate(campaign.closedAt)}` : relativeDays(campaign.deadline, now)})
          </>
        }
        actions={
          <>
            <Link href={`/campaigns/${id}/report`} className="text-sm">Printable report</Link>
            <a href={`/campaigns/${id}/export`} download className="text-sm" data-testid="campaign-csv">Report CSV</a>
            <Link href="/campaigns" className="text-sm">All campaigns</Link>
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <div className="flex flex-wrap items-center gap-3">
            <span data-testid="campaign-state">
              {state === "closed" ? <Badge>closed</Badge> : state === "complete" ? <Badge tone="green">complete</Badge> : state === "late" ? <Badge tone="red">past its deadline</Badge> : <Badge tone="blue">active</Badge>}
            </span>
            <div className="min-w-[16rem] flex-1"><ProgressBar done={counts.done} total={counts.total} /></div>
            <Link href={listHref(id, { overdue: 1 })} data-testid="overdue-figure" className="text-sm">
              {counts.overdue.toLocaleString("en")} overdue
            </Link>
          </div>
          {campaign.description && <p className="mt-3 whitespace-pre-line text-sm text-slate-700">{campaign.description}</p>}
          <p className="mt-3 text-xs text-slate-600">
            Cohort taken from the client list{filterWords.length ? ` (${filterWords.join(" · ")})` : " (no filter)"} on {formatDate(campaign.createdAt, true)}
            {campaign.createdBy ? ` by ${campaign.createdBy}` : ""}: <Link href={cohortHref(campaign.cohort)} className="underline">the list with those filters today</Link>.
          </p>
        </Card>

        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Progress funnel">
            <ol className="space-y-2" data-testid="funnel">
              {summary.funnel.map((f) => {
                const width = counts.total ? Math.round((f.reached / counts.total) * 100) : 0;
                return (
                  <li key={f.stage} data-testid="funnel-step" data-stage={f.stage} data-reached={f.reached}>
                    <div className="flex justify-between text-sm">
                      <span>{f.stage === stages[0] ? "In the cohort" : `Reached ${STAGE_LABELS[f.stage]}`}</span>
                      <span className="tabular-nums">{f.reached.toLocaleString("en")}</span>
                    </div>
                    <div className="h-2 rounded-full bg-slate-100"><div className="h-2 rounded-full bg-brand-500" style={{ width: `${width}%` }} /></div>
                  </li>
                );
              })}
            </ol>
            <table className={`${tableClass} mt-4`} data-testid="stages-table">
              <caption className="sr-only">Clients per stage now</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>Stage now</th>
                  <th scope="col" className={`${thClass} text-right`}>Clients</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {stages.map((s) => (
                  <tr key={s} data-testid="stage-row" data-stage={s}>
                    <th scope="row" className={`${tdClass} text-left font-normal`}>
                      <Badge tone={STAGE_TONES[s]}>{STAGE_LABELS[s]}</Badge> <span className="text-xs text-slate-500">{STAGE_HELP[s]}</span>
                    </th>
                    <td className={`${tdClass} text-right tabular-nums`}>
                      <Link href={listHref(id, { stage: s })} data-testid="stage-count" aria-label={`${STAGE_LABELS[s]}: ${counts.stages[s]} clients`}>
                        {counts.stages[s].toLocaleString("en")}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title="Burn-down">
            <BurnDownChart points={summary.burnDown} deadline={campaign.deadline.toISOString().slice(0, 10)} />
            <p className="mt-2 text-xs text-slate-600">
              One point per day (the day&apos;s last reading{campaign.status === "active" ? "; today is live" : ""}); the dashed line runs from the cohort at creation to none left at the deadline.
            </p>
          </Card>
        </div>

        <Card title="Per owner team">
          {summary.perTeam.length === 0 ? (
            <EmptyState>The cohort is empty.</EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className={tableClass} data-testid="teams-table">
                <caption className="sr-only">Clients per owner team and stage, teams with the most left to do first</caption>
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>Team</th>
                    {stages.map((s) => <th key={s} scope="col" className={`${thClass} text-right`}>{STAGE_LABELS[s]}</th>)}
                    <th scope="col" className={`${thClass} text-right`}>Done</th>
                    <th scope="col" className={`${thClass} text-right`}>Overdue</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {summary.perTeam.map((t) => (
                    <tr key={t.teamId} data-testid="team-row" data-team={t.teamName}>
                      <th scope="row" className={`${tdClass} text-left font-medium`}>
                        <Link href={listHref(id, { team: t.teamId })}>{t.teamName}</Link>
                      </th>
                      {stages.map((s) => (
                        <td key={s} className={`${tdClass} text-right tabular-nums`} data-stage={s}>
                          {t.stages[s] ? <Link href={listHref(id, { team: t.teamId, stage: s })} aria-label={`${t.teamName}, ${STAGE_LABELS[s]}: ${t.stages[s]}`}>{t.stages[s]}</Link> : "0"}
                        </td>
                      ))}
                      <td className={`${tdClass} text-right tabular-nums`} data-testid="team-done">{t.done} / {t.total}</td>
                      <td className={`${tdClass} text-right tabular-nums`}>
                        {t.overdue ? <Link href={listHref(id, { team: t.teamId, overdue: 1 })}>{t.overdue}</Link> : "0"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>

        <Card title={`Clients (${clients.total.toLocaleString("en")}${filter.stage || filter.team || filter.overdue ? " shown by the filters" : ""})`} id="clients">
          <form method="get" action={`/campaigns/${id}#clients`} className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the campaign's clients">
            <label className="text-sm">
              <span className="block text-slate-700">Stage</span>
              <select name="stage" defaultValue={filter.stage ?? ""} className={inputClass}>
                <option value="">Every stage</option>
                {stages.map((s) => <option key={s} value={s}>{STAGE_LABELS[s]}</option>)}
              </select>
            </label>
            <label className="text-sm">
              <span className="block text-slate-700">Team</span>
              <select name="team" defaultValue={filter.team ?? ""} className={inputClass}>
                <option value="">Every team</option>
                {summary.perTeam.map((t) => <option key={t.teamId} value={t.teamId}>{t.teamName}</option>)}
              </select>
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="overdue" value="1" defaultChecked={overdue} /> Overdue only
            </label>
            <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">Show</button>
            {(filter.stage || filter.team || filter.overdue) && <Link href={`/campaigns/${id}#clients`} className="text-sm">Clear</Link>}
          </form>
          {clients.rows.length === 0 ? (
            <EmptyState>No client of the campaign matches.</EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className={tableClass} data-testid="campaign-clients">
                <caption className="sr-only">The campaign&apos;s clients with their stage</caption>
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>Client</th>
                    <th scope="col" className={thClass}>Team</th>
                    <th scope="col" className={thClass}>Stage</th>
                    <th scope="col" className={thClass}>Method</th>
                    <th scope="col" className={thClass}>Last authenticated</th>
                    {canManage && <th scope="col" className={thClass}><span className="sr-only">Actions</span></th>}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {clients.rows.map((c) => (
                    <tr key={c.id} data-testid="campaign-client" data-client-id={c.clientId} data-stage={c.stage}>
                      <td className={tdClass}>
                        <Link href={`/clients/${c.id}`} className="font-medium">{c.name}</Link> <Badge tone={ENV_TONES[c.environment] ?? "gray"}>{c.environment}</Badge>
                        <div className="font-mono text-xs text-slate-500">{c.clientId}</div>
                      </td>
                      <td className={tdClass}>{c.ownerTeam.name}</td>
                      <td className={tdClass}>
                        <Badge tone={STAGE_TONES[c.stage]}>{STAGE_LABELS[c.stage]}</Badge>
                        {c.overdue && <span className="ml-1"><Badge tone="red">overdue</Badge></span>}
                        {c.stage === "dual" || c.stage === "assertions_seen" ? (
                          <div className="text-xs text-slate-500">dual window until {formatDate(c.dualUntil)}</div>
                        ) : null}
                      </td>
                      <td className={tdClass}>{METHOD_LABELS[c.authMethod] ?? c.authMethod}</td>
                      <td className={tdClass}>{c.lastAuthAt ? `${formatDate(c.lastAuthAt, true)}${c.lastAuthMethod ? ` (${c.lastAuthMethod})` : ""}` : "never"}</td>
                      {canManage && <td className={tdClass}><RemoveClient campaignId={id} clientId={c.clientId} /></td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="mt-4 flex items-center justify-between text-sm" aria-label="Pagination">
            <span className="text-slate-600">Page {clients.page} of {clients.pages.toLocaleString("en")}</span>
            <div className="flex gap-3">
              {clients.page > 1 && <Link href={listHref(id, { ...filter, overdue: overdue ? 1 : undefined, page: clients.page - 1 })}>← Previous</Link>}
              {clients.page < clients.pages && <Link href={listHref(id, { ...filter, overdue: overdue ? 1 : undefined, page: clients.page + 1 })}>Next →</Link>}
            </div>
          </nav>
        </Card>

        {canManage && (
          <div className="grid gap-6 lg:grid-cols-3">
            <Card title="Edit">
              <EditCampaign
                campaignId={id}
                name={campaign.name}
                description={campaign.description}
                deadline={campaign.deadline.toISOString().slice(0, 10)}
                ownerId={campaign.ownerId}
                owners={owners}
              />
            </Card>
            <Card title="Add clients"><AddClients campaignId={id} /></Card>
            <Card title="Close"><CloseCampaign campaignId={id} outstanding={counts.total - counts.done} /></Card>
          </div>
        )}

        {history.length > 0 && (
          <Card title="History">
            <ol className="space-y-1 text-sm" data-testid="campaign-history">
              {history.map((h) => (
                <li key={h.seq}>
                  <span className="text-slate-500">{formatDate(h.at, true)}</span> · <span className="font-medium">{ACTION_LABELS[h.action] ?? h.action}</span> by {h.actorEmail}:{" "}
                  {historyText(h.action, JSON.parse(h.details) as Record<string, unknown>)}
                </li>
              ))}
            </ol>
          </Card>
        )}
      </div>
    </>
  );
}
