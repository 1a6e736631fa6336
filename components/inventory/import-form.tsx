"use client";
import { useState, type FormEvent } from "react";
import { Badge, Button, Field, inputClass, tableClass, tdClass, thClass, type Tone } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { dryRunImportAction } from "@/app/(console)/clients/import/actions";
import type { ImportResult } from "@/app/(console)/clients/import/upload";
import type { ProgressEvent } from "@/app/(console)/clients/import/run/events";
import { useImportRun } from "./use-import-run";
import { ENVIRONMENTS } from "@/lib/clients/schema";

const ACTION_TONES: Record<string, Tone> = { create: "green", update: "blue", skip: "gray", invalid: "red" };

export function ImportForm({ teams }: { teams: { id: string; name: string }[] }) {
  const dryRun = useFormAction(dryRunImportAction);
  const { run, running, start, clear } = useImportRun();
  const [format, setFormat] = useState<"csv" | "keycloak">("csv");
  // the import's outcome replaces the dry run's; a new dry run starts over
  const state = run ? run.outcome : dryRun.state;
  const busy = dryRun.pending || running;
  const fields = state && !state.ok ? (state.fields ?? {}) : {};
  const result = state?.ok ? (state.data as ImportResult) : null;
  const totals = result?.plan.totals;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    if (submitter?.getAttribute("value") !== "apply") {
      clear();
      return dryRun.onSubmit(event);
    }
    // the real run streams its progress from a route handler instead of answering once, at the end
    event.preventDefault();
    void start(new FormData(event.currentTarget, submitter));
  }
  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className="grid max-w-3xl grid-cols-1 gap-4 md:grid-cols-2" noValidate>
        <Field label="Format" name="format">
          <select id="format" name="format" value={format} onChange={(e) => setFormat(e.target.value as "csv" | "keycloak")} className={inputClass}>
            <option value="csv">CSV (documented columns)</option>
            <option value="keycloak">Keycloak realm export (JSON)</option>
          </select>
        </Field>
        <Field label="File" name="file" error={fields.file}>
          <input id="file" name="file" type="file" accept={format === "csv" ? ".csv,text/csv" : ".json,application/json"} className="block w-full text-sm" />
        </Field>
        {format === "keycloak" && (
          <>
            <Field label="Environment of these clients" name="environment" error={fields.environment}>
              <select id="environment" name="environment" className={inputClass} defaultValue="">
                <option value="" disabled>Choose…</option>
                {ENVIRONMENTS.map((e) => <option key={e} value={e}>{e}</option>)}
              </select>
            </Field>
            <Field label="Owner team" name="team" error={fields.team}>
              <select id="team" name="team" className={inputClass} defaultValue="">
                <option value="" disabled>Choose…</option>
                {teams.map((t) => <option key={t.id} value={t.name}>{t.name}</option>)}
              </select>
            </Field>
            <Field label="Contact email" name="contactEmail" error={fields.contactEmail}>
              <input id="contactEmail" name="contactEmail" type="email" className={inputClass} />
            </Field>
          </>
        )}
        <div className="flex gap-2 md:col-span-2">
          <Button type="submit" name="intent" value="dry-run" variant="secondary" disabled={busy}>Dry run</Button>
          <Button type="submit" name="intent" value="apply" disabled={busy || !totals || totals.invalid > 0 || !!result?.applied}>Import</Button>
          {dryRun.pending && <span className="self-center text-sm text-slate-600">Working…</span>}
        </div>
        {running && <ImportProgress progress={run?.progress ?? null} />}
        <p className="text-xs text-slate-500 md:col-span-2">
          Run a dry run first: it lists what would be created, updated or skipped, and why. The import itself writes every row or none.
        </p>
      </form>
      <FormMessage state={state} />
      {result && totals && (
        <div>
          <p className="mb-3 flex flex-wrap gap-2 text-sm" data-testid="import-totals">
            <Badge tone="green">{totals.create} to create</Badge>
            <Badge tone="blue">{totals.update} to update</Badge>
            <Badge>{totals.skip} skipped</Badge>
            <Badge tone={totals.invalid ? "red" : "gray"}>{totals.invalid} invalid</Badge>
          </p>
          <table className={tableClass}>
            <thead>
              <tr><th className={thClass}>Row</th><th className={thClass}>client_id</th><th className={thClass}>Action</th><th className={thClass}>Why / changes</th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.plan.entries.map((e) => (
                <tr key={e.ref} data-testid="import-row" data-action={e.action}>
                  <td className={`${tdClass} text-slate-500`}>{e.ref}</td>
                  <td className={`${tdClass} font-mono text-xs`}>{e.clientId || "—"}</td>
                  <td className={tdClass}><Badge tone={ACTION_TONES[e.action]}>{e.action}</Badge></td>
                  <td className={`${tdClass} text-xs`}>
                    {e.action === "update" ? `changes ${Object.keys(e.changed ?? {}).join(", ")}` : e.reasons.join("; ")}
                    {e.notes.length > 0 && <span className="block text-slate-500">{e.notes.join("; ")}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.hiddenRows > 0 && <p className="mt-2 text-sm text-slate-600">…and {result.hiddenRows} more rows (counted in the totals).</p>}
        </div>
      )}
    </div>
  );
}

function ImportProgress({ progress }: { progress: ProgressEvent | null }) {
  return (
    <div className="space-y-1 md:col-span-2" data-testid="import-progress">
      {/* without a value the bar is indeterminate: the file is still being checked */}
      <progress aria-label="Import progress" value={progress?.done} max={progress?.total} className="h-2 w-full max-w-md accent-brand-600" />
      <p aria-live="polite" className="text-sm text-slate-600">
        {progress ? `Imported ${progress.done} of ${progress.total} rows` : "Checking the file…"}
      </p>
    </div>
  );
}
