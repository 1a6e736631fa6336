import { FAILURE_REASONS, type FailureReason } from "@/lib/oauth/reasons";
import type { Verdict } from "@/lib/oauth/assertion";
import { VerdictMessage } from "./message";

type Props = {
  outcome: { ok: boolean; reason?: FailureReason };
  verdicts: Verdict[];
  client: { clientId: string; name: string } | null;
};

/** The one-line answer: what the token endpoint would do, and (refused) the reason it would record. */
export function OutcomeSummary({ outcome, verdicts, client }: Props) {
  const first = verdicts.find((v) => !v.ok && v.reason === outcome.reason);
  const who = client ? ` for ${client.name} (${client.clientId})` : "";
  if (outcome.ok) {
    return (
      <div role="status" data-testid="debug-outcome" className="rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-900 ring-1 ring-emerald-200">
        <p className="font-semibold">
          <span aria-hidden="true">✓ </span>The token endpoint would accept this assertion{who}.
        </p>
      </div>
    );
  }
  const reason = outcome.reason!;
  return (
    <div role="status" data-testid="debug-outcome" className="rounded-lg bg-red-50 px-4 py-3 text-sm text-red-900 ring-1 ring-red-200">
      <p className="font-semibold">
        <span aria-hidden="true">✗ </span>The token endpoint would refuse it{who}: <code className="font-mono">{reason}</code> — {FAILURE_REASONS[reason]}
      </p>
      {first && (
        <p className="mt-1">
          Fix: <VerdictMessage text={first.message} />
        </p>
      )}
    </div>
  );
}
