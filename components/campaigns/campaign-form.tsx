"use client";
// A new campaign over the clients the list's filters show: the goal, the deadline and the owner, with
// the cohort counted live as the goal changes (a rotation takes only secrets older than its age).
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { createCampaignAction, previewCohortAction } from "@/app/(console)/campaigns/actions";
import type { CohortPreview } from "@/lib/campaigns/commands";

type Props = {
  filters: Record<string, string>;
  filterWords: string[];
  owners: { id: string; label: string }[];
  currentUserId: string;
  defaultDeadline: string;
  initialPreview: CohortPreview;
};

export function CampaignForm({ filters, filterWords, owners, currentUserId, defaultDeadline, initialPreview }: Props) {
  const router = useRouter();
  const { state, pending, onSubmit, fields } = useFormAction(createCampaignAction.bind(null, filters));
  const [kind, setKind] = useState("migration");
  const [days, setDays] = useState("90");
  const [preview, setPreview] = useState<CohortPreview | null>(initialPreview);

  useEffect(() => {
    if (state?.ok && state.data) router.push(`/campaigns/${state.data.id}`);
  }, [state, router]);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(async () => {
      const result = await previewCohortAction(filters, kind, days);
      if (current) setPreview(result.ok && result.data ? result.data : null);
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [filters, kind, days]);

  return (
    <form onSubmit={onSubmit} className="space-y-5" aria-label="New campaign" noValidate>
      <div className="rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200" data-testid="cohort-filters">
        <p className="font-medium text-slate-800">Cohort: the clients the list shows with {filterWords.length ? "these filters" : "no filter"}</p>
        {filterWords.length > 0 && <p className="mt-1 text-slate-600">{filterWords.join(" · ")}</p>}
        <p className="mt-2 text-slate-800" aria-live="polite" data-testid="cohort-preview">
          {preview === null
            ? "Counting…"
            : preview.cohort === 0
              ? `No client would join: ${preview.matching === 0 ? "no client matches these filters" : kind === "migration" ? "every matching client uses private_key_jwt already" : "no matching client has a valid secret that old"}.`
              : `${preview.cohort.toLocaleString("en")} client${preview.cohort === 1 ? "" : "s"} would join${preview.leftOut ? ` (${preview.leftOut.toLocaleString("en")} of the ${preview.matching.toLocaleString("en")} listed left out: ${kind === "migration" ? "already on private_key_jwt" : "no valid secret that old"})` : ""}. The cohort is frozen when the campaign is created; clients can be added or removed later.`}
        </p>
        {preview?.tooLarge && <p className="mt-1 font-medium text-red-700">That is more than one campaign takes: narrow the filters.</p>}
      </div>
      <Field label="Name" name="name" error={fields.name}>
        <input id="name" name="name" required maxLength={120} className={inputClass} aria-invalid={!!fields.name} />
      </Field>
      <Field label="Description" name="description" error={fields.description} hint="Why this drive, and what teams should do.">
        <textarea id="description" name="description" rows={3} maxLength={2000} className={inputClass} />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Goal</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="kind" value="migration" checked={kind === "migration"} onChange={() => setKind("migration")} /> Move the cohort to private_key_jwt
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="kind" value="rotation" checked={kind === "rotation"} onChange={() => setKind("rotation")} /> Rotate every secret older than a number of days
        </label>
        {fields.kind && <p className="text-xs font-medium text-red-700">{fields.kind}</p>}
      </fieldset>
      {kind === "rotation" && (
        <Field label="Rotate secrets older than (days)" name="rotateOlderThanDays" error={fields.rotateOlderThanDays}>
          <input id="rotateOlderThanDays" name="rotateOlderThanDays" type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} className={inputClass} aria-invalid={!!fields.rotateOlderThanDays} />
        </Field>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Deadline" name="deadline" error={fields.deadline} hint="The end of this day, UTC.">
          <input id="deadline" name="deadline" type="date" defaultValue={defaultDeadline} className={inputClass} aria-invalid={!!fields.deadline} />
        </Field>
        <Field label="Owner" name="ownerId" error={fields.ownerId} hint="Answerable for the campaign; the owner can change it.">
          <select id="ownerId" name="ownerId" defaultValue={currentUserId} className={inputClass}>
            {owners.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
          </select>
        </Field>
      </div>
      {fields.cohort && <p className="text-sm font-medium text-red-700">{fields.cohort}</p>}
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>{pending ? "Creating…" : "Create campaign"}</Button>
    </form>
  );
}
