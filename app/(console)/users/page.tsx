import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, PageHeader, formatDate, tableClass, tdClass, thClass } from "@/components/ui";
import { UserForm } from "@/components/users/user-form";
import { can } from "@/lib/auth/guard";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { listTeams } from "@/lib/clients/queries";
import { listUsers } from "@/lib/users/queries";
import { requirePageActor } from "../../_lib/session";
import { createUserAction } from "./actions";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePageActor("user.read");
  const [users, teams] = await Promise.all([listUsers(actor), listTeams()]);
  const manage = can(actor, "user.manage");
  return (
    <>
      <PageHeader title="Users" description="Who can use the console, with which role, and for which teams." />
      {manage && (
        <Card title="Add a user" className="mb-6">
          <UserForm mode="create" teams={teams} action={createUserAction} />
        </Card>
      )}
      <Card>
        <table className={tableClass}>
          <thead>
            <tr>
              <th className={thClass}>User</th>
              <th className={thClass}>Role</th>
              <th className={thClass}>Teams</th>
              <th className={thClass}>Status</th>
              <th className={thClass}>Last sign-in</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr key={u.id}>
                <td className={tdClass}>
                  {manage ? <Link href={`/users/${u.id}`}>{u.email}</Link> : u.email}
                  <span className="block text-xs text-slate-500">{u.name}</span>
                </td>
                <td className={tdClass}>{ROLE_LABELS[u.role as Role] ?? u.role}</td>
                <td className={tdClass}>{u.teams.map((t) => t.name).join(", ") || "—"}</td>
                <td className={tdClass}>
                  {u.disabledAt ? (
                    <Badge>disabled</Badge>
                  ) : u.hasPassword ? (
                    <Badge tone="green">active</Badge>
                  ) : u.lastSignInAt ? (
                    // no password, yet signed in: through single sign-on
                    <Badge tone="green">active · single sign-on</Badge>
                  ) : (
                    <Badge tone="amber">password not set</Badge>
                  )}
                </td>
                <td className={tdClass}>{u.lastSignInAt ? formatDate(u.lastSignInAt, true) : "never"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
