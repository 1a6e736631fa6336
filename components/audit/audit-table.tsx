import { EmptyState, formatDate, tableClass, tdClass, thClass } from "@/components/ui";

type Row = { seq: number; at: Date; actorEmail: string | null; actorType: string; action: string; targetType: string | null; targetId: string | null; targetName: string | null; details: string; address: string | null };

function detailsText(details: string): string {
  if (details === "{}") return "";
  try {
    const parsed = JSON.parse(details) as Record<string, unknown>;
    return Object.entries(parsed)
      .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
      .join(" · ");
  } catch {
    return details;
  }
}

export function AuditTable({ rows, showTarget = true }: { rows: Row[]; showTarget?: boolean }) {
  if (rows.length === 0) return <EmptyState>No audit entries.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass} data-testid="audit-table">
        <thead>
          <tr>
            <th className={thClass}>#</th>
            <th className={thClass}>Time</th>
            <th className={thClass}>Actor</th>
            <th className={thClass}>Action</th>
            {showTarget && <th className={thClass}>Target</th>}
            <th className={thClass}>Details</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.seq}>
              <td className={`${tdClass} text-slate-500`}>{r.seq}</td>
              <td className={`${tdClass} whitespace-nowrap`}>{formatDate(r.at, true)}</td>
              <td className={tdClass}>
                {r.actorEmail ?? r.actorType}
                {r.address && <span className="block text-xs text-slate-500">{r.address}</span>}
              </td>
              <td className={`${tdClass} font-mono text-xs`}>{r.action}</td>
              {showTarget && (
                <td className={tdClass}>
                  {r.targetType && <span className="text-slate-500">{r.targetType} </span>}
                  <span>{r.targetName ?? r.targetId}</span>
                  {r.targetName && r.targetId && r.targetType === "client" && <span className="block font-mono text-xs text-slate-500">{r.targetId}</span>}
                </td>
              )}
              <td className={`${tdClass} max-w-md break-words text-xs text-slate-600`}>{detailsText(r.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
