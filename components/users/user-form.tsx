"use client";
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { ROLES, ROLE_LABELS } from "@/lib/auth/roles";
import type { ActionResult } from "@/app/_lib/actions";
import type { PasswordLink } from "@/app/(console)/users/actions";
import { PasswordLinkReveal } from "./password-link";

type Props = {
  mode: "create" | "edit";
  teams: { id: string; name: string }[];
  values?: { name: string; role: string; teamIds: string[] };
  action: (prev: unknown, formData: FormData) => Promise<ActionResult<unknown>>;
};

export function UserForm({ mode, teams, values, action }: Props) {
  const { state, pending, onSubmit, fields } = useFormAction(action);
  const link = mode === "create" && state?.ok ? (state.data as PasswordLink) : null;
  return (
    <form onSubmit={onSubmit} className="grid grid-cols-1 gap-4 md:grid-cols-2" noValidate key={link ? link.path : "form"}>
      {mode === "create" && (
        <Field label="Email" name="email" error={fields.email}>
          <input id="email" name="email" type="email" className={inputClass} aria-invalid={!!fields.email || undefined} />
        </Field>
      )}
      <Field label="Name" name="name" error={fields.name}>
        <input id="name" name="name" defaultValue={values?.name} className={inputClass} aria-invalid={!!fields.name || undefined} />
      </Field>
      <Field label="Role" name="role" error={fields.role} hint="Admin: everything. Operator: changes its teams' clients. Auditor: reads and exports, changes nothing.">
        <select id="role" name="role" defaultValue={values?.role ?? "operator"} className={inputClass}>
          {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
        </select>
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-800">Teams</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {teams.map((t) => (
            <label key={t.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="teamIds" value={t.id} defaultChecked={values?.teamIds.includes(t.id)} />
              {t.name}
            </label>
          ))}
        </div>
        {fields.teamIds && <p className="text-xs font-medium text-red-700">{fields.teamIds}</p>}
      </fieldset>
      <div className="md:col-span-2 space-y-3">
        <Button type="submit" disabled={pending}>{mode === "create" ? "Create user" : "Save changes"}</Button>
        <FormMessage state={state} />
        {link && <PasswordLinkReveal path={link.path} expiresAt={link.expiresAt} />}
      </div>
    </form>
  );
}
