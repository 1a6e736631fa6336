import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Card, PageHeader } from "@/components/ui";
import { ClientForm } from "@/components/clients/client-form";
import { listTeams } from "@/lib/clients/queries";
import { policyOf } from "@/lib/policy";
import { getSettings } from "@/lib/settings";
import { requirePageActor } from "../../../_lib/session";
import { createClientAction } from "../actions";

export const metadata: Metadata = { title: "New client" };

export default async function NewClientPage() {
  const actor = await requirePageActor("client.create");
  const teams = (await listTeams()).filter((t) => actor.role === "admin" || actor.teamIds.includes(t.id));
  if (teams.length === 0) forbidden();
  return (
    <>
      <PageHeader title="New client" description="Register a confidential client. Its first secret is shown once, right after creation." />
      <Card>
        <ClientForm mode="create" teams={teams} action={createClientAction} cancelHref="/clients" defaultAudienceCompat={policyOf(await getSettings()).defaultAudienceCompat} />
      </Card>
    </>
  );
}
