"use client";
// Changing a campaign (owner, creator, administrators): its name, deadline and owner; clients added by
// client_id; closing it. Removing one client sits on its row (RemoveClient).
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { addClientsAction, closeCampaignAction, removeClientAction, updateCampaignAction } from "@/app/(console)/campaigns/actions";

type Props = {
  campaignId: string;
  name: string;
  description: string;
  deadline: string;
  ownerId: string;
  owners: { id: string; label: string }[];
};

export function EditCampaign({ campaignId, name, description, deadline, ownerId, owners }: Props) {
  const { state, pending, onSubmit, fields } = useFormAction(updateCampaignAction.bind(null, campaignId));
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Edit campaign" noValidate>
      <Field label="Name" name="edit-name" error={fields.name}>
        <input id="edit-name" name="name" defaultValue={name} maxLength={120} className={inputClass} aria-invalid={!!fields.name} />
      </Field>
      <Field label="Description" name="edit-description" error={fields.description}>
        <textarea id="edit-description" name="description" defaultValue={description} rows={2} maxLength={2000} className={inputClass} />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Deadline" name="edit-deadline" error={fields.deadline} hint="The end of this day, UTC.">
          <input id="edit-deadline" name="deadline" type="date" defaultValue={deadline} className={inputClass} aria-invalid={!!fields.deadline} />
        </Field>
        <Field label="Owner" name="edit-owner" error={fields.ownerId}>
          <select id="edit-owner" name="ownerId" defaultValue={ownerId} className={inputClass}>
            {owners.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
          </select>
        </Field>
      </div>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>Save changes</Button>
    </form>
  );
}

export function AddClients({ campaignId }: { campaignId: string }) {
  const { state, pending, onSubmit, fields } = useFormAction(addClientsAction.bind(null, campaignId));
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Add clients" noValidate>
      <Field label="Add clients (client_ids, one per line)" name="clientIds" error={fields.clientIds} hint="Unknown client_ids refuse the whole list: nothing is added.">
        <textarea id="clientIds" name="clientIds" rows={3} className={`${inputClass} font-mono`} aria-invalid={!!fields.clientIds} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>Add to the campaign</Button>
    </form>
  );
}

export function CloseCampaign({ campaignId, outstanding }: { campaignId: string; outstanding: number }) {
  const { state, pending, onSubmit, fields } = useFormAction(closeCampaignAction.bind(null, campaignId));
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Close campaign" noValidate>
      <p className="text-sm text-slate-600">
        {outstanding === 0
          ? "Every client is done. Closing keeps the figures and the report, and stops further changes."
          : `${outstanding.toLocaleString("en")} client${outstanding === 1 ? " is" : "s are"} not done. Closing stops the campaign as it stands; the report keeps the figures.`}
      </p>
      <Field label="Reason (kept in the audit trail)" name="close-reason" error={fields.reason}>
        <input id="close-reason" name="reason" maxLength={500} className={inputClass} />
      </Field>
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending}>Close the campaign</Button>
    </form>
  );
}

export function RemoveClient({ campaignId, clientId }: { campaignId: string; clientId: string }) {
  const { state, pending, onSubmit } = useFormAction(removeClientAction.bind(null, campaignId, clientId));
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-slate-600">Remove</summary>
      <form onSubmit={onSubmit} className="mt-2 space-y-2" aria-label={`Remove ${clientId} from the campaign`} noValidate>
        <label className="block text-xs text-slate-700">
          Reason
          <input name="reason" maxLength={500} className={inputClass} />
        </label>
        <FormMessage state={state} />
        <Button type="submit" variant="secondary" disabled={pending}>Remove from the campaign</Button>
      </form>
    </details>
  );
}
