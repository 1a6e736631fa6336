"use client";
import Link from "next/link";
import { useState } from "react";
import { Button, Field, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { ENVIRONMENTS, GRANT_TYPES } from "@/lib/clients/schema";
import type { ActionResult } from "@/app/_lib/actions";
import type { RevealedSecret } from "@/app/(console)/clients/actions";
import { METHOD_LABELS } from "./labels";
import { SecretReveal } from "./secret-reveal";

export type ClientFormValues = {
  name: string;
  description: string;
  environment: string;
  ownerTeamId: string;
  contactEmail: string;
  grantTypes: string[];
  scopes: string;
  /** one resource URI per line */
  resources: string;
  introspection: boolean;
  audienceCompat: boolean;
};

type Props = {
  mode: "create" | "edit";
  teams: { id: string; name: string }[];
  values?: ClientFormValues;
  action: (prev: unknown, formData: FormData) => Promise<ActionResult<unknown>>;
  cancelHref: string;
  /** create: the organisation policy's default for audience compatibility */
  defaultAudienceCompat?: boolean;
};

export function ClientForm({ mode, teams, values, action, cancelHref, defaultAudienceCompat = false }: Props) {
  const { state, pending, onSubmit, fields } = useFormAction(action);
  const [method, setMethod] = useState("client_secret_basic");
  const created = mode === "create" && state?.ok ? (state.data as RevealedSecret) : null;
  if (created && !created.secret) {
    return (
      <div className="space-y-4">
        <FormMessage state={state} />
        <p className="text-sm">
          Client <code>{created.clientId}</code> is registered with private_key_jwt: it authenticates with its own key, and no secret exists.
        </p>
        <Link href={`/clients/${created.clientDbId}`} className="inline-block text-sm font-medium">
          Go to the client →
        </Link>
      </div>
    );
  }
  if (created) {
    return (
      <div className="space-y-4">
        <FormMessage state={state} />
        <p className="text-sm">
          Client <code>{created.clientId}</code> is registered. Hand this secret to the team that runs it.
        </p>
        <SecretReveal secret={created.secret} expiresAt={created.expiresAt} />
        <Link href={`/clients/${created.clientDbId}`} className="inline-block text-sm font-medium">
          Go to the client →
        </Link>
      </div>
    );
  }
  const err = (name: string) => ({ "aria-invalid": fields[name] ? true : undefined, "aria-describedby": fields[name] ? `${name}-error` : undefined });
  return (
    <form onSubmit={onSubmit} className="grid max-w-3xl grid-cols-1 gap-5 md:grid-cols-2" noValidate>
      {mode === "create" && (
        <Field label="client_id" name="clientId" error={fields.clientId} hint="Leave empty to generate one, or enter the identifier your IdP already uses (printable ASCII, no spaces).">
          <input id="clientId" name="clientId" className={`${inputClass} font-mono`} autoComplete="off" {...err("clientId")} />
        </Field>
      )}
      <Field label="Name" name="name" error={fields.name}>
        <input id="name" name="name" defaultValue={values?.name} className={inputClass} required {...err("name")} />
      </Field>
      <div className="md:col-span-2">
        <Field label="Description" name="description" error={fields.description}>
          <textarea id="description" name="description" defaultValue={values?.description} rows={2} className={inputClass} {...err("description")} />
        </Field>
      </div>
      <Field label="Environment" name="environment" error={fields.environment}>
        <select id="environment" name="environment" defaultValue={values?.environment ?? ""} className={inputClass} {...err("environment")}>
          <option value="" disabled>Choose…</option>
          {ENVIRONMENTS.map((e) => <option key={e} value={e}>{e}</option>)}
        </select>
      </Field>
      <Field label="Owner team" name="ownerTeamId" error={fields.ownerTeamId}>
        <select id="ownerTeamId" name="ownerTeamId" defaultValue={values?.ownerTeamId ?? (teams.length === 1 ? teams[0].id : "")} className={inputClass} {...err("ownerTeamId")}>
          <option value="" disabled>Choose…</option>
          {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </select>
      </Field>
      <Field label="Contact email" name="contactEmail" error={fields.contactEmail} hint="Who to ask about this client (expiry notices go here later).">
        <input id="contactEmail" name="contactEmail" type="email" defaultValue={values?.contactEmail} className={inputClass} {...err("contactEmail")} />
      </Field>
      {mode === "create" && (
        <Field
          label="Authentication method"
          name="authMethod"
          error={fields.authMethod}
          hint="An existing client starts with a secret and migrates later; a new one can use private_key_jwt from the start, with its public keys."
        >
          <select id="authMethod" name="authMethod" value={method} onChange={(e) => setMethod(e.target.value)} className={inputClass} {...err("authMethod")}>
            <option value="client_secret_basic">{METHOD_LABELS.client_secret_basic}</option>
            <option value="client_secret_post">{METHOD_LABELS.client_secret_post}</option>
            <option value="private_key_jwt">{METHOD_LABELS.private_key_jwt}</option>
          </select>
        </Field>
      )}
      {mode === "create" && method === "private_key_jwt" && (
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-4 md:col-span-2">
          <legend className="px-1 text-sm font-medium text-slate-800">Public keys</legend>
          <Field
            label="JWKS, PEM public key or certificate"
            name="keys"
            error={fields.jwks ?? fields.pem}
            hint="Paste the client's public key material. Never paste a private key."
          >
            <textarea
              id="keys"
              name="keys"
              rows={5}
              spellCheck={false}
              autoComplete="off"
              placeholder={'{ "keys": [ … ] }  or  -----BEGIN PUBLIC KEY-----'}
              className={`${inputClass} font-mono text-xs`}
              aria-invalid={fields.jwks || fields.pem ? true : undefined}
            />
          </Field>
          <Field label="or its jwks_uri" name="jwksUri" error={fields.jwks_uri} hint="https (plain http only for development clients); Keyshift fetches it now and keeps it fresh.">
            <input id="jwksUri" name="jwksUri" type="url" className={`${inputClass} font-mono`} autoComplete="off" placeholder="https://client.example.com/jwks.json" {...err("jwks_uri")} />
          </Field>
        </fieldset>
      )}
      <fieldset className="space-y-1 md:col-span-2">
        <legend className="text-sm font-medium text-slate-800">Grant types</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-1">
          {GRANT_TYPES.map((g) => (
            <label key={g} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="grantTypes" value={g} defaultChecked={values ? values.grantTypes.includes(g) : g === "client_credentials"} />
              <span className="font-mono text-xs">{g}</span>
            </label>
          ))}
        </div>
        {fields.grantTypes && <p className="text-xs font-medium text-red-700">{fields.grantTypes}</p>}
      </fieldset>
      <div className="md:col-span-2">
        <Field label="Scopes" name="scopes" error={fields.scopes} hint="Separated by spaces, e.g. payments:read payments:write">
          <input id="scopes" name="scopes" defaultValue={values?.scopes} className={`${inputClass} font-mono`} {...err("scopes")} />
        </Field>
      </div>
      <div className="md:col-span-2">
        <Field
          label="Resources"
          name="resources"
          error={fields.resources}
          hint="The APIs this client may ask a token for (RFC 8707 resource parameter): absolute URIs without a fragment, one per line. Leave empty if it only needs the default audience."
        >
          <textarea
            id="resources"
            name="resources"
            defaultValue={values?.resources}
            rows={3}
            placeholder="https://api.example.com/ledger"
            className={`${inputClass} font-mono`}
            spellCheck={false}
            {...err("resources")}
          />
        </Field>
      </div>
      <div className="space-y-3 md:col-span-2">
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="introspection" id="introspection" defaultChecked={values?.introspection ?? false} className="mt-0.5" {...err("introspection")} />
          <span>
            <span className="font-medium text-slate-800">Resource server: may introspect tokens</span>
            <span className="block text-xs text-slate-500">Lets this client call the introspection endpoint to check access tokens presented to it.</span>
          </span>
        </label>
        {fields.introspection && <p id="introspection-error" className="text-xs font-medium text-red-700">{fields.introspection}</p>}
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="audienceCompat" id="audienceCompat" defaultChecked={values?.audienceCompat ?? defaultAudienceCompat} className="mt-0.5" {...err("audienceCompat")} />
          <span>
            <span className="font-medium text-slate-800">Audience compatibility</span>
            <span className="block text-xs text-slate-500">
              Also accept the token endpoint URL as the assertion&apos;s audience, for clients that cannot change yet; every such use is recorded.
            </span>
          </span>
        </label>
        {fields.audienceCompat && <p id="audienceCompat-error" className="text-xs font-medium text-red-700">{fields.audienceCompat}</p>}
      </div>
      <div className="flex items-center gap-3 md:col-span-2">
        <Button type="submit" disabled={pending}>{pending ? "Saving…" : mode === "create" ? "Create client" : "Save changes"}</Button>
        <Link href={cancelHref} className="text-sm">Cancel</Link>
      </div>
      <div className="md:col-span-2">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
