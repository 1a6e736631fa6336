"use client";
import { useEffect, useRef, useState } from "react";
import { Badge, Button, EmptyState, Field, Notice, formatDate, inputClass, tableClass, tdClass, thClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import type { ActionResult } from "@/app/_lib/actions";
import type { RegisteredKeys } from "@/app/(console)/clients/key-actions";
import { KEY_STATUS_TONES } from "./labels";

export type KeyRow = {
  id: string;
  kid: string;
  /** "EC P-256", "RSA 2048" */
  type: string;
  alg: string | null;
  thumbprint: string;
  source: string;
  status: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
};

type Props = {
  keys: KeyRow[];
  canManage: boolean;
  fromJwksUri: boolean;
  /** registerJwksAction bound to the client */
  action: (prev: unknown, formData: FormData) => Promise<ActionResult<RegisteredKeys>>;
};

function Thumbprint({ value, kid }: { value: string; kid: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  }
  return (
    <span className="inline-flex items-center gap-1.5">
      <code title={value} data-testid="key-thumbprint" data-thumbprint={value} className="font-mono text-xs">
        {value.slice(0, 10)}…
      </code>
      <button type="button" onClick={copy} className="text-xs text-brand-700 hover:underline" aria-label={`Copy the thumbprint of key ${kid}`}>
        {copied ? "copied" : "copy"}
      </button>
    </span>
  );
}

export function KeysPanel({ keys, canManage, fromJwksUri, action }: Props) {
  const { state, pending, onSubmit, fields } = useFormAction(action);
  const formRef = useRef<HTMLFormElement>(null);
  // the document is registered: clear it, so the same keys are not submitted twice by accident
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  const assigned = state?.ok ? (state.data?.keys.filter((k) => k.kidAssigned) ?? []) : [];

  return (
    <div className="space-y-4">
      {keys.length === 0 ? (
        <EmptyState>No keys registered. A client needs at least one public key before it can authenticate with private_key_jwt.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className={tableClass} data-testid="keys-table">
            <thead>
              <tr>
                <th className={thClass}>kid</th>
                <th className={thClass}>Type</th>
                <th className={thClass}>Alg</th>
                <th className={thClass}>Thumbprint</th>
                <th className={thClass}>Source</th>
                <th className={thClass}>Added</th>
                <th className={thClass}>Status</th>
                <th className={thClass}>Last used</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.map((k) => (
                <tr key={k.id} data-testid="key-row" data-kid={k.kid} data-status={k.status}>
                  <td className={`${tdClass} max-w-48 break-all font-mono text-xs`}>{k.kid}</td>
                  <td className={`${tdClass} whitespace-nowrap`}>{k.type}</td>
                  <td className={tdClass}>{k.alg ?? <span className="text-slate-500" title="The key names no alg: any allowed algorithm that fits the key">any fitting</span>}</td>
                  <td className={`${tdClass} whitespace-nowrap`}><Thumbprint value={k.thumbprint} kid={k.kid} /></td>
                  <td className={tdClass}>{k.source}</td>
                  <td className={tdClass}>{formatDate(k.createdAt)} <span className="text-slate-500">by {k.createdBy}</span></td>
                  <td className={tdClass}><Badge tone={KEY_STATUS_TONES[k.status]}>{k.status}</Badge></td>
                  <td className={tdClass}>{k.lastUsedAt ? formatDate(k.lastUsedAt, true) : "never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
      {canManage && fromJwksUri && <p className="text-sm text-slate-600">This client&apos;s keys come from its jwks_uri; keys cannot also be pasted here.</p>}
      {canManage && !fromJwksUri && (
        <form ref={formRef} onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Register keys">
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
              spellCheck={false}
              autoComplete="off"
              placeholder={'{ "keys": [ { "kty": "EC", "crv": "P-256", "x": "…", "y": "…", "kid": "…" } ] }'}
              className={`${inputClass} font-mono text-xs`}
              aria-invalid={fields.jwks ? true : undefined}
              aria-describedby={fields.jwks ? "jwks-error" : undefined}
            />
          </Field>
          <Button type="submit" disabled={pending}>{pending ? "Registering…" : "Register keys"}</Button>
          <FormMessage state={state} />
        </form>
      )}
    </div>
  );
}
