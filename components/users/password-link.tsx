"use client";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui";

/** A one-time set-password link, shown once to the administrator who hands it over. */
export function PasswordLinkReveal({ path, expiresAt }: { path: string; expiresAt: string }) {
  const [origin, setOrigin] = useState("");
  const [copied, setCopied] = useState(false);
  useEffect(() => setOrigin(window.location.origin), []);
  const url = origin + path;
  return (
    <div className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300" role="region" aria-label="One-time password link">
      <p className="text-sm font-semibold text-amber-900">One-time link (valid until {expiresAt.slice(0, 16).replace("T", " ")} UTC)</p>
      <p className="text-xs text-amber-800">Hand it over through a trusted channel; it is shown only now and works once.</p>
      <div className="mt-2 flex items-center gap-2">
        <code data-testid="password-link" className="flex-1 break-all rounded bg-white px-3 py-2 text-xs ring-1 ring-amber-200">{url}</code>
        <Button type="button" variant="secondary" onClick={async () => { await navigator.clipboard.writeText(url); setCopied(true); }}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
