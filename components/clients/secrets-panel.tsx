"use client";
import { useState, useTransition } from "react";
import { Badge, Button, EmptyState, formatDate, relativeDays, tableClass, tdClass, thClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import type { ActionResult } from "@/app/_lib/actions";
import { issueSecretAction, revokeSecretAction, rotateSecretAction, type RevealedSecret } from "@/app/(console)/clients/actions";
import { SECRET_STATUS_TONES } from "./labels";
import { SecretReveal } from "./secret-reveal";

export type SecretRow = {
  id: string;
  hint: string;
  external: boolean;
  status: string;
  ageDays: number;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
};

type Props = { clientDbId: string; secrets: SecretRow[]; canManage: boolean; usesSecrets: boolean; hasValidSecret: boolean; overlapDays: number; active: boolean };

export function SecretsPanel({ clientDbId, secrets, canManage, usesSecrets, hasValidSecret, overlapDays, active }: Props) {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  const [confirming, setConfirming] = useState<SecretRow | "rotate" | null>(null);
  const [pending, start] = useTransition();

  function run(fn: () => Promise<ActionResult<unknown>>) {
    start(async () => {
      const r = await fn();
      setResult(r);
      setConfirming(null);
      if (r.ok && r.data && typeof r.data === "object" && "secret" in r.data) setRevealed(r.data as RevealedSecret);
    });
  }
  const now = new Date();

  return (
    <div className="space-y-4">
      {revealed && <SecretReveal secret={revealed.secret} expiresAt={revealed.expiresAt} overlapEndsAt={revealed.overlapEndsAt} onDone={() => setRevealed(null)} />}
      {canManage && usesSecrets && active && (
        <div className="flex flex-wrap items-center gap-2">
          {hasValidSecret ? (
            <Button type="button" onClick={() => setConfirming("rotate")} disabled={pending}>Rotate secret</Button>
          ) : (
            <Button type="button" onClick={() => run(() => issueSecretAction(clientDbId))} disabled={pending}>Issue a new secret</Button>
          )}
        </div>
      )}
      {confirming === "rotate" && (
        <div role="dialog" aria-label="Confirm rotation" className="rounded-md bg-slate-50 p-4 text-sm ring-1 ring-slate-200">
          <p>
            A new secret is created now. Every current secret keeps working for <strong>{overlapDays} days</strong>, then stops: deploy the new
            secret to the client within that window.
          </p>
          <div className="mt-3 flex gap-2">
            <Button type="button" onClick={() => run(() => rotateSecretAction(clientDbId))} disabled={pending}>Rotate now</Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>Cancel</Button>
          </div>
        </div>
      )}
      {confirming && confirming !== "rotate" && (
        <div role="dialog" aria-label="Confirm revocation" className="rounded-md bg-red-50 p-4 text-sm ring-1 ring-red-200">
          <p className="font-semibold text-red-800">Revoke secret {confirming.hint}… now?</p>
          <p className="mt-1 text-red-800">
            Last used: <strong data-testid="revoke-last-used">{confirming.lastUsedAt ? `${formatDate(confirming.lastUsedAt, true)} (${relativeDays(new Date(confirming.lastUsedAt), now)})` : "never used"}</strong>.
            Any client still presenting it fails at once. This cannot be undone.
          </p>
          <div className="mt-3 flex gap-2">
            <Button type="button" variant="danger" onClick={() => run(() => revokeSecretAction(clientDbId, (confirming as SecretRow).id))} disabled={pending}>Revoke secret</Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>Cancel</Button>
          </div>
        </div>
      )}
      <FormMessage state={result} />
      {secrets.length === 0 ? (
        <EmptyState>No secrets.</EmptyState>
      ) : (
        <table className={tableClass}>
          <thead>
            <tr>
              <th className={thClass}>Secret</th>
              <th className={thClass}>Status</th>
              <th className={thClass}>Age</th>
              <th className={thClass}>Created</th>
              <th className={thClass}>Expires</th>
              <th className={thClass}>Last used</th>
              <th className={thClass}><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {secrets.map((s) => (
              <tr key={s.id} data-testid="secret-row" data-status={s.status}>
                <td className={`${tdClass} font-mono text-xs`}>{s.external ? "external secret" : `${s.hint}…`}</td>
                <td className={tdClass}><Badge tone={SECRET_STATUS_TONES[s.status]}>{s.status === "rotating" ? "rotating out" : s.status}</Badge></td>
                <td className={tdClass}>{s.ageDays} d</td>
                <td className={tdClass}>{formatDate(s.createdAt)} <span className="text-slate-500">by {s.createdBy}</span></td>
                <td className={tdClass}>{s.expiresAt ? `${formatDate(s.expiresAt, true)} (${relativeDays(new Date(s.expiresAt), now)})` : "never"}</td>
                <td className={tdClass}>{s.lastUsedAt ? formatDate(s.lastUsedAt, true) : "never"}</td>
                <td className={`${tdClass} text-right`}>
                  {canManage && s.status !== "revoked" && (
                    <Button type="button" variant="secondary" onClick={() => setConfirming(s)} disabled={pending} aria-label={`Revoke secret ${s.hint}`}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
