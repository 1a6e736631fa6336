import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { AuthActivityPanel } from "@/components/clients/auth-activity";
import { ClientStatusActions } from "@/components/clients/client-status-actions";
import { KeysPanel } from "@/components/clients/keys-panel";
import { jwksUriData, keyRow } from "@/components/keys/rows";
import { ENV_TONES, METHOD_LABELS } from "@/components/clients/labels";
import { SecretsPanel } from "@/components/clients/secrets-panel";
import { Badge, ButtonLink, Card, Notice, PageHeader, formatDate } from "@/components/ui";
import { can } from "@/lib/auth/guard";
import { recentAuditFor } from "@/lib/audit/query";
import { getClient } from "@/lib/clients/queries";
import { SECRET_METHODS, spaceSeparated, type AuthMethod } from "@/lib/clients/schema";
import { issuer } from "@/lib/config";
import { clientJwksUri, listClientKeys } from "@/lib/keys/queries";
import { ASSERTION_ALGORITHMS } from "@/lib/oauth/algorithms";
import { ACTIVITY_WINDOW_DAYS, clientAuthActivity } from "@/lib/oauth/queries";
import { getMigration, type MigrationView } from "@/lib/migration/state";
import { clientCampaigns } from "@/lib/campaigns/queries";
import { STAGE_LABELS } from "@/lib/campaigns/stages";
import { BREAK_GLASS_HOURS } from "@/lib/migration/steps";
import { clientBreaches, policyOf } from "@/lib/policy";
import { getSettings } from "@/lib/settings";
import { MigrationPanel, type MigrationData } from "@/components/migration/migration-panel";
import { ClientSnippets } from "@/components/migration/client-snippets";
import { ageInDays, secretStatus } from "@/lib/secrets/status";
import { orNotFound, requirePageActor } from "../../../_lib/session";

export const metadata: Metadata = { title: "Client" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 py-1.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 break-words">{children}</dd>
    </div>
  );
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The algorithm a key signs with: its own alg, else the usual one for its type. */
function algorithmOf(key: { alg: string | null; kty: string; crv: string | null }): string {
  if (key.alg) return key.alg;
  if (key.kty === "EC") return ({ "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" } as Record<string, string>)[key.crv ?? ""] ?? "ES256";
  return key.kty === "OKP" ? "EdDSA" : "PS256";
}

function migrationData(view: MigrationView): MigrationData {
  const r = view.readiness;
  return {
    state: view.state,
    from: view.from,
    dualStartedAt: iso(view.dualStartedAt),
    dualUntil: iso(view.dualUntil),
    overdue: view.overdue,
    finalisedAt: iso(view.finalisedAt),
    breakGlassUntil: iso(view.breakGlassUntil),
    usableKeys: r.usableKeys,
    firstAssertionAt: iso(r.firstAssertionAt),
    lastSecretUseAt: iso(r.lastSecretUseAt),
    daysWithoutSecret: r.daysWithoutSecret,
    quietDays: r.quietDays,
    readyToFinalise: r.readyToFinalise,
    notReadyBecause: r.notReadyBecause,
  };
}

