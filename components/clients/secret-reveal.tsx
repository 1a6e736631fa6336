"use client";
import { useState } from "react";
import { Button } from "@/components/ui";

/** Shows a newly created secret once. It lives only in this component's memory: reload and it is gone. */
export function SecretReveal({ secret, expiresAt, overlapEndsAt, onDone }: { secret: string; expiresAt: string; overlapEndsAt?: string; onDone?: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  }
  return (
    <div role="region" aria-label="New client secret" className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300">
      <p className="text-sm font-semibold text-amber-900">Copy this secret now. It will not be shown again.</p>
      <p className="mt-1 text-xs text-amber-800">
        Keyshift stores only a keyed hash of it. It expires on {expiresAt.slice(0, 10)}.
        {overlapEndsAt && ` The previous secret keeps working until ${overlapEndsAt.slice(0, 16).replace("T", " ")} UTC, then stops.`}
      </p>
      <div className="mt-3 flex items-center gap-2">
        <code data-testid="new-secret" className="flex-1 select-all break-all rounded bg-white px-3 py-2 font-mono text-sm ring-1 ring-amber-200">
          {secret}
        </code>
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
        {onDone && (
          <Button type="button" variant="ghost" onClick={onDone}>
            Done
          </Button>
        )}
      </div>
    </div>
  );
}
