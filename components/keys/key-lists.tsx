// The keys page's tables: keys found by thumbprint, keys expiring soon, keys shared between clients and
// unhealthy jwks_uris. Server components; every row links to the client it belongs to.
import Link from "next/link";
import { Badge, EmptyState, formatDate, relativeDays, tableClass, tdClass, thClass } from "@/components/ui";
import { KEY_STATUS_TONES } from "@/components/clients/labels";
import type { KeyAcrossClients } from "@/lib/keys/queries";
import { JwksHealthBadge } from "./health-badge";
import { KEY_SOURCE_LABELS } from "./labels";

const clientLink = (client: { id: string; clientId: string }) => (
  <Link href={`/clients/${client.id}#keys`} className="font-mono text-xs">
    {client.clientId}
  </Link>
);

function Head({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>{columns.map((c) => <th key={c} className={thClass}>{c}</th>)}</tr>
    </thead>
  );
}

/** Every client that registered the key with this thumbprint. */
export function KeysByThumbprint({ keys }: { keys: KeyAcrossClients[] }) {
  return (
    <div className="overflow-x-auto">
      <table className={tableClass} aria-label="Clients using this key">
        <Head columns={["Client", "Name", "kid", "Status", "Source", "Last used"]} />
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => (
            <tr key={k.id} data-testid="thumbprint-match" data-client={k.client.clientId} data-status={k.status}>
              <td className={tdClass}>{clientLink(k.client)}</td>
              <td className={tdClass}>{k.client.name} <span className="text-xs text-slate-500">{k.client.environment}</span></td>
              <td className={`${tdClass} max-w-48 break-all font-mono text-xs`}>{k.kid}</td>
              <td className={tdClass}><Badge tone={KEY_STATUS_TONES[k.status]}>{k.status}</Badge></td>
              <td className={tdClass}>{KEY_SOURCE_LABELS[k.source] ?? k.source}</td>
              <td className={`${tdClass} whitespace-nowrap`}>{k.lastUsedAt ? formatDate(k.lastUsedAt, true) : "never"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ExpiringKeys({ keys, days }: { keys: KeyAcrossClients[]; days: number }) {
  if (keys.length === 0) return <EmptyState>No key or certificate expires within {days} days.</EmptyState>;
  const now = new Date();
  return (
    <div className="overflow-x-auto">
      <table className={tableClass} aria-label="Keys expiring soon">
        <Head columns={["Expires", "Client", "kid", "Status", "Certificate"]} />
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => (
            <tr key={k.id} data-testid="expiring-key" data-client={k.client.clientId}>
              <td className={`${tdClass} whitespace-nowrap`}>
                {formatDate(k.expiresAt, true)} <span className="text-xs text-slate-500">({relativeDays(k.expiresAt, now)})</span>
              </td>
              <td className={tdClass}>{clientLink(k.client)}</td>
              <td className={`${tdClass} max-w-48 break-all font-mono text-xs`}>{k.kid}</td>
              <td className={tdClass}><Badge tone={KEY_STATUS_TONES[k.status]}>{k.status}</Badge></td>
              <td className={`${tdClass} max-w-72 break-words text-xs`}>{k.certificate?.subject ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type SharedKey = { thumbprint: string; clients: { id: string; clientId: string; name: string; kid: string }[] };

export function SharedKeys({ groups }: { groups: SharedKey[] }) {
  if (groups.length === 0) return <EmptyState>Every key authenticates one client only.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass} aria-label="Keys registered for more than one client">
        <Head columns={["Thumbprint", "Clients (kid)"]} />
        <tbody className="divide-y divide-slate-100">
          {groups.map((g) => (
            <tr key={g.thumbprint} data-testid="shared-key" className="bg-amber-50/60">
              <td className={tdClass}>
                <Badge tone="amber">{new Set(g.clients.map((c) => c.id)).size} clients</Badge>{" "}
                <Link href={`/keys?thumbprint=${encodeURIComponent(g.thumbprint)}`} className="font-mono text-xs">{g.thumbprint}</Link>
              </td>
              <td className={tdClass}>
                {g.clients.map((c) => (
                  <span key={`${c.id}:${c.kid}`} className="block">
                    {clientLink(c)} <span className="text-xs text-slate-500">({c.kid})</span>
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type UnhealthyUri = { id: string; clientId: string; name: string; jwksUri: string | null; jwksGoodAt: Date | null; jwksFailures: number; jwksLastError: string | null; health: string };

export function UnhealthyJwksUris({ uris }: { uris: UnhealthyUri[] }) {
  if (uris.length === 0) return <EmptyState>Every jwks_uri is healthy: the last fetch of each worked.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass} aria-label="Unhealthy jwks_uris">
        <Head columns={["Health", "Client", "jwks_uri", "Last good fetch", "Failures", "Last error"]} />
        <tbody className="divide-y divide-slate-100">
          {uris.map((u) => (
            <tr key={u.id} data-testid="unhealthy-jwks-uri" data-client={u.clientId}>
              <td className={tdClass}><JwksHealthBadge health={u.health} /></td>
              <td className={tdClass}>{clientLink(u)}</td>
              <td className={`${tdClass} max-w-72 break-all font-mono text-xs`}>{u.jwksUri}</td>
              <td className={`${tdClass} whitespace-nowrap`}>{u.jwksGoodAt ? formatDate(u.jwksGoodAt, true) : "never"}</td>
              <td className={tdClass}>{u.jwksFailures}</td>
              <td className={`${tdClass} max-w-72 break-words text-xs text-red-700`}>{u.jwksLastError ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
