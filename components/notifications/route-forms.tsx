"use client";
// The notifications page's forms: adding a route (a team's or the organisation's fallback), and the
// per-route and per-delivery buttons. Each calls one server action and shows its message.
import { useState, useTransition } from "react";
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionResult } from "@/app/_lib/actions";
import { createRouteAction, removeRouteAction, resendAction, sendTestAction, setRouteDisabledAction } from "@/app/(console)/notifications/actions";

type TeamOption = { id: string; name: string };

export function AddRouteForm({ teams, fallback, emailEnabled }: { teams: TeamOption[]; fallback: boolean; emailEnabled: boolean }) {
  const { state, pending, onSubmit, fields } = useFormAction(createRouteAction);
  const [channel, setChannel] = useState("webhook");
  const err = (name: string) => ({ "aria-invalid": fields[name] ? true : undefined, "aria-describedby": fields[name] ? `${name}-error` : undefined });
  return (
    <form onSubmit={onSubmit} className="grid grid-cols-1 items-start gap-4 md:grid-cols-2" noValidate aria-label="Add a notification route">
      <Field label="For" name="teamId" error={fields.teamId}>
        <select id="teamId" name="teamId" className={inputClass} {...err("teamId")}>
          {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          {fallback && <option value="">Organisation fallback (teams without a route)</option>}
        </select>
      </Field>
      <Field label="Name" name="name" error={fields.name} hint="What the route is, e.g. Payments on-call">
        <input id="name" name="name" className={inputClass} maxLength={100} {...err("name")} />
      </Field>
      <Field label="Channel" name="channel" error={fields.channel} hint={emailEnabled ? undefined : "Email needs KEYSHIFT_SMTP_URL on the server."}>
        <select id="channel" name="channel" value={channel} onChange={(e) => setChannel(e.target.value)} className={inputClass} {...err("channel")}>
          <option value="webhook">Webhook (signed JSON event)</option>
          <option value="email" disabled={!emailEnabled}>Email (daily digest)</option>
        </select>
      </Field>
      <Field
        label={channel === "email" ? "Email address" : "Webhook URL"}
        name="target"
        error={fields.target}
        hint={channel === "email" ? "One digest a day at most." : "https; events are signed with the server's key (verify them with /.well-known/jwks.json)."}
      >
        <input id="target" name="target" type={channel === "email" ? "email" : "url"} className={inputClass} {...err("target")} />
      </Field>
      <div><Button type="submit" disabled={pending}>Add route</Button></div>
      <div className="md:col-span-2"><FormMessage state={state} /></div>
    </form>
  );
}

function useRowAction() {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [pending, start] = useTransition();
  const run = (action: () => Promise<ActionResult<unknown>>) => start(async () => setResult(await action()));
  return { result, pending, run };
}

export function RouteActions({ route }: { route: { id: string; name: string; disabled: boolean } }) {
  const { result, pending, run } = useRowAction();
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="flex flex-wrap justify-end gap-2">
      <Button type="button" variant="secondary" disabled={pending || route.disabled} onClick={() => run(() => sendTestAction(route.id))} aria-label={`Send a test notification to ${route.name}`}>
        Send test
      </Button>
      <Button type="button" variant="secondary" disabled={pending} onClick={() => run(() => setRouteDisabledAction(route.id, !route.disabled))}>
        {route.disabled ? "Enable" : "Disable"}
      </Button>
      {confirming ? (
        <>
          <Button type="button" variant="danger" disabled={pending} onClick={() => run(() => removeRouteAction(route.id))}>Remove {route.name}</Button>
          <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>Keep</Button>
        </>
      ) : (
        <Button type="button" variant="secondary" disabled={pending} onClick={() => setConfirming(true)}>Remove</Button>
      )}
      <div className="w-full" aria-live="polite"><FormMessage state={result} /></div>
    </div>
  );
}

export function ResendButton({ deliveryId }: { deliveryId: string }) {
  const { result, pending, run } = useRowAction();
  return (
    <div className="space-y-1">
      <Button type="button" variant="secondary" disabled={pending} onClick={() => run(() => resendAction(deliveryId))}>Resend</Button>
      <div aria-live="polite"><FormMessage state={result} /></div>
    </div>
  );
}
