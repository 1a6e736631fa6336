"use client";
// The guided migration on the client page: where the client stands, the evidence from traffic, the next
// action, and what it does to live traffic, before anyone clicks.
import { useEffect, useState } from "react";
import { Badge, Button, Field, Notice, formatDate, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { SecretReveal } from "@/components/clients/secret-reveal";
import { LocalDateTimeInput } from "@/components/keys/local-datetime";
import type { ActionResult } from "@/app/_lib/actions";
import {
  breakGlassAction,
  changeDualWindowAction,
  finaliseAction,
  openDualWindowAction,
  rollBackAction,
  type BreakGlassRevealed,
} from "@/app/(console)/clients/migration-actions";

export type MigrationData = {
  state: "secret_only" | "keys_registered" | "dual" | "private_key_jwt";
  from: string | null;
  dualStartedAt: string | null;
  dualUntil: string | null;
  overdue: boolean;
  finalisedAt: string | null;
  breakGlassUntil: string | null;
  usableKeys: number;
  firstAssertionAt: string | null;
  lastSecretUseAt: string | null;
  daysWithoutSecret: number | null;
  quietDays: number;
  readyToFinalise: boolean;
  notReadyBecause: string[];
};

type Props = {
  clientDbId: string;
  migration: MigrationData;
  canMigrate: boolean;
  canBreakGlass: boolean;
  dualWindowDays: number;
  breakGlassHours: number;
};

const STEPS: { state: MigrationData["state"]; label: string }[] = [
  { state: "secret_only", label: "Secret only" },
  { state: "keys_registered", label: "Keys registered" },
  { state: "dual", label: "Dual window" },
  { state: "private_key_jwt", label: "private_key_jwt" },
];

/** "2026-12-01T10:00" in the person's own time zone, for a datetime-local default. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function Stepper({ state }: { state: MigrationData["state"] }) {
  const current = STEPS.findIndex((s) => s.state === state);
  return (
    <ol className="grid grid-cols-2 gap-2 sm:grid-cols-4" aria-label="Migration steps">
      {STEPS.map((s, i) => (
        <li
          key={s.state}
          aria-current={i === current ? "step" : undefined}
          className={`rounded-md px-3 py-2 text-sm ring-1 ${
            i === current ? "bg-brand-50 font-semibold text-brand-800 ring-brand-300" : i < current ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-white text-slate-500 ring-slate-200"
          }`}
        >
          <span className="mr-1 text-xs">{i < current ? "✓ done" : i === current ? "● now" : `${i + 1}.`}</span> {s.label}
        </li>
      ))}
    </ol>
  );
}

function Evidence({ m }: { m: MigrationData }) {
  const now = new Date();
  const ago = (iso: string) => {
    const days = Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);
    return days <= 0 ? "today" : `${days} d ago`;
  };
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2" data-testid="migration-evidence">
      <div>
        <dt className="text-slate-500">Usable keys</dt>
        <dd>{m.usableKeys === 0 ? <span className="font-medium text-red-700">none active</span> : m.usableKeys}</dd>
      </div>
      <div>
        <dt className="text-slate-500">First successful assertion</dt>
        <dd data-testid="first-assertion">{m.firstAssertionAt ? `${formatDate(m.firstAssertionAt, true)} (${ago(m.firstAssertionAt)})` : "none yet"}</dd>
      </div>
      <div>
        <dt className="text-slate-500">Last use of a secret</dt>
        <dd>{m.lastSecretUseAt ? `${formatDate(m.lastSecretUseAt, true)} (${ago(m.lastSecretUseAt)})` : "never"}</dd>
      </div>
      <div>
        <dt className="text-slate-500">Days without secret use</dt>
        <dd>
          {m.daysWithoutSecret === null ? "—" : m.daysWithoutSecret} <span className="text-slate-500">of {m.quietDays} expected</span>
        </dd>
      </div>
    </dl>
  );
}

function OpenDual({ clientDbId, dualWindowDays, usableKeys }: { clientDbId: string; dualWindowDays: number; usableKeys: number }) {
  const { state, pending, onSubmit, fields } = useFormAction(openDualWindowAction.bind(null, clientDbId));
  const [defaultEnd] = useState(() => localInputValue(new Date(Date.now() + dualWindowDays * 86_400_000)));
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Open the dual window" noValidate>
      <p className="text-sm">
        <strong>Next: open the dual window.</strong> What live traffic sees: the secret keeps working exactly as today, and the client may
        also authenticate with an assertion signed by its key. Nothing is cut off, and the window can be rolled back.
      </p>
      {usableKeys === 0 && (
        <Notice tone="amber" title="No active key">
          The token endpoint could not verify an assertion yet: register a key (or wait for a scheduled one) first.
        </Notice>
      )}
      <Field label="Window ends" name="until" error={fields.until} hint={`Default: ${dualWindowDays} days. After it the client is flagged overdue, never cut off.`}>
        <LocalDateTimeInput id="until" name="until" defaultValue={defaultEnd} invalid={!!fields.until} />
      </Field>
      <Button type="submit" disabled={pending || usableKeys === 0}>{pending ? "Opening…" : "Open the dual window"}</Button>
      <FormMessage state={state} />
    </form>
  );
}

function ReasonForm({
  label,
  action,
  submit,
  variant = "primary",
  required,
  hint,
  onCancel,
}: {
  label: string;
  action: (prev: unknown, formData: FormData) => Promise<ActionResult<unknown>>;
  submit: string;
  variant?: "primary" | "danger" | "secondary";
  required: boolean;
  hint: string;
  onCancel: () => void;
}) {
  const { state, pending, onSubmit, fields } = useFormAction(action);
  const id = `reason-${submit.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label={label} noValidate>
      <Field label={required ? "Reason (required)" : "Reason (optional)"} name={id} error={fields.reason} hint={hint}>
        <textarea id={id} name="reason" rows={2} className={inputClass} aria-invalid={fields.reason ? true : undefined} />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" variant={variant} disabled={pending}>{submit}</Button>
        <Button type="button" variant="secondary" onClick={onCancel}>Cancel</Button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}

function DualActions({ clientDbId, m }: { clientDbId: string; m: MigrationData }) {
  const [open, setOpen] = useState<"finalise" | "rollback" | "extend" | null>(null);
  const extend = useFormAction(changeDualWindowAction.bind(null, clientDbId));
  useEffect(() => {
    if (extend.state?.ok) setOpen(null);
  }, [extend.state]);
  return (
    <div className="space-y-3">
      <p className="text-sm">
        {m.readyToFinalise ? (
          <strong>Ready to finalise: an assertion has succeeded and the secret has been quiet for {m.daysWithoutSecret} days.</strong>
        ) : (
          <>
            <strong>Not ready to finalise yet:</strong> {m.notReadyBecause.join("; ")}.
          </>
        )}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button type="button" onClick={() => setOpen("finalise")} variant={m.readyToFinalise ? "primary" : "secondary"}>Finalise…</Button>
        <Button type="button" variant="secondary" onClick={() => setOpen("extend")}>Change end date…</Button>
        <Button type="button" variant="secondary" onClick={() => setOpen("rollback")}>Roll back…</Button>
      </div>
      {open === "finalise" && (
        <div role="dialog" aria-label="Confirm finalising" className="space-y-2 rounded-md bg-red-50 p-4 text-sm ring-1 ring-red-200">
          <p className="font-semibold text-red-800">Finalise: revoke the secrets and accept only assertions?</p>
          <p className="text-red-800">
            What live traffic sees: any caller still presenting the secret fails at once (<code>invalid_client</code>). Last use of a secret:{" "}
            <strong>{m.lastSecretUseAt ? formatDate(m.lastSecretUseAt, true) : "never"}</strong>. This is the one step that cannot be rolled back.
          </p>
          <ReasonForm
            label="Finalise the migration"
            action={finaliseAction.bind(null, clientDbId)}
            submit="Finalise now"
            variant="danger"
            required={!m.readyToFinalise}
            hint={m.readyToFinalise ? "Recorded in the audit trail with the evidence." : "The client is not ready; say why it must be finalised now (recorded with the evidence)."}
            onCancel={() => setOpen(null)}
          />
        </div>
      )}
      {open === "rollback" && (
        <div role="dialog" aria-label="Confirm rollback" className="space-y-2 rounded-md bg-slate-50 p-4 text-sm ring-1 ring-slate-200">
          <p>
            What live traffic sees: only the secret is accepted again; assertions fail (<code>invalid_client</code>). The keys stay registered, so
            the window can open again later.
          </p>
          <ReasonForm
            label="Roll back the dual window"
            action={rollBackAction.bind(null, clientDbId)}
            submit="Roll back"
            variant="secondary"
            required={false}
            hint="Why, for the audit trail."
            onCancel={() => setOpen(null)}
          />
        </div>
      )}
      {open === "extend" && (
        <form onSubmit={extend.onSubmit} className="space-y-3 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200" aria-label="Change the end date" noValidate>
          <Field label="New end date" name="new-until" error={extend.fields.until}>
            <LocalDateTimeInput id="new-until" name="until" defaultValue={localInputValue(new Date(Date.now() + 14 * 86_400_000))} invalid={!!extend.fields.until} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" disabled={extend.pending}>Save end date</Button>
            <Button type="button" variant="secondary" onClick={() => setOpen(null)}>Cancel</Button>
          </div>
        </form>
      )}
      <FormMessage state={extend.state} />
    </div>
  );
}

function BreakGlass({ clientDbId, hours }: { clientDbId: string; hours: number }) {
  const [open, setOpen] = useState(false);
  const { state, pending, onSubmit, fields } = useFormAction(breakGlassAction.bind(null, clientDbId));
  const revealed = state?.ok ? (state.data as BreakGlassRevealed) : null;
  if (revealed) {
    return (
      <div className="space-y-2">
        <FormMessage state={state} />
        <SecretReveal secret={revealed.secret} expiresAt={revealed.expiresAt} />
        <p className="text-sm text-slate-600">
          Accepted with {revealed.method} (or the other secret method) until {formatDate(revealed.expiresAt, true)}, beside the client&apos;s keys.
          Register the client&apos;s new key before then.
        </p>
      </div>
    );
  }
  if (!open) {
    return (
      <Button type="button" variant="danger" onClick={() => setOpen(true)}>
        Issue a break-glass secret…
      </Button>
    );
  }
  return (
    <form onSubmit={onSubmit} role="dialog" aria-label="Issue a break-glass secret" className="space-y-3 rounded-md bg-red-50 p-4 text-sm ring-1 ring-red-200" noValidate>
      <p className="text-red-800">
        Emergency only, for a client whose keys are lost: a secret valid for <strong>{hours} hours</strong>, accepted beside the keys. It is
        flagged on the dashboards until it expires and audited with your reason.
      </p>
      <Field label="Reason (required)" name="break-glass-reason" error={fields.reason}>
        <textarea id="break-glass-reason" name="reason" rows={2} className={inputClass} aria-invalid={fields.reason ? true : undefined} />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" variant="danger" disabled={pending}>Issue break-glass secret</Button>
        <Button type="button" variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}

export function MigrationPanel({ clientDbId, migration: m, canMigrate, canBreakGlass, dualWindowDays, breakGlassHours }: Props) {
  return (
    <div className="space-y-4" data-testid="migration" data-state={m.state}>
      <Stepper state={m.state} />
      {m.state === "secret_only" && (
        <p className="text-sm">
          <strong>Next: register the client&apos;s public keys</strong> in the <a href="#keys">Keys</a> section (a JWKS, a PEM key or certificate,
          or a jwks_uri). Registering keys changes nothing for live traffic: the secret stays the only accepted credential until the dual window
          opens.
        </p>
      )}
      {m.state === "keys_registered" && (
        <>
          <Evidence m={m} />
          {canMigrate ? <OpenDual clientDbId={clientDbId} dualWindowDays={dualWindowDays} usableKeys={m.usableKeys} /> : <p className="text-sm text-slate-600">Next: the dual window, opened by the owner team or an administrator.</p>}
        </>
      )}
      {m.state === "dual" && (
        <>
          <p className="text-sm">
            Dual window since {m.dualStartedAt ? formatDate(m.dualStartedAt, true) : "—"}, ends {m.dualUntil ? formatDate(m.dualUntil, true) : "—"}
            {m.overdue && (
              <>
                {" "}
                <Badge tone="red">overdue</Badge>
              </>
            )}
            . Both <code>{m.from}</code> and <code>private_key_jwt</code> are accepted.
          </p>
          {m.overdue && (
            <Notice tone="amber" title="The dual window is overdue">
              Its end date has passed. Nothing was cut off: finalise once the evidence allows, move the end date, or roll back.
            </Notice>
          )}
          <Evidence m={m} />
          {canMigrate ? <DualActions clientDbId={clientDbId} m={m} /> : <p className="text-sm text-slate-600">The owner team or an administrator finalises or rolls back.</p>}
        </>
      )}
      {m.state === "private_key_jwt" && (
        <>
          <p className="text-sm">
            <strong>Migrated.</strong> {m.finalisedAt ? `Finalised ${formatDate(m.finalisedAt, true)}: ` : ""}only assertions signed with the
            client&apos;s keys are accepted; no secret is.
          </p>
          {m.breakGlassUntil && (
            <Notice tone="red" title="Break-glass secret alive">
              A break-glass secret is accepted until {formatDate(m.breakGlassUntil, true)}. Register the client&apos;s new key before then.
            </Notice>
          )}
          {canBreakGlass && !m.breakGlassUntil && <BreakGlass clientDbId={clientDbId} hours={breakGlassHours} />}
        </>
      )}
    </div>
  );
}
