"use client";
// The organisation policy: what every client must meet, per environment, with a preview of the effect
// of a change before it is saved.
import { Button, Field, Notice, inputClass, tableClass, tdClass, thClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { policyAction, type PolicyResult } from "@/app/(console)/policy/actions";

export type PolicyItem = { key: string; label: string; help: string; value: string | string[]; options?: { value: string; label: string }[]; kind?: string };

type Props = { items: Record<string, PolicyItem>; environments: readonly string[]; editable: boolean };

export function PolicyForm({ items, environments, editable }: Props) {
  const { state, pending, onSubmit, fields } = useFormAction(policyAction);
  const result = state?.ok ? (state.data as PolicyResult) : null;
  const invalid = (key: string) => (fields[key] ? { "aria-invalid": true as const, "aria-describedby": `${key}-error` } : {});

  const scalar = (key: string, width = "max-w-40") => {
    const item = items[key];
    return (
      <Field label={item.label} name={key} error={fields[key]} hint={item.help}>
        {item.options ? (
          <select id={key} name={key} defaultValue={String(item.value)} disabled={!editable} className={`${inputClass} max-w-xs`} {...invalid(key)}>
            {item.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        ) : (
          <input id={key} name={key} type="number" defaultValue={String(item.value)} disabled={!editable} className={`${inputClass} ${width}`} {...invalid(key)} />
        )}
      </Field>
    );
  };

  const algorithms = items["policy.allowedAlgorithms"];
  return (
    <form onSubmit={onSubmit} className="space-y-8" noValidate aria-label="Organisation policy">
      <section className="space-y-3">
        <h2 className="text-base font-semibold text-slate-900">Secrets and required method, per environment</h2>
        <div className="overflow-x-auto">
          <table className={tableClass}>
            <thead>
              <tr>
                <th className={thClass}>Environment</th>
                <th className={thClass}>Maximum secret age (days, 0: none)</th>
                <th className={thClass}>Required method</th>
                <th className={thClass}>From (UTC)</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {environments.map((env) => {
                const [age, method, from] = [`policy.maxSecretAgeDays.${env}`, `policy.requiredMethod.${env}`, `policy.requiredMethodFrom.${env}`];
                return (
                  <tr key={env} data-testid="policy-environment" data-environment={env}>
                    <td className={`${tdClass} font-medium`}>{env}</td>
                    <td className={tdClass}>
                      <input aria-label={items[age].label} name={age} type="number" min={0} defaultValue={String(items[age].value)} disabled={!editable} className={`${inputClass} max-w-28`} {...invalid(age)} />
                      {fields[age] && <p id={`${age}-error`} className="mt-1 text-xs font-medium text-red-700">{fields[age]}</p>}
                    </td>
                    <td className={tdClass}>
                      <select aria-label={items[method].label} name={method} defaultValue={String(items[method].value)} disabled={!editable} className={`${inputClass} max-w-48`} {...invalid(method)}>
                        {items[method].options!.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                      </select>
                    </td>
                    <td className={tdClass}>
                      <input aria-label={items[from].label} name={from} type="date" defaultValue={String(items[from].value)} disabled={!editable} className={`${inputClass} max-w-44`} {...invalid(from)} />
                      {fields[from] && <p id={`${from}-error`} className="mt-1 text-xs font-medium text-red-700">{fields[from]}</p>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="text-xs text-slate-500">
          A required method applies from its date: no new client of that environment can then be created with a secret, and every one still on a
          secret shows as a breach until migrated. Existing secret clients can still rotate their secret, so nothing breaks.
        </p>
        <div className="grid gap-5 md:grid-cols-2">
          {scalar("secret.rotationOverlapDays")}
          {scalar("keys.rotationOverlapDays")}
        </div>
      </section>

      <section className="space-y-3">
        <h2 className="text-base font-semibold text-slate-900">Client assertions</h2>
        <div className="grid gap-5 md:grid-cols-2">
          {scalar("assertion.maxLifetimeSeconds")}
          {scalar("assertion.clockSkewSeconds")}
        </div>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-800">{algorithms.label}</legend>
          <div className="flex flex-wrap gap-x-5 gap-y-1">
            {algorithms.options!.map((o) => (
              <label key={o.value} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="policy.allowedAlgorithms" value={o.value} defaultChecked={(algorithms.value as string[]).includes(o.value)} disabled={!editable} />
                <span className="font-mono text-xs">{o.label}</span>
              </label>
            ))}
          </div>
          <p className="text-xs text-slate-500">{algorithms.help}</p>
          {fields["policy.allowedAlgorithms"] && <p className="text-xs font-medium text-red-700">{fields["policy.allowedAlgorithms"]}</p>}
        </fieldset>
      </section>

      <section className="space-y-3">
        <h2 className="text-base font-semibold text-slate-900">Keys and new clients</h2>
        <div className="grid gap-5 md:grid-cols-2">
          {scalar("policy.minRsaBits")}
          {scalar("policy.minEcBits")}
          {scalar("policy.defaultAudienceCompat")}
        </div>
      </section>

      {editable && (
        <div className="flex flex-wrap gap-2">
          <Button type="submit" name="intent" value="preview" variant="secondary" disabled={pending}>Preview the effect</Button>
          <Button type="submit" name="intent" value="save" disabled={pending}>Save policy</Button>
        </div>
      )}
      <FormMessage state={state} />
      {result && result.effects.length > 0 && (
        <div data-testid="policy-effects">
          <Notice tone={result.saved ? "green" : "amber"} title={result.saved ? "What this change did" : "If you save these values"}>
            <ul className="list-disc space-y-1 pl-5">
              {result.effects.map((e) => <li key={e.setting} data-setting={e.setting}>{e.message}</li>)}
            </ul>
          </Notice>
        </div>
      )}
    </form>
  );
}
