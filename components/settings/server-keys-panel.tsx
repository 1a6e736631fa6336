"use client";
import { useState, useTransition } from "react";
import { Badge, Button, formatDate, tableClass, tdClass, thClass, type Tone } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import type { ActionResult } from "@/app/_lib/actions";
import { rotateServerKeysAction } from "@/app/(console)/settings/actions";

export type ServerKeyRow = {
  id: string;
  kid: string;
  alg: string;
  status: string;
  createdAt: string;
  activatedAt: string | null;
  publishUntil: string | null;
  retiredAt: string | null;
};

const STATUS_TONES: Record<string, Tone> = { next: "blue", current: "green", previous: "amber", retired: "gray" };
// the key that signs first, then the one that will, then those on their way out
const STATUS_ORDER: Record<string, number> = { current: 0, next: 1, previous: 2, retired: 3 };

function published(key: ServerKeyRow, now: Date): string {
  if (key.status === "current") return "published, signs new tokens";
  if (key.status === "next") return "published, not signing yet";
  if (key.status === "previous" && key.publishUntil && new Date(key.publishUntil) > now) return `until ${formatDate(key.publishUntil, true)}`;
  if (key.publishUntil) return `no longer (since ${formatDate(key.publishUntil, true)})`;
  return "no longer";
}

type Props = { keys: ServerKeyRow[]; canRotate: boolean; tokenLifetimeSeconds: number; clockSkewSeconds: number };

export function ServerKeysPanel({ keys, canRotate, tokenLifetimeSeconds, clockSkewSeconds }: Props) {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, start] = useTransition();
  const sorted = [...keys].sort((a, b) => (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9) || b.createdAt.localeCompare(a.createdAt));
  const current = keys.find((k) => k.status === "current");
  const next = keys.find((k) => k.status === "next");
  const now = new Date();

  function rotate() {
    start(async () => {
      setResult(await rotateServerKeysAction());
      setConfirming(false);
    });
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Keyshift signs access tokens with the current key. The next key is already published, so resource servers that cache the JWKS know it before it
        signs anything.
      </p>
      {canRotate && (
        <div>
          <Button type="button" onClick={() => setConfirming(true)} disabled={pending || confirming}>Rotate signing keys</Button>
        </div>
      )}
      {confirming && (
        <div role="dialog" aria-label="Confirm signing key rotation" className="rounded-md bg-slate-50 p-4 text-sm ring-1 ring-slate-200">
          <p className="font-semibold">Rotate the signing keys now?</p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            <li>
              The next key{next && <> (<code className="break-all">{next.kid}</code>)</>} becomes current and signs every new access token, on every instance
              within a few seconds.
            </li>
            <li>
              The current key{current && <> (<code className="break-all">{current.kid}</code>)</>} becomes previous: it stays published until the tokens it
              signed have expired ({tokenLifetimeSeconds} s token lifetime plus {clockSkewSeconds} s clock skew), so those tokens keep verifying; then it is no
              longer published.
            </li>
            <li>A new next key is created and published at once.</li>
          </ul>
          <p className="mt-2">Nothing stops working. The rotation is recorded in the audit trail.</p>
          <div className="mt-3 flex gap-2">
            <Button type="button" onClick={rotate} disabled={pending}>{pending ? "Rotating…" : "Rotate now"}</Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>Cancel</Button>
          </div>
        </div>
      )}
      <FormMessage state={result} />
      <div className="overflow-x-auto">
        <table className={tableClass} data-testid="server-keys">
          <thead>
            <tr>
              <th className={thClass}>kid</th>
              <th className={thClass}>Alg</th>
              <th className={thClass}>Status</th>
              <th className={thClass}>Created</th>
              <th className={thClass}>Activated</th>
              <th className={thClass}>Published</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sorted.map((k) => (
              <tr key={k.id} data-testid="server-key-row" data-status={k.status} data-kid={k.kid}>
                <td className={`${tdClass} break-all font-mono text-xs`}>{k.kid}</td>
                <td className={tdClass}>{k.alg}</td>
                <td className={tdClass}><Badge tone={STATUS_TONES[k.status]}>{k.status}</Badge></td>
                <td className={`${tdClass} whitespace-nowrap`}>{formatDate(k.createdAt, true)}</td>
                <td className={`${tdClass} whitespace-nowrap`}>{formatDate(k.activatedAt, true)}</td>
                <td className={tdClass}>{published(k, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
