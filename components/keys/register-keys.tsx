"use client";
import { useEffect, useState, type ChangeEvent } from "react";
import { Button, Field, Notice, formatDate, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionResult } from "@/app/_lib/actions";
import { addKeysAction, linkJwksUriAction } from "@/app/(console)/clients/key-actions";
import { LocalDateTimeInput } from "./local-datetime";

type Way = "jwks" | "pem" | "jwks_uri";
const WAYS: { value: Way; label: string }[] = [
  { value: "jwks", label: "JWKS" },
  { value: "pem", label: "PEM key or certificate" },
  { value: "jwks_uri", label: "jwks_uri" },
];

type Props = {
  clientDbId: string;
  overlapDays: number;
  /** the signature algorithms a key may be registered for */
  algorithms: readonly string[];
  /** a link succeeded: the panel switches to the jwks_uri view, which shows this message */
  onLinked: (result: ActionResult) => void;
};

const describedBy = (fields: Record<string, string>, name: string) => ({ "aria-invalid": fields[name] ? true : undefined, "aria-describedby": fields[name] ? `${name}-error` : undefined });

/** The three ways to give a client its public keys: a JWKS, a PEM key or certificate, or a jwks_uri. */
export function RegisterKeys({ clientDbId, overlapDays, algorithms, onLinked }: Props) {
  const [way, setWay] = useState<Way>("jwks");
  return (
    <div className="space-y-3 border-t border-slate-100 pt-4">
      <h3 className="text-sm font-semibold text-slate-800">Register keys</h3>
      <div role="group" aria-label="How to register keys" className="inline-flex rounded-md shadow-sm ring-1 ring-slate-300">
        {WAYS.map((w, i) => (
          <button
            key={w.value}
            type="button"
            aria-pressed={way === w.value}
            onClick={() => setWay(w.value)}
            className={`px-3 py-1.5 text-sm font-medium ${i > 0 ? "border-l border-slate-300" : ""} ${way === w.value ? "bg-brand-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50"} ${i === 0 ? "rounded-l-md" : ""} ${i === WAYS.length - 1 ? "rounded-r-md" : ""}`}
          >
            {w.label}
          </button>
        ))}
      </div>
      {way === "jwks_uri" ? <LinkJwksUri clientDbId={clientDbId} onLinked={onLinked} /> : <AddKeysForm key={way} kind={way} clientDbId={clientDbId} overlapDays={overlapDays} algorithms={algorithms} />}
    </div>
  );
}

