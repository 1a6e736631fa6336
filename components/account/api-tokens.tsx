"use client";
import { useState, useTransition } from "react";
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionResult } from "@/app/_lib/actions";
import { createApiTokenAction, revokeApiTokenAction, type NewApiToken } from "@/app/(console)/account/actions";

export function CreateApiTokenForm() {
  const { state, pending, onSubmit, fields } = useFormAction(createApiTokenAction);
  const created = state?.ok ? (state.data as NewApiToken) : null;
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="grid grid-cols-1 items-end gap-4 md:grid-cols-3" noValidate>
        <Field label="Token name" name="name" error={fields.name} hint="What will use it, e.g. terraform-ci">
          <input id="name" name="name" className={inputClass} aria-invalid={!!fields.name || undefined} />
        </Field>
        <Field label="Expires in (days)" name="expiresInDays" error={fields.expiresInDays}>
          <input id="expiresInDays" name="expiresInDays" type="number" defaultValue={90} className={inputClass} />
        </Field>
        <div><Button type="submit" disabled={pending}>Create token</Button></div>
      </form>
      <FormMessage state={state} />
      {created && (
        <div role="region" aria-label="New API token" className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300">
          <p className="text-sm font-semibold text-amber-900">Copy this token now. It will not be shown again.</p>
          <p className="text-xs text-amber-800">It acts as you, with your role at the time of each request, until {created.expiresAt.slice(0, 10)}.</p>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="new-api-token" className="flex-1 break-all rounded bg-white px-3 py-2 font-mono text-sm ring-1 ring-amber-200">{created.token}</code>
            <Button type="button" variant="secondary" onClick={async () => { await navigator.clipboard.writeText(created.token); setCopied(true); }}>
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

export function RevokeApiTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-1 text-right">
      <Button type="button" variant="secondary" disabled={pending} aria-label={`Revoke token ${name}`} onClick={() => start(async () => setResult(await revokeApiTokenAction(tokenId)))}>
        Revoke
      </Button>
      <FormMessage state={result} />
    </div>
  );
}
