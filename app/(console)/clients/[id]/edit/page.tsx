import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { ClientForm } from "@/components/clients/client-form";
import { Card, PageHeader } from "@/components/ui";
import { can } from "@/lib/auth/guard";
import { getClient, listTeams } from "@/lib/clients/queries";
import { spaceSeparated } from "@/lib/clients/schema";
import { orNotFound, requirePageActor } from "../../../../_lib/session";
import { updateClientAction } from "../../actions";

export const metadata: Metadata = { title: "Edit client" };

export default async function EditClientPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("client.update");
  const { id } = await params;
  const client = await orNotFound(getClient(actor, id));
  if (!can(actor, "client.update", { teamId: client.ownerTeam.id })) forbidden();
  const teams = (await listTeams()).filter((t) => actor.role === "admin" || actor.teamIds.includes(t.id));
  return (
    <>
      <PageHeader title={`Edit ${client.name}`} description={<code>{client.clientId}</code>} />
      <Card>
        <ClientForm
          mode="edit"
          teams={teams}
          values={{
            name: client.name,
            description: client.description,
            environment: client.environment,
            ownerTeamId: client.ownerTeam.id,
            contactEmail: client.contactEmail,
            grantTypes: client.grantTypes.split(" "),
            scopes: client.scopes,
            resources: spaceSeparated(client.resources).join("\n"),
            introspection: client.introspection,
            audienceCompat: client.audienceCompat,
          }}
          action={updateClientAction.bind(null, client.id)}
          cancelHref={`/clients/${client.id}`}
        />
      </Card>
    </>
  );
}
