import type { Metadata } from "next";
import Link from "next/link";
import { CampaignForm } from "@/components/campaigns/campaign-form";
import { Card, PageHeader } from "@/components/ui";
import { previewCohort } from "@/lib/campaigns/commands";
import { ownerCandidates } from "@/lib/campaigns/queries";
import { cohortHref, describeCohortQuery, parseCohortQuery } from "@/lib/campaigns/schema";
import { listTeams } from "@/lib/clients/queries";
import { requirePageActor } from "../../../_lib/session";

export const metadata: Metadata = { title: "New campaign" };

type Params = Record<string, string | string[] | undefined>;

export default async function NewCampaignPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePageActor("campaign.manage");
  const raw = await searchParams;
  const query = parseCohortQuery(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const filters = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const [teams, owners, preview] = await Promise.all([
    listTeams(),
    ownerCandidates(actor),
    previewCohort(actor, "migration", filters),
  ]);
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const defaultDeadline = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  return (
    <>
      <PageHeader
        title="New campaign"
        description="A named drive over a cohort of clients, with an owner and a deadline. Each client's stage follows from its state and its traffic."
        actions={<Link href={cohortHref(query)} className="text-sm">Change the filters in the client list</Link>}
      />
      <Card>
        <CampaignForm
          filters={filters}
          filterWords={describeCohortQuery(query, (id) => teamName.get(id))}
          owners={owners}
          currentUserId={actor.id}
          defaultDeadline={defaultDeadline}
          initialPreview={preview}
        />
      </Card>
    </>
  );
}
