"use client";
import { Button, Card, Field, Notice, inputClass } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import { useFormAction } from "@/components/forms/use-form-action";
import { debugAssertionAction } from "@/app/(console)/debugger/actions";
import { DecodedToken } from "./decoded-token";
import { OutcomeSummary } from "./outcome-summary";
import { VerdictList } from "./verdict-list";

const describedBy = (fields: Record<string, string>, name: string) => ({ "aria-invalid": fields[name] ? true : undefined, "aria-describedby": fields[name] ? `${name}-error` : undefined });

/** The form (posted through a server action, never a query string) and the token endpoint's verdict. */
export function AssertionDebugger() {
  const { state, pending, onSubmit, fields } = useFormAction(debugAssertionAction);
  const result = state?.ok ? state.data : undefined;
  return (
    <div className="space-y-6">
      <Card>
        <form onSubmit={onSubmit} method="post" className="space-y-4" noValidate aria-label="Debug a client assertion">
          <Field label="Client assertion" name="assertion" error={fields.assertion} hint="The JWT the client sends as client_assertion: three base64url parts separated by dots.">
            <textarea
              id="assertion"
              name="assertion"
              rows={6}
              required
              spellCheck={false}
              autoComplete="off"
              autoCapitalize="off"
              className={`${inputClass} break-all font-mono text-xs`}
              placeholder="eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOi…"
              {...describedBy(fields, "assertion")}
            />
          </Field>
          <Field label="Client (client_id, optional)" name="client_id" error={fields.clientId} hint="As if sent as client_id in the request body. Empty: the assertion's sub names the client, as at the token endpoint.">
            <input id="client_id" name="client_id" type="text" autoComplete="off" spellCheck={false} className={`${inputClass} max-w-md font-mono`} {...describedBy(fields, "clientId")} />
          </Field>
          <div className="flex flex-wrap items-center gap-4">
            <Button type="submit" disabled={pending}>
              {pending ? "Checking…" : "Check assertion"}
            </Button>
            <p className="text-xs text-slate-500">Nothing you paste is stored or logged. Checking does not use up the jti and fetches no jwks_uri.</p>
          </div>
          {state && !state.ok && <FormMessage state={state} />}
        </form>
      </Card>
      {result && (
        <>
          <OutcomeSummary outcome={result.outcome} verdicts={result.verdicts} client={result.client} />
          <Card title="Rules, in the token endpoint's order">
            <VerdictList verdicts={result.verdicts} />
          </Card>
          {result.header && result.claims ? (
            <DecodedToken header={result.header} claims={result.claims} checkedAt={result.checkedAt} />
          ) : (
            <Notice tone="amber">The assertion could not be decoded, so there is no header or claims to show.</Notice>
          )}
          <p className="text-xs text-slate-500">
            Judged against issuer <code className="font-mono">{result.expected.issuer}</code>, token endpoint{" "}
            <code className="font-mono">{result.expected.tokenEndpoint}</code>, at most {result.expected.maxLifetimeSeconds} s of lifetime and{" "}
            {result.expected.clockSkewSeconds} s of clock skew.
          </p>
        </>
      )}
    </div>
  );
}