export default async function ClientPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("client.read");
  const { id } = await params;
  const client = await orNotFound(getClient(actor, id));
  const [audit, settings, keys, jwksUri, activity, migration, campaigns] = await Promise.all([
    recentAuditFor(actor, "client", client.clientId),
    getSettings(),
    listClientKeys(actor, client.id),
    client.keySource === "jwks_uri" ? clientJwksUri(actor, client.id) : null,
    clientAuthActivity(actor, client.id),
    getMigration(actor, client.id),
    clientCampaigns(actor, client.id),
  ]);
  const canChange = can(actor, "client.update", { teamId: client.ownerTeam.id });
  const canManageSecrets = can(actor, "secret.manage", { teamId: client.ownerTeam.id });
  const canManageKeys = can(actor, "key.manage", { teamId: client.ownerTeam.id });
  const canMigrate = can(actor, "migration.manage", { teamId: client.ownerTeam.id });
  const now = new Date();
  const secrets = client.secrets.map((s) => ({
    id: s.id,
    hint: s.hint,
    external: s.external,
    status: secretStatus(s, now),
    ageDays: ageInDays(s.createdAt, now),
    createdAt: s.createdAt.toISOString(),
    createdBy: s.createdBy,
    expiresAt: s.expiresAt?.toISOString() ?? null,
    lastUsedAt: s.lastUsedAt?.toISOString() ?? null,
  }));
  const validSecrets = secrets.filter((s) => s.status === "active" || s.status === "rotating").length;
  const recentUseMs = settings["keys.recentUseDays"] * 86_400_000;
  const keyRows = keys.map((k) => keyRow(k, now, recentUseMs));
  const resources = spaceSeparated(client.resources);
  const breaches = clientBreaches(
    {
      ...client,
      // the current secret: the newest unrevoked one, as the client list reads it
      secretCreatedAt: client.secrets.filter((s) => !s.revokedAt).reduce<Date | null>((newest, s) => (!newest || s.createdAt > newest ? s.createdAt : newest), null),
      keys: keys.map((k) => ({ kid: k.kid, alg: k.alg, jwk: k.publicJwk, retired: k.status === "retired" })),
    },
    policyOf(settings),
    now,
  );
  // the snippets name the key the client should sign with: its newest active one
  const signingKey = keys.find((k) => k.status === "active");

  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {client.name}
            <Badge tone={ENV_TONES[client.environment]}>{client.environment}</Badge>
            {client.status === "disabled" && <Badge>disabled</Badge>}
          </span>
        }
        description={<code className="text-slate-700">{client.clientId}</code>}
        actions={canChange && <ButtonLink href={`/clients/${client.id}/edit`} variant="secondary">Edit</ButtonLink>}
      />
      {!canChange && (
        <p className="mb-4 text-sm text-slate-600" data-testid="read-only-note">
          {actor.role === "auditor" ? "Auditors have read-only access." : `Owned by ${client.ownerTeam.name}; only its members and administrators can change it.`}
        </p>
      )}
      {breaches.length > 0 && (
        <div className="mb-6" data-testid="policy-breaches">
          <Notice tone="amber" title={`Breaches the organisation policy (${breaches.length})`}>
            <ul className="list-disc space-y-1 pl-5">
              {breaches.map((b, i) => <li key={i} data-code={b.code}>{b.message}</li>)}
            </ul>
          </Notice>
        </div>
      )}
      <Card title="Migration to private_key_jwt" className="mb-6" id="migration">
        <MigrationPanel
          clientDbId={client.id}
          migration={migrationData(migration)}
          canMigrate={canMigrate}
          canBreakGlass={can(actor, "migration.break_glass")}
          dualWindowDays={settings["migration.dualWindowDays"]}
          breakGlassHours={BREAK_GLASS_HOURS}
        />
      </Card>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Registration" className="lg:col-span-1">
          <dl className="divide-y divide-slate-100">
            <Row label="Owner team">{client.ownerTeam.name}</Row>
            <Row label="Contact">{client.contactEmail}</Row>
            <Row label="Auth method">{METHOD_LABELS[client.authMethod] ?? client.authMethod}</Row>
            <Row label="Accepted now">{spaceSeparated(client.acceptedMethods).map((m) => <code key={m} className="mr-2">{m}</code>)}</Row>
            <Row label="Grant types">{client.grantTypes.split(" ").map((g) => <code key={g} className="mr-2 block">{g}</code>)}</Row>
            <Row label="Scopes">{client.scopes ? client.scopes.split(" ").map((s) => <code key={s} className="mr-2">{s}</code>) : "—"}</Row>
            <Row label="Resources">{resources.length ? resources.map((r) => <code key={r} className="block break-all">{r}</code>) : "—"}</Row>
            <Row label="Introspection">{client.introspection ? "Resource server: may introspect tokens" : "not permitted"}</Row>
            <Row label="Audience compatibility">
              {client.audienceCompat ? <Badge tone="amber">on</Badge> : "off"}
              {client.audienceCompat && <span className="mt-1 block text-xs text-slate-500">The token endpoint URL is also accepted as an assertion&apos;s aud; every use is recorded.</span>}
            </Row>
            <Row label="Description">{client.description || "—"}</Row>
            <Row label="Created">{formatDate(client.createdAt, true)}</Row>
            {campaigns.length > 0 && (
              <Row label="Campaigns">
                <ul data-testid="client-campaigns">
                  {campaigns.map((c) => (
                    <li key={c.id}>
                      <Link href={`/campaigns/${c.id}`}>{c.name}</Link>: {STAGE_LABELS[c.stage]}
                      {c.overdue && <span className="ml-1"><Badge tone="red">overdue</Badge></span>}
                      {c.status === "closed" && <span className="text-xs text-slate-500"> (closed)</span>}
                    </li>
                  ))}
                </ul>
              </Row>
            )}
            <Row label="Last authenticated">{client.lastAuthAt ? `${formatDate(client.lastAuthAt, true)} (${client.lastAuthMethod})` : "never"}</Row>
          </dl>
        </Card>
        <Card title="Secrets" className="lg:col-span-2">
          <SecretsPanel
            clientDbId={client.id}
            secrets={secrets}
            canManage={canManageSecrets}
            usesSecrets={SECRET_METHODS.includes(client.authMethod as AuthMethod)}
            hasValidSecret={validSecrets > 0}
            overlapDays={settings["secret.rotationOverlapDays"]}
            active={client.status === "active"}
          />
        </Card>
      </div>
      <Card title="Keys" className="mt-6" id="keys" actions={<ButtonLink href="/debugger" variant="secondary">Debug an assertion</ButtonLink>}>
        <KeysPanel
          clientDbId={client.id}
          keys={keyRows}
          canManage={canManageKeys}
          jwksUri={jwksUri && jwksUriData(jwksUri)}
          overlapDays={settings["keys.rotationOverlapDays"]}
          recentUseDays={settings["keys.recentUseDays"]}
          algorithms={ASSERTION_ALGORITHMS}
        />
      </Card>
      <Card title="Client setup: private_key_jwt" className="mt-6" id="setup">
        <ClientSnippets clientId={client.clientId} issuer={issuer()} kid={signingKey?.kid ?? null} alg={signingKey ? algorithmOf(signingKey) : "ES256"} />
      </Card>
      <Card title="Authentication activity" className="mt-6" id="activity">
        <AuthActivityPanel activity={activity} windowDays={ACTIVITY_WINDOW_DAYS} issuer={issuer()} audienceCompat={client.audienceCompat} />
      </Card>
      {canChange && (
        <Card title="Status" className="mt-6">
          <ClientStatusActions clientDbId={client.id} clientId={client.clientId} status={client.status} validSecrets={validSecrets} />
        </Card>
      )}
      <Card title="Audit trail for this client" className="mt-6" actions={<Link href={`/audit?target=${encodeURIComponent(client.clientId)}`} className="text-sm">All entries →</Link>}>
        <AuditTable rows={audit} showTarget={false} />
      </Card>
    </>
  );
}
