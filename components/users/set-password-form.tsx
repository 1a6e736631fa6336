"use client";
import Link from "next/link";
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionResult } from "@/app/_lib/actions";

export function SetPasswordForm({ action }: { action: (prev: unknown, formData: FormData) => Promise<ActionResult<unknown>> }) {
  const { state, pending, onSubmit, fields } = useFormAction(action);
  if (state?.ok) {
    return (
      <div className="space-y-3">
        <FormMessage state={state} />
        <Link href="/login" className="text-sm font-medium">Sign in →</Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <Field label="New password" name="password" error={fields.password} hint="At least 12 characters. A passphrase works well.">
        <input id="password" name="password" type="password" autoComplete="new-password" className={inputClass} />
      </Field>
      <Field label="Repeat it" name="confirm" error={fields.confirm}>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" className={inputClass} />
      </Field>
      <Button type="submit" disabled={pending} className="w-full justify-center">Set password</Button>
      <FormMessage state={state} />
    </form>
  );
}
