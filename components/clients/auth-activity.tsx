// A client's authentication activity: per-method counts over the window and the latest attempts, each
// failure with the precise reason the endpoint recorded (the caller only ever saw invalid_client).
import { Badge, EmptyState, Notice, formatDate, tableClass, tdClass, thClass } from "@/components/ui";
import type { AuthActivity } from "@/lib/oauth/queries";
import { METHOD_LABELS } from "./labels";

const AUDIENCE_FORMS: Record<string, string> = {
  issuer: "issuer",
  token_endpoint: "token endpoint URL (legacy)",
  array: "array",
  other: "other value",
  missing: "missing",
};

const methodLabel = (method: string | null) => (method ? (METHOD_LABELS[method] ?? method) : "none recognised");

type Props = { activity: AuthActivity; windowDays: number; issuer: string; audienceCompat: boolean };

export function AuthActivityPanel({ activity, windowDays, issuer, audienceCompat }: Props) {
  const { recent, methods, legacyAudience } = activity;
  return (
    <div className="space-y-5">
      {legacyAudience && (
        <div data-testid="legacy-audience-note">
          <Notice tone="amber" title="This client still sends the legacy audience">
            In the last {windowDays} days, {legacyAudience.succeeded + legacyAudience.failed} of its assertions named the token endpoint URL as their aud (last on{" "}
            {formatDate(legacyAudience.lastAt, true)}): {legacyAudience.succeeded} succeeded, {legacyAudience.failed} failed.{" "}
            {audienceCompat
              ? "Audience compatibility is on for this client: that form is accepted, and every use is recorded."
              : "Audience compatibility is off for this client, so those assertions are refused."}{" "}
            Ask its owners to set
            aud to the issuer identifier <code className="break-all">{issuer}</code>
            {audienceCompat ? ", then turn compatibility off." : "."}
          </Notice>
        </div>
      )}
      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-700">By method, last {windowDays} days</h3>
        {methods.length === 0 ? (
          <p className="text-sm text-slate-500">No attempts in the last {windowDays} days.</p>
        ) : (
          <table className={tableClass} data-testid="method-counts">
            <thead>
              <tr>
                <th className={thClass}>Method</th>
                <th className={thClass}>Successes</th>
                <th className={thClass}>Failures</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {methods.map((m) => (
                <tr key={m.method ?? "none"} data-testid="method-count-row" data-method={m.method ?? "none"}>
                  <td className={tdClass}>{methodLabel(m.method)}</td>
                  <td className={tdClass} data-testid="method-successes">{m.successes}</td>
                  <td className={tdClass} data-testid="method-failures">{m.failures}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-700">Recent attempts</h3>
        {recent.length === 0 ? (
          <EmptyState>No authentication attempts recorded yet.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className={tableClass} data-testid="auth-attempts">
              <thead>
                <tr>
                  <th className={thClass}>Time</th>
                  <th className={thClass}>Endpoint</th>
                  <th className={thClass}>Method</th>
                  <th className={thClass}>Outcome</th>
                  <th className={thClass}>Reason</th>
                  <th className={thClass}>Key or secret</th>
                  <th className={thClass}>Audience</th>
                  <th className={thClass}>Address</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {recent.map((e) => (
                  <tr key={e.id} data-testid="auth-attempt-row" data-outcome={e.outcome} data-reason={e.reason ?? ""}>
                    <td className={`${tdClass} whitespace-nowrap`}>{formatDate(e.at, true)}</td>
                    <td className={tdClass}>{e.endpoint}</td>
                    <td className={`${tdClass} whitespace-nowrap`}>{methodLabel(e.method)}</td>
                    <td className={tdClass}><Badge tone={e.outcome === "success" ? "green" : "red"}>{e.outcome}</Badge></td>
                    <td className={`${tdClass} min-w-64`}>
                      {e.reasonText ? (
                        <>
                          <span>{e.reasonText}</span>
                          <code className="block text-xs text-slate-500">{e.reason}</code>
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className={`${tdClass} min-w-36 max-w-56 text-xs`}>
                      {e.kid ? (
                        <>
                          <span className="text-slate-500">kid </span>
                          <code className="wrap-anywhere">{e.kid}</code>
                        </>
                      ) : e.secretHint ? (
                        <>
                          <span className="text-slate-500">secret </span>
                          <code className="whitespace-nowrap">{e.secretHint}…</code>
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className={tdClass}>{e.audienceForm ? (AUDIENCE_FORMS[e.audienceForm] ?? e.audienceForm) : "—"}</td>
                    <td className={`${tdClass} font-mono text-xs`}>{e.address}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
