"use client";
import Link from "next/link";
import { useState } from "react";

export const thumbprintHref = (thumbprint: string) => `/keys?thumbprint=${encodeURIComponent(thumbprint)}`;

/** An RFC 7638 thumbprint, shortened, with a copy button and a link to every client using the key. */
export function Thumbprint({ value, kid }: { value: string; kid: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  }
  return (
    <span className="inline-flex items-center gap-1.5">
      <Link href={thumbprintHref(value)} title={`${value}: every client using this key`} aria-label={`Find every client using key ${kid}`}>
        <code data-testid="key-thumbprint" data-thumbprint={value} className="font-mono text-xs">
          {value.slice(0, 10)}…
        </code>
      </Link>
      <button type="button" onClick={copy} className="text-xs text-brand-700 hover:underline" aria-label={`Copy the thumbprint of key ${kid}`}>
        {copied ? "copied" : "copy"}
      </button>
    </span>
  );
}
