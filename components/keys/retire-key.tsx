"use client";
import { useState } from "react";
import { Button, Field, formatDate, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionResult } from "@/app/_lib/actions";
import { retireKeyAction } from "@/app/(console)/clients/key-actions";
import { timeFromNow, toLocalInput } from "./labels";
import { LocalDateTimeInput } from "./local-datetime";
import type { KeyRow } from "./key-table";

type Props = { clientDbId: string; keyRow: KeyRow; overlapDays: number; recentUseDays: number; onDone: (result: ActionResult) => void; onCancel: () => void };

/**
 * Retiring a key, after seeing its last use: on a date (it keeps working until then) or at once for a
 * compromise, with a reason. A key the client signed with recently needs an explicit confirmation;
 * the server asks for it again if the key was used since the page loaded.
 */
export function RetireKey({ clientDbId, keyRow, overlapDays, recentUseDays, onDone, onCancel }: Props) {
  // success is reported from the action itself, not an effect: a key retired now leaves the table's
  // "retiring" view in the same render that brings the result, so this component may never see it
  const { state, pending, onSubmit, fields } = useFormAction(async (prev: unknown, formData: FormData) => {
    const result = await retireKeyAction(clientDbId, keyRow.id, prev, formData);
    if (result.ok) onDone(result);
    return result;
  });
  // a jwks_uri key is retired by removing it from the document; here only a compromise retires it
  const fromUri = keyRow.source === "jwks_uri";
  const [mode, setMode] = useState<"scheduled" | "now">(fromUri ? "now" : "scheduled");
  const [defaultUntil] = useState(() => toLocalInput(new Date(Date.now() + overlapDays * 86_400_000)));
  const askConfirmation = keyRow.usedRecently || !!fields.confirm_recent_use;
  const err = (name: string) => ({ "aria-invalid": fields[name] ? true : undefined, "aria-describedby": fields[name] ? `${name}-error` : undefined });

  return (
    <div role="dialog" aria-label={`Retire key ${keyRow.kid}`} className="space-y-3 rounded-md bg-slate-50 p-4 text-sm ring-1 ring-slate-200">
      <p className="font-semibold text-slate-800">
        Retire key <code className="break-all font-mono text-xs">{keyRow.kid}</code>
      </p>
      <p data-testid="retire-last-used">
        {keyRow.lastUsedAt ? (
          <>
            Last used <strong>{timeFromNow(keyRow.lastUsedAt)}</strong> ({formatDate(keyRow.lastUsedAt, true)}).
          </>
        ) : (
          <strong>Never used.</strong>
        )}
      </p>
      <form onSubmit={onSubmit} noValidate className="space-y-3">
        <fieldset className="space-y-1.5">
          <legend className="text-sm font-medium text-slate-800">When</legend>
          {!fromUri && (
            <label className="flex items-center gap-2">
              <input type="radio" name="mode" value="scheduled" checked={mode === "scheduled"} onChange={() => setMode("scheduled")} />
              Retire on a date (the key keeps working until then)
            </label>
          )}
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" value="now" checked={mode === "now"} onChange={() => setMode("now")} />
            Retire now (compromise)
          </label>
          {fromUri && <p className="text-xs text-slate-500">This key comes from the client&apos;s jwks_uri: remove it from that document to retire it normally. Retire it here only if its private key is compromised.</p>}
        </fieldset>
        {mode === "scheduled" ? (
          <Field label="Retire on" name="until" error={fields.until} hint={`Default: ${overlapDays} days from now, the rotation overlap. Your local time.`}>
            <LocalDateTimeInput id="until" name="until" defaultValue={defaultUntil} invalid={!!fields.until} describedBy={fields.until ? "until-error" : undefined} />
          </Field>
        ) : (
          <Field label="Reason" name="reason" error={fields.reason} hint="Recorded with the key and in the audit trail, e.g. the private key was exposed in a build log.">
            <textarea id="reason" name="reason" rows={2} required maxLength={500} className={inputClass} {...err("reason")} />
          </Field>
        )}
        {askConfirmation && (
          <div className="space-y-1">
            <label className="flex items-start gap-2 rounded-md bg-amber-50 p-2 text-amber-900 ring-1 ring-amber-200">
              <input type="checkbox" name="confirm_recent_use" required className="mt-0.5" {...err("confirm_recent_use")} />
              <span>
                I have seen that this key was used on {keyRow.lastUsedAt ? formatDate(keyRow.lastUsedAt, true) : "a recent date"} (within {recentUseDays} days) and still want to retire it
              </span>
            </label>
            {fields.confirm_recent_use && (
              <p id="confirm_recent_use-error" className="text-xs font-medium text-red-700">
                {fields.confirm_recent_use}
              </p>
            )}
          </div>
        )}
        {mode === "now" && <p className="text-red-800">Any assertion signed with this key fails at once. This cannot be undone.</p>}
        <div className="flex gap-2">
          <Button type="submit" variant={mode === "now" ? "danger" : "primary"} disabled={pending}>
            {pending ? "Retiring…" : mode === "now" ? "Retire now" : "Retire on this date"}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>Cancel</Button>
        </div>
        <FormMessage state={state?.ok ? null : state} />
      </form>
    </div>
  );
}
