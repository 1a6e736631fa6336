import type { Metadata } from "next";
import { AuditTable } from "@/components/audit/audit-table";
import { Badge, Card, PageHeader } from "@/components/ui";
import { UserForm } from "@/components/users/user-form";
import { UserStatusActions } from "@/components/users/user-status-actions";
import { recentAuditFor } from "@/lib/audit/query";
import { listTeams } from "@/lib/clients/queries";
import { getUser } from "@/lib/users/queries";
import { orNotFound, requirePageActor } from "../../../_lib/session";
import { updateUserAction } from "../actions";

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("user.manage");
  const { id } = await params;
  const user = await orNotFound(getUser(actor, id));
  const [teams, audit] = await Promise.all([listTeams(), recentAuditFor(actor, "user", user.id)]);
  return (
    <>
      <PageHeader title={user.email} description={user.disabledAt ? <Badge>disabled</Badge> : user.name} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Role and teams">
          <UserForm mode="edit" teams={teams} values={{ name: user.name, role: user.role, teamIds: user.teams.map((t) => t.id) }} action={updateUserAction.bind(null, user.id)} />
        </Card>
        <Card title="Access">
          <UserStatusActions userId={user.id} disabled={!!user.disabledAt} />
        </Card>
      </div>
      <Card title="Audit trail for this user" className="mt-6">
        <AuditTable rows={audit} showTarget={false} />
      </Card>
    </>
  );
}
