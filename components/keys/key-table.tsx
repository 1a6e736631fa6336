"use client";
import Link from "next/link";
import { Fragment, useState, useTransition } from "react";
import { Badge, Button, formatDate, tableClass, tdClass, thClass } from "@/components/ui";
import type { ActionResult } from "@/app/_lib/actions";
import { keepKeyAction } from "@/app/(console)/clients/key-actions";
import { KEY_STATUS_TONES } from "@/components/clients/labels";
import { KEY_SOURCE_LABELS } from "./labels";
import { RetireKey } from "./retire-key";
import { Thumbprint, thumbprintHref } from "./thumbprint";

/** A key as the client page shows it: dates as ISO strings, nothing beyond the public key's description. */
export type KeyRow = {
  id: string;
  kid: string;
  /** "EC P-256", "RSA 2048" */
  type: string;
  alg: string | null;
  thumbprint: string;
  source: string;
  status: string;
  createdAt: string;
  createdBy: string;
  notBefore: string | null;
  expiresAt: string | null;
  retiringUntil: string | null;
  retiredAt: string | null;
  retireReason: string | null;
  certificate: { subject: string; issuer: string; notAfter: string } | null;
  sharedWith: { id: string; clientId: string }[];
  lastUsedAt: string | null;
  /** used within keys.recentUseDays: retiring it asks for a confirmation */
  usedRecently: boolean;
};

type Props = { clientDbId: string; keys: KeyRow[]; canManage: boolean; overlapDays: number; recentUseDays: number; onResult: (result: ActionResult) => void };

function StatusCell({ k }: { k: KeyRow }) {
  const label = k.status === "retiring" && k.retiringUntil ? `retiring until ${formatDate(k.retiringUntil, true)}` : k.status;
  return (
    <>
      <Badge tone={KEY_STATUS_TONES[k.status]}>{label}</Badge>
      {k.status === "retired" && (k.retiredAt || k.retiringUntil) && <span className="mt-1 block text-xs text-slate-500">on {formatDate(k.retiredAt ?? k.retiringUntil, true)}</span>}
      {k.status === "retired" && k.retireReason && (
        <span className="mt-1 block max-w-56 break-words text-xs text-slate-600" data-testid="retire-reason">
          Reason: {k.retireReason}
        </span>
      )}
    </>
  );
}

const COLUMNS = ["kid", "Type", "Alg", "Thumbprint", "Source", "Added", "Activation", "Expiry", "Status", "Last used"];

export function KeyTable({ clientDbId, keys, canManage, overlapDays, recentUseDays, onResult }: Props) {
  const [retiring, setRetiring] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function keep(k: KeyRow) {
    start(async () => onResult(await keepKeyAction(clientDbId, k.id)));
  }

  return (
    <div className="overflow-x-auto">
      <table className={tableClass} data-testid="keys-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => <th key={c} className={thClass}>{c}</th>)}
            {canManage && <th className={thClass}><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => (
            <Fragment key={k.id}>
              <tr data-testid="key-row" data-kid={k.kid} data-status={k.status}>
                <td className={`${tdClass} max-w-48 break-all font-mono text-xs`}>
                  {k.kid}
                  {k.sharedWith.length > 0 && (
                    <Link href={thumbprintHref(k.thumbprint)} className="mt-1 block font-sans hover:no-underline" data-testid="key-shared">
                      <Badge tone="amber">also registered for {k.sharedWith.map((c) => c.clientId).join(", ")}</Badge>
                    </Link>
                  )}
                </td>
                <td className={`${tdClass} whitespace-nowrap`}>{k.type}</td>
                <td className={tdClass}>{k.alg ?? <span className="text-slate-500" title="The key names no alg: any allowed algorithm that fits the key">any fitting</span>}</td>
                <td className={`${tdClass} whitespace-nowrap`}><Thumbprint value={k.thumbprint} kid={k.kid} /></td>
                <td className={tdClass}>{KEY_SOURCE_LABELS[k.source] ?? k.source}</td>
                <td className={tdClass}>{formatDate(k.createdAt)} <span className="block text-xs text-slate-500">by {k.createdBy}</span></td>
                <td className={`${tdClass} whitespace-nowrap`}>{k.notBefore ? formatDate(k.notBefore, true) : "—"}</td>
                <td className={tdClass} data-testid="key-expiry">
                  {k.expiresAt ? formatDate(k.expiresAt) : "—"}
                  {k.certificate && (
                    <span className="mt-1 block max-w-56 break-words text-xs text-slate-500" title={`Issuer: ${k.certificate.issuer}`}>
                      certificate {k.certificate.subject}
                    </span>
                  )}
                </td>
                <td className={tdClass}><StatusCell k={k} /></td>
                <td className={`${tdClass} whitespace-nowrap`}>{k.lastUsedAt ? formatDate(k.lastUsedAt, true) : "never"}</td>
                {canManage && (
                  <td className={`${tdClass} whitespace-nowrap text-right`}>
                    {k.status === "retiring" && (
                      <Button type="button" variant="secondary" className="mr-2" onClick={() => keep(k)} disabled={pending} aria-label={`Keep key ${k.kid}`}>
                        Keep
                      </Button>
                    )}
                    {k.status !== "retired" && (
                      <Button type="button" variant="secondary" onClick={() => setRetiring(retiring === k.id ? null : k.id)} aria-expanded={retiring === k.id} aria-label={`Retire key ${k.kid}…`}>
                        Retire…
                      </Button>
                    )}
                  </td>
                )}
              </tr>
              {retiring === k.id && k.status !== "retired" && (
                <tr>
                  <td colSpan={COLUMNS.length + 1} className="px-3 pb-3">
                    <RetireKey
                      clientDbId={clientDbId}
                      keyRow={k}
                      overlapDays={overlapDays}
                      recentUseDays={recentUseDays}
                      onCancel={() => setRetiring(null)}
                      onDone={(result) => {
                        setRetiring(null);
                        onResult(result);
                      }}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
