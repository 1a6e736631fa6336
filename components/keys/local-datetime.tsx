"use client";
import { useState } from "react";
import { inputClass } from "@/components/ui";

/**
 * A datetime-local input in the person's own time zone, submitted as ISO 8601 (UTC) under `name`:
 * the server never has to guess which zone "2025-03-01T09:00" meant.
 */
export function LocalDateTimeInput({ id, name, defaultValue = "", invalid, describedBy }: { id: string; name: string; defaultValue?: string; invalid?: boolean; describedBy?: string }) {
  const [local, setLocal] = useState(defaultValue);
  const date = local ? new Date(local) : null;
  const iso = date && !Number.isNaN(date.getTime()) ? date.toISOString() : local;
  return (
    <>
      <input
        id={id}
        type="datetime-local"
        value={local}
        onChange={(e) => setLocal(e.target.value)}
        className={`${inputClass} max-w-64`}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
      />
      <input type="hidden" name={name} value={iso} />
    </>
  );
}
