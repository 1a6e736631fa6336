"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import type { ActionResult } from "@/app/_lib/actions";
import { deleteClientAction, setClientEnabledAction } from "@/app/(console)/clients/actions";

export function ClientStatusActions({ clientDbId, clientId, status, validSecrets }: { clientDbId: string; clientId: string; status: string; validSecrets: number }) {
  const router = useRouter();
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [typed, setTyped] = useState("");
  const [pending, start] = useTransition();

  function toggle() {
    start(async () => setResult(await setClientEnabledAction(clientDbId, status !== "active")));
  }
  function remove() {
    start(async () => {
      const r = await deleteClientAction(clientDbId, typed);
      setResult(r);
      if (r.ok) router.push("/clients");
    });
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={toggle} disabled={pending}>
          {status === "active" ? "Disable client" : "Enable client"}
        </Button>
        <Button type="button" variant="danger" onClick={() => setDeleting(true)} disabled={pending}>Delete client</Button>
      </div>
      {deleting && (
        <div role="dialog" aria-label="Confirm deletion" className="space-y-2 rounded-md bg-red-50 p-4 text-sm ring-1 ring-red-200">
          <p className="font-semibold text-red-800">Delete this client?</p>
          <p className="text-red-800">
            Its {validSecrets} valid secret{validSecrets === 1 ? "" : "s"} will be revoked at once and it will stop authenticating. The audit trail keeps its history,
            and the client_id is never reused. Type <code className="font-semibold">{clientId}</code> to confirm.
          </p>
          <input aria-label="Type the client_id to confirm" value={typed} onChange={(e) => setTyped(e.target.value)} className={`${inputClass} font-mono`} autoComplete="off" />
          <div className="flex gap-2">
            <Button type="button" variant="danger" onClick={remove} disabled={pending || typed.trim() !== clientId}>Delete permanently</Button>
            <Button type="button" variant="secondary" onClick={() => setDeleting(false)}>Cancel</Button>
          </div>
        </div>
      )}
      <FormMessage state={result} />
    </div>
  );
}
