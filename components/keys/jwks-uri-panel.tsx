"use client";
import { useState, useTransition } from "react";
import { Button, EmptyState, formatDate, tableClass, tdClass, thClass } from "@/components/ui";
import type { ActionResult } from "@/app/_lib/actions";
import { refreshJwksUriAction, unlinkJwksUriAction } from "@/app/(console)/clients/key-actions";
import { JwksHealthBadge } from "./health-badge";

/** The client's jwks_uri as the page shows it: dates as ISO strings. */
export type JwksUriData = {
  uri: { uri: string; health: string; fetchedAt: string | null; goodAt: string | null; refreshAt: string | null; failures: number; lastError: string | null };
  fetches: {
    id: number;
    at: string;
    trigger: string;
    outcome: string;
    httpStatus: number | null;
    error: string | null;
    keyCount: number | null;
    added: string[];
    removed: string[];
    ignored: { kid: string | null; reason: string }[];
  }[];
};

type Props = { clientDbId: string; data: JwksUriData; canManage: boolean; onResult: (result: ActionResult) => void };

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="py-1">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

const kids = (list: string[]) => (list.length ? list.map((k) => <code key={k} className="mr-1 block break-all font-mono text-xs">{k}</code>) : "—");

export function JwksUriPanel({ clientDbId, data, canManage, onResult }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [pending, start] = useTransition();
  const { uri, fetches } = data;

  function run(fn: () => Promise<ActionResult>) {
    start(async () => {
      const result = await fn();
      setConfirming(false);
      onResult(result);
    });
  }

  return (
    <section aria-label="jwks_uri" className="space-y-4 border-t border-slate-100 pt-4" data-testid="jwks-uri-panel">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 className="text-sm font-semibold text-slate-800">Keys from the jwks_uri</h3>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm">
            <code className="break-all font-mono text-xs" data-testid="jwks-uri">{uri.uri}</code>
            <JwksHealthBadge health={uri.health} />
          </p>
        </div>
        {canManage && (
          <div className="flex gap-2">
            <Button type="button" variant="secondary" onClick={() => run(() => refreshJwksUriAction(clientDbId))} disabled={pending}>Refresh now</Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(true)} disabled={pending}>Unlink</Button>
          </div>
        )}
      </div>
      {confirming && (
        <div role="dialog" aria-label="Confirm unlinking" className="rounded-md bg-red-50 p-4 text-sm ring-1 ring-red-200">
          <p className="font-semibold text-red-800">Unlink {uri.uri}?</p>
          <p className="mt-1 text-red-800">Every key that came from it is retired at once: the client cannot authenticate with private_key_jwt until it has keys again.</p>
          <div className="mt-3 flex gap-2">
            <Button type="button" variant="danger" onClick={() => run(() => unlinkJwksUriAction(clientDbId))} disabled={pending}>Unlink and retire its keys</Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>Cancel</Button>
          </div>
        </div>
      )}
      <dl className="grid gap-x-6 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <Item label="Last fetch">{formatDate(uri.fetchedAt, true)}</Item>
        <Item label="Last good fetch">{uri.goodAt ? formatDate(uri.goodAt, true) : "never"}</Item>
        <Item label="Next refresh">{formatDate(uri.refreshAt, true)}</Item>
        <Item label="Consecutive failures">
          <span data-testid="jwks-failures">{uri.failures}</span>
          {uri.lastError && <span className="block text-xs text-red-700">{uri.lastError}</span>}
        </Item>
      </dl>
      <div>
        <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Fetch history</h4>
        {fetches.length === 0 ? (
          <EmptyState>No fetches recorded.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableClass} aria-label="jwks_uri fetch history">
              <thead>
                <tr>
                  {["Time", "Trigger", "Outcome", "HTTP", "Keys", "Added", "Removed", "Ignored", "Error"].map((c) => <th key={c} className={thClass}>{c}</th>)}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {fetches.map((f) => (
                  <tr key={f.id} data-testid="jwks-fetch-row" data-outcome={f.outcome}>
                    <td className={`${tdClass} whitespace-nowrap`}>{formatDate(f.at, true)}</td>
                    <td className={tdClass}>{f.trigger.replace("_", " ")}</td>
                    <td className={tdClass}><span className={f.outcome === "ok" ? "text-emerald-700" : "text-red-700"}>{f.outcome}</span></td>
                    <td className={tdClass}>{f.httpStatus ?? "—"}</td>
                    <td className={tdClass}>{f.keyCount ?? "—"}</td>
                    <td className={tdClass}>{kids(f.added)}</td>
                    <td className={tdClass}>{kids(f.removed)}</td>
                    <td className={tdClass}>
                      {f.ignored.length
                        ? f.ignored.map((i, n) => (
                            <span key={n} className="block text-xs">
                              <code className="font-mono">{i.kid ?? "(no kid)"}</code>: {i.reason}
                            </span>
                          ))
                        : "—"}
                    </td>
                    <td className={`${tdClass} max-w-72 break-words text-xs text-red-700`}>{f.error ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
