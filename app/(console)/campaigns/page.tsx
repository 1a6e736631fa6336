import type { Metadata } from "next";
import Link from "next/link";
import { ProgressBar } from "@/components/campaigns/progress";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, formatDate, relativeDays, tableClass, tdClass, thClass } from "@/components/ui";
import { can } from "@/lib/auth/guard";
import { listCampaigns } from "@/lib/campaigns/queries";
import { CAMPAIGN_KIND_LABELS } from "@/lib/campaigns/stages";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  const actor = await requirePageActor("client.read");
  const now = new Date();
  const campaigns = await listCampaigns(actor, {}, now);
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Drives that move a cohort of clients to private_key_jwt or rotate their old secrets. Progress is read from each client's state and its traffic."
        actions={can(actor, "campaign.manage") && <ButtonLink href="/campaigns/new">New campaign</ButtonLink>}
      />
      <Card>
        {campaigns.length === 0 ? (
          <EmptyState>
            No campaign yet. Filter the <Link href="/clients" className="underline">client list</Link> to the cohort you want, then choose “Start a campaign”.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableClass} data-testid="campaigns-table">
              <caption className="sr-only">Campaigns, active ones first by deadline</caption>
              <thead>
                <tr>
                  <th scope="col" className={thClass}>Campaign</th>
                  <th scope="col" className={thClass}>Goal</th>
                  <th scope="col" className={thClass}>Owner</th>
                  <th scope="col" className={thClass}>Deadline</th>
                  <th scope="col" className={thClass}>Progress</th>
                  <th scope="col" className={`${thClass} text-right`}>Overdue</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {campaigns.map((c) => (
                  <tr key={c.id} data-testid="campaign-row">
                    <td className={tdClass}>
                      <Link href={`/campaigns/${c.id}`} className="font-medium">{c.name}</Link>{" "}
                      {c.status === "closed" ? <Badge>closed</Badge> : c.counts.total > 0 && c.counts.done === c.counts.total ? <Badge tone="green">complete</Badge> : c.late ? <Badge tone="red">past deadline</Badge> : null}
                    </td>
                    <td className={tdClass}>{CAMPAIGN_KIND_LABELS[c.kind]}{c.kind === "rotation" && ` (> ${c.rotateOlderThanDays} d)`}</td>
                    <td className={tdClass}>{c.owner.email}</td>
                    <td className={tdClass}>{formatDate(c.deadline)} <span className="text-slate-500">({relativeDays(c.deadline, now)})</span></td>
                    <td className={`${tdClass} min-w-[12rem]`}>
                      <ProgressBar done={c.counts.done} total={c.counts.total} />
                    </td>
                    <td className={`${tdClass} text-right tabular-nums`}>{c.counts.overdue ? <Badge tone="red">{c.counts.overdue.toLocaleString("en")}</Badge> : "0"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
