"use client";
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { updateSettingsAction } from "@/app/(console)/users/actions";

type Item = { key: string; label: string; help: string; value: number | string; options?: { value: string; label: string }[]; kind?: "text" };

export function SettingsForm({ items, editable }: { items: Item[]; editable: boolean }) {
  const { state, pending, onSubmit, fields } = useFormAction(updateSettingsAction);
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-5" noValidate>
      {items.map((item) => (
        <Field key={item.key} label={item.label} name={item.key} error={fields[item.key]} hint={item.help}>
          {item.options ? (
            <select id={item.key} name={item.key} defaultValue={String(item.value)} disabled={!editable} className={`${inputClass} max-w-xs`} aria-invalid={!!fields[item.key] || undefined}>
              {item.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          ) : (
            <input
              id={item.key}
              name={item.key}
              type={item.kind === "text" ? "text" : "number"}
              defaultValue={item.value}
              disabled={!editable}
              className={`${inputClass} ${item.kind === "text" ? "max-w-md" : "max-w-40"}`}
              aria-invalid={!!fields[item.key] || undefined}
            />
          )}
        </Field>
      ))}
      {editable && <div><Button type="submit" disabled={pending}>Save settings</Button></div>}
      <FormMessage state={state} />
    </form>
  );
}
