import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui";
import { ImportForm } from "@/components/inventory/import-form";
import { listTeams } from "@/lib/clients/queries";
import { INVENTORY_COLUMNS } from "@/lib/inventory/rows";
import { requirePageActor } from "../../../_lib/session";

export const metadata: Metadata = { title: "Import clients" };

export default async function ImportPage() {
  const actor = await requirePageActor("client.create");
  const teams = (await listTeams()).filter((t) => actor.role === "admin" || actor.teamIds.includes(t.id));
  return (
    <>
      <PageHeader
        title="Import clients"
        description="Bring in the inventory you already have. Imported secrets are recorded as external (Keyshift never sees their values), so their age counts until you rotate them here."
      />
      <Card>
        <ImportForm teams={teams} />
      </Card>
      <Card title="CSV columns" className="mt-6">
        <p className="text-sm text-slate-700">
          A header row naming the columns: <code>{INVENTORY_COLUMNS.join(", ")}</code>. Required: client_id, name, environment, team (an existing team&apos;s
          name), contact_email, auth_method (client_secret_basic or client_secret_post). Dates are ISO 8601. For an existing client_id an empty cell keeps
          the current value; the authentication method and secrets are never changed by an import.
        </p>
      </Card>
    </>
  );
}
