"use client";
import { useState, useTransition } from "react";
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionResult } from "@/app/_lib/actions";
import { createTeamAction, deleteTeamAction, updateTeamAction } from "@/app/(console)/users/actions";

function TeamFields({ fields, values }: { fields: Record<string, string>; values?: { name: string; description: string } }) {
  return (
    <>
      <Field label="Team name" name="name" error={fields.name}>
        <input id="name" name="name" defaultValue={values?.name} className={inputClass} aria-invalid={!!fields.name || undefined} />
      </Field>
      <Field label="Description" name="description" error={fields.description}>
        <input id="description" name="description" defaultValue={values?.description} className={inputClass} />
      </Field>
    </>
  );
}

export function CreateTeamForm() {
  const { state, pending, onSubmit, fields } = useFormAction(createTeamAction);
  return (
    <form onSubmit={onSubmit} className="grid grid-cols-1 items-end gap-4 md:grid-cols-3" noValidate>
      <TeamFields fields={fields} />
      <div><Button type="submit" disabled={pending}>Create team</Button></div>
      <div className="md:col-span-3"><FormMessage state={state} /></div>
    </form>
  );
}

export function TeamRowActions({ team }: { team: { id: string; name: string; description: string; clients: number } }) {
  const [editing, setEditing] = useState(false);
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [pending, start] = useTransition();
  const { state, onSubmit, fields } = useFormAction(updateTeamAction.bind(null, team.id));
  if (editing) {
    return (
      <form onSubmit={onSubmit} className="grid gap-2" noValidate>
        <TeamFields fields={fields} values={team} />
        <div className="flex gap-2">
          <Button type="submit">Save</Button>
          <Button type="button" variant="secondary" onClick={() => setEditing(false)}>Close</Button>
        </div>
        <FormMessage state={state} />
      </form>
    );
  }
  return (
    <div className="flex flex-wrap justify-end gap-2">
      <Button type="button" variant="secondary" onClick={() => setEditing(true)}>Edit</Button>
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        title={team.clients > 0 ? "Move its clients to another team first" : undefined}
        onClick={() => start(async () => setResult(await deleteTeamAction(team.id)))}
      >
        Delete
      </Button>
      <div className="w-full"><FormMessage state={result} /></div>
    </div>
  );
}