function AddKeysForm({ kind, clientDbId, overlapDays, algorithms }: { kind: "jwks" | "pem"; clientDbId: string; overlapDays: number; algorithms: readonly string[] }) {
  const { state, pending, onSubmit, fields } = useFormAction(addKeysAction.bind(null, clientDbId));
  const [jwks, setJwks] = useState("");
  const [pem, setPem] = useState("");
  const [formKey, setFormKey] = useState(0);
  // registered: clear the material, so the same keys are not submitted twice by accident
  useEffect(() => {
    if (!state?.ok) return;
    setJwks("");
    setPem("");
    setFormKey((n) => n + 1);
  }, [state]);

  // the file is read here, into the textarea, and goes nowhere else: what is submitted is what is shown
  function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => setJwks(typeof reader.result === "string" ? reader.result : "");
    reader.readAsText(file);
    event.target.value = "";
  }

  const added = state?.ok ? state.data : undefined;
  const assigned = added?.keys.filter((k) => k.kidAssigned) ?? [];
  return (
    <>
      <form key={formKey} onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Register keys">
        <input type="hidden" name="kind" value={kind} />
        {kind === "jwks" ? (
          <>
            <Field
              label="Paste a JWKS"
              name="jwks"
              error={fields.jwks}
              hint={'A JSON object with a "keys" array of public keys: EC (P-256, P-384, P-521), RSA of at least 2048 bits, or Ed25519. Never paste a private key.'}
            >
              <textarea
                id="jwks"
                name="jwks"
                rows={6}
                value={jwks}
                onChange={(e) => setJwks(e.target.value)}
                spellCheck={false}
                autoComplete="off"
                placeholder={'{ "keys": [ { "kty": "EC", "crv": "P-256", "x": "…", "y": "…", "kid": "…" } ] }'}
                className={`${inputClass} font-mono text-xs`}
                {...describedBy(fields, "jwks")}
              />
            </Field>
            <div className="space-y-1">
              <label htmlFor="jwks-file" className="block text-sm font-medium text-slate-800">Or choose a .json file</label>
              <input id="jwks-file" type="file" accept=".json,.jwks,application/json,application/jwk-set+json" onChange={readFile} className="block text-sm" />
              <p className="text-xs text-slate-500">Read in your browser into the box above; check it, then register.</p>
            </div>
          </>
        ) : (
          <>
            <Field label="PEM public key or certificate" name="pem" error={fields.pem} hint="-----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE----- (a certificate's validity becomes the key's activation and expiry). Never paste a private key.">
              <textarea id="pem" name="pem" rows={6} value={pem} onChange={(e) => setPem(e.target.value)} spellCheck={false} autoComplete="off" className={`${inputClass} font-mono text-xs`} {...describedBy(fields, "pem")} />
            </Field>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="kid (optional)" name="kid" error={fields.kid} hint="Empty: the RFC 7638 thumbprint.">
                <input id="kid" name="kid" autoComplete="off" className={`${inputClass} font-mono`} {...describedBy(fields, "kid")} />
              </Field>
              <Field label="Algorithm (optional)" name="alg" error={fields.alg} hint="Empty: any allowed algorithm that fits the key.">
                <select id="alg" name="alg" defaultValue="" className={inputClass} {...describedBy(fields, "alg")}>
                  <option value="">Any fitting</option>
                  {algorithms.map((a) => <option key={a} value={a}>{a}</option>)}
                </select>
              </Field>
            </div>
          </>
        )}
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Activation (optional)" name="not_before" error={fields.not_before} hint="Your local time. Empty: the key works at once (a certificate not valid yet waits for its notBefore).">
            <LocalDateTimeInput id="not_before" name="not_before" invalid={!!fields.not_before} describedBy={fields.not_before ? "not_before-error" : undefined} />
          </Field>
          <label className="flex items-start gap-2 self-center text-sm">
            <input type="checkbox" name="retire_current" className="mt-0.5" />
            <span>
              Rotate: retire the current keys after the overlap
              <span className="block text-xs text-slate-500">The current keys stay accepted for {overlapDays} days after the new keys activate, then retire.</span>
            </span>
          </label>
        </div>
        <Button type="submit" disabled={pending}>{pending ? "Registering…" : "Register keys"}</Button>
        <FormMessage state={state} />
      </form>
      {assigned.length > 0 && (
        <div data-testid="kid-assigned-note">
          <Notice tone="amber" title={assigned.length === 1 ? "A key had no kid" : `${assigned.length} keys had no kid`}>
            Keyshift named {assigned.length === 1 ? "it" : "them"} by the RFC 7638 thumbprint:{" "}
            {assigned.map((k, i) => (
              <span key={k.kid}>
                {i > 0 && ", "}
                <code className="break-all font-mono text-xs">{k.kid}</code>
              </span>
            ))}
            . Put this kid in the header of the client&apos;s assertions (it may be left out only while the client has a single key for its algorithm).
          </Notice>
        </div>
      )}
      {added && added.retiring.length > 0 && (
        <div data-testid="retiring-note">
          <Notice tone="blue" title="Rotation started">
            Now retiring:{" "}
            {added.retiring.map((r, i) => (
              <span key={r.kid}>
                {i > 0 && ", "}
                <code className="break-all font-mono text-xs">{r.kid}</code> until {formatDate(r.until, true)}
              </span>
            ))}
            . Deploy the new private key to the client before then.
          </Notice>
        </div>
      )}
    </>
  );
}

function LinkJwksUri({ clientDbId, onLinked }: { clientDbId: string; onLinked: (result: ActionResult) => void }) {
  // reported from the action: once linked, the page shows the jwks_uri view instead of this form, in
  // the same render that brings the result
  const { state, pending, onSubmit, fields } = useFormAction(async (prev: unknown, formData: FormData) => {
    const result = await linkJwksUriAction(clientDbId, prev, formData);
    if (result.ok) onLinked(result);
    return result;
  });
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Link a jwks_uri">
      <Field
        label="jwks_uri"
        name="jwks_uri"
        error={fields.jwks_uri}
        hint="The URL where the client publishes its public keys (https; plain http only for development clients). Keyshift fetches it now and keeps its copy fresh. Only for a client without registered keys: a client has registered keys or a jwks_uri, never both."
      >
        <input id="jwks_uri" name="jwks_uri" type="url" autoComplete="off" placeholder="https://client.example.com/.well-known/jwks.json" className={`${inputClass} font-mono`} {...describedBy(fields, "jwks_uri")} />
      </Field>
      <Button type="submit" disabled={pending}>{pending ? "Fetching…" : "Link jwks_uri"}</Button>
      <FormMessage state={state} />
    </form>
  );
}
