import type { Verdict } from "@/lib/oauth/assertion";
import { VerdictMessage } from "./message";

/** Every rule's verdict: an icon and a word (never colour alone), the reason code, the plain words. */
export function VerdictList({ verdicts }: { verdicts: Verdict[] }) {
  return (
    <ol className="divide-y divide-slate-100" aria-label="Verdicts">
      {verdicts.map((v, i) => (
        <li key={`${v.rule}-${i}`} data-testid="verdict" data-ok={v.ok} className="flex gap-3 py-2 text-sm">
          <span className={`w-16 shrink-0 font-medium ${v.ok ? "text-emerald-700" : "text-red-700"}`}>
            <span aria-hidden="true">{v.ok ? "✓" : "✗"}</span> {v.ok ? "Pass" : "Fail"}
          </span>
          <span className="w-28 shrink-0 font-mono text-xs leading-5 text-slate-600">{v.rule}</span>
          <span className="flex-1">
            <VerdictMessage text={v.message} />
            {v.reason && <code className="ml-2 rounded bg-red-50 px-1.5 py-0.5 font-mono text-xs text-red-700 ring-1 ring-red-200">{v.reason}</code>}
          </span>
        </li>
      ))}
    </ol>
  );
}
