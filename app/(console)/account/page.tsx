import type { Metadata } from "next";
import { CreateApiTokenForm, RevokeApiTokenButton } from "@/components/account/api-tokens";
import { Badge, Card, EmptyState, PageHeader, formatDate, tableClass, tdClass, thClass } from "@/components/ui";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { listApiTokens } from "@/lib/tokens/commands";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const actor = await requirePageActor();
  const tokens = await listApiTokens(actor);
  const now = new Date();
  return (
    <>
      <PageHeader title="Account" description={`${actor.email} · ${ROLE_LABELS[actor.role]}`} />
      <Card title="API tokens" className="mb-6">
        <p className="mb-4 text-sm text-slate-600">
          For scripts and pipelines using the REST API (<a href="/api/v1/openapi.json">OpenAPI document</a>). A token acts as you with your current role
          {actor.role === "auditor" ? " (read-only)" : ""}; every change it makes is audited as you, naming the token.
        </p>
        <CreateApiTokenForm />
      </Card>
      <Card title="Your tokens">
        {tokens.length === 0 ? (
          <EmptyState>No API tokens.</EmptyState>
        ) : (
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>Name</th>
                <th className={thClass}>Token</th>
                <th className={thClass}>Created</th>
                <th className={thClass}>Expires</th>
                <th className={thClass}>Last used</th>
                <th className={thClass}>Status</th>
                <th className={thClass}><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.map((t) => {
                const status = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= now ? "expired" : "active";
                return (
                  <tr key={t.id} data-testid="api-token-row">
                    <td className={tdClass}>{t.name}</td>
                    <td className={`${tdClass} font-mono text-xs`}>{t.hint}…</td>
                    <td className={tdClass}>{formatDate(t.createdAt)}</td>
                    <td className={tdClass}>{formatDate(t.expiresAt)}</td>
                    <td className={tdClass}>{t.lastUsedAt ? formatDate(t.lastUsedAt, true) : "never"}</td>
                    <td className={tdClass}><Badge tone={status === "active" ? "green" : "gray"}>{status}</Badge></td>
                    <td className={tdClass}>{status === "active" && <RevokeApiTokenButton tokenId={t.id} name={t.name} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
