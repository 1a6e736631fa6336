import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader, tableClass, tdClass, thClass } from "@/components/ui";
import { CreateTeamForm, TeamRowActions } from "@/components/teams/team-forms";
import { can } from "@/lib/auth/guard";
import { listTeamsWithCounts } from "@/lib/teams/commands";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const actor = await requirePageActor("client.read");
  const teams = await listTeamsWithCounts();
  const manage = can(actor, "team.manage");
  return (
    <>
      <PageHeader title="Teams" description="Every client has one owner team; operators change the clients of the teams they belong to." />
      {manage && (
        <Card title="New team" className="mb-6">
          <CreateTeamForm />
        </Card>
      )}
      <Card>
        <table className={tableClass}>
          <thead>
            <tr>
              <th className={thClass}>Team</th>
              <th className={thClass}>Clients</th>
              <th className={thClass}>Members</th>
              {manage && <th className={thClass}><span className="sr-only">Actions</span></th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {teams.map((t) => (
              <tr key={t.id}>
                <td className={tdClass}>
                  <span className="font-medium">{t.name}</span>
                  {t.description && <span className="block text-xs text-slate-500">{t.description}</span>}
                </td>
                <td className={tdClass}><Link href={`/clients?team=${t.id}`}>{t.clients}</Link></td>
                <td className={`${tdClass} text-xs`}>{t.members.join(", ") || "—"}</td>
                {manage && <td className={`${tdClass} w-80`}><TeamRowActions team={t} /></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
