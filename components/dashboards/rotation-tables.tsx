// Tables of the rotation health dashboard. Server components: numbers as text, counts with a
// client-list filter linked to that list, each row linked to its client.
import { KEY_STATUS_TONES } from "@/components/clients/labels";
import { Badge, EmptyState, formatDate, relativeDays, tableClass, tdClass, thClass } from "@/components/ui";
import type { KeyRow, RotationDashboard } from "@/lib/metrics/rotation";
import { ClientCell, FigureLink } from "./secrets-tables";

export function ExpiryWindowsTable({ secrets, keys }: { secrets: RotationDashboard["secrets"]; keys: RotationDashboard["keys"] }) {
  return (
    <table className={tableClass} data-testid="expiry-windows-table">
      <caption className="sr-only">Secrets, keys and certificates expiring within each window</caption>
      <thead>
        <tr>
          <th scope="col" className={thClass}>Within</th>
          <th scope="col" className={thClass}>Clients whose secret expires</th>
          <th scope="col" className={thClass}>Keys expiring</th>
          <th scope="col" className={thClass}>of which certificates</th>
          <th scope="col" className={thClass}>Clients with a key expiring</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {secrets.windows.map((w, i) => {
          const k = keys.windows[i];
          return (
            <tr key={w.days} data-testid={`expiry-window-${w.days}`}>
              <th scope="row" className={`${tdClass} text-left font-medium`}>{w.days} days</th>
              <td className={tdClass}><FigureLink figure={w.clients} label={`clients whose secret expires within ${w.days} days`} /></td>
              <td className={tdClass}>{k.keys.toLocaleString("en")}</td>
              <td className={tdClass}>{k.certificates.toLocaleString("en")}</td>
              <td className={tdClass}><FigureLink figure={k.clients} label={`clients with a key expiring within ${w.days} days`} /></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ExpiringSecretsTable({ rows, now }: { rows: RotationDashboard["secrets"]["rows"]; now: Date }) {
  if (rows.length === 0) return <EmptyState>No current secret expires in this window.</EmptyState>;
  return (
    <table className={tableClass} data-testid="expiring-secrets-table">
      <caption className="sr-only">Clients whose current secret expires soon, soonest first</caption>
      <thead>
        <tr>
          <th scope="col" className={thClass}>Client</th>
          <th scope="col" className={thClass}>Secret expires</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((c) => (
          <tr key={c.id}>
            <td className={tdClass}><ClientCell client={c} /></td>
            <td className={tdClass}>{formatDate(c.secretExpiresAt, true)} ({relativeDays(c.secretExpiresAt, now)})</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type KeyColumn = "expires" | "lastUsed" | "retiringUntil" | "created";
const KEY_COLUMN_LABELS: Record<KeyColumn, string> = { expires: "Expires", lastUsed: "Last used", retiringUntil: "Accepted until", created: "Added" };

export function KeyRowsTable({ rows, now, columns, caption, empty, testId }: { rows: KeyRow[]; now: Date; columns: KeyColumn[]; caption: string; empty: string; testId: string }) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  const cell = (k: KeyRow, c: KeyColumn) => {
    if (c === "expires") return `${formatDate(k.expiresAt, true)} (${relativeDays(k.expiresAt, now)})`;
    if (c === "retiringUntil") return `${formatDate(k.retiringUntil, true)} (${relativeDays(k.retiringUntil, now)})`;
    if (c === "created") return formatDate(k.createdAt);
    return k.lastUsedAt ? `${formatDate(k.lastUsedAt)} (${relativeDays(k.lastUsedAt, now)})` : "never";
  };
  return (
    <table className={tableClass} data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className={thClass}>Client</th>
          <th scope="col" className={thClass}>Key</th>
          {columns.map((c) => <th key={c} scope="col" className={thClass}>{KEY_COLUMN_LABELS[c]}</th>)}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((k) => (
          <tr key={k.id}>
            <td className={tdClass}><ClientCell client={k.client} /></td>
            <td className={tdClass}>
              <span className="font-mono text-xs">{k.kid}</span> <span className="text-xs text-slate-600">{k.alg ?? k.kty}</span>
              {k.isCertificate && <span className="ml-2"><Badge tone="blue">certificate</Badge></span>}
              {k.status !== "active" && <span className="ml-2"><Badge tone={KEY_STATUS_TONES[k.status] ?? "gray"}>{k.status}</Badge></span>}
            </td>
            {columns.map((c) => <td key={c} className={tdClass}>{cell(k, c)}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const HEALTH_TONES = { healthy: "green", degraded: "amber", failing: "red" } as const;

export function JwksHealthTable({ jwks }: { jwks: RotationDashboard["jwks"] }) {
  return (
    <>
      <table className={tableClass} data-testid="jwks-health-counts">
        <caption className="sr-only">Clients with a jwks_uri, per health</caption>
        <thead>
          <tr>
            {(["healthy", "degraded", "failing"] as const).map((h) => <th key={h} scope="col" className={thClass}>{h}</th>)}
            <th scope="col" className={thClass}>Total</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            {(["healthy", "degraded", "failing"] as const).map((h) => <td key={h} className={tdClass} data-testid={`jwks-${h}`}>{jwks[h].toLocaleString("en")}</td>)}
            <td className={tdClass}>{jwks.total.toLocaleString("en")}</td>
          </tr>
        </tbody>
      </table>
      {jwks.rows.length === 0 ? (
        <EmptyState>Every jwks_uri answered its last fetch.</EmptyState>
      ) : (
        <table className={`${tableClass} mt-4`} data-testid="jwks-unhealthy-table">
          <caption className="sr-only">jwks_uri whose last fetch failed, failing first</caption>
          <thead>
            <tr>
              <th scope="col" className={thClass}>Client</th>
              <th scope="col" className={thClass}>Health</th>
              <th scope="col" className={thClass}>Last good fetch</th>
              <th scope="col" className={thClass}>Failures</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {jwks.rows.map((c) => (
              <tr key={c.id}>
                <td className={tdClass}>
                  <ClientCell client={c} />
                  <div className="max-w-xs truncate font-mono text-xs text-slate-600" title={c.jwksUri ?? ""}>{c.jwksUri}</div>
                </td>
                <td className={tdClass}><Badge tone={HEALTH_TONES[c.health]}>{c.health}</Badge></td>
                <td className={tdClass}>{c.jwksGoodAt ? formatDate(c.jwksGoodAt, true) : "never"}</td>
                <td className={tdClass} title={c.jwksLastError ?? undefined}>{c.jwksFailures}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function BreakGlassTable({ breakGlass, now }: { breakGlass: RotationDashboard["breakGlass"]; now: Date }) {
  if (breakGlass.rows.length === 0) return <EmptyState>No break-glass secret is alive.</EmptyState>;
  return (
    <table className={tableClass} data-testid="break-glass-secrets-table">
      <caption className="sr-only">Break-glass secrets still valid, soonest expiry first</caption>
      <thead>
        <tr>
          <th scope="col" className={thClass}>Client</th>
          <th scope="col" className={thClass}>Secret</th>
          <th scope="col" className={thClass}>Expires</th>
          <th scope="col" className={thClass}>Last used</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {breakGlass.rows.map((s) => (
          <tr key={s.id}>
            <td className={tdClass}><ClientCell client={s.client} /></td>
            <td className={tdClass}><span className="font-mono text-xs text-slate-600">{s.hint}…</span></td>
            <td className={tdClass}>{formatDate(s.expiresAt, true)} ({relativeDays(s.expiresAt, now)})</td>
            <td className={tdClass}>{s.lastUsedAt ? formatDate(s.lastUsedAt, true) : "never"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
