"use client";
// The real import run from the page: posts the form to the streaming route handler and follows its
// events (protocol: app/(console)/clients/import/run/events.ts) until the result or the error.
import { useState } from "react";
import type { ActionResult } from "@/app/_lib/actions";
import type { ImportEvent, ProgressEvent } from "@/app/(console)/clients/import/run/events";
import type { ImportResult } from "@/app/(console)/clients/import/upload";

const IMPORT_RUN_URL = "/clients/import/run";
// the server may still have finished the import: it does not stop when the page stops listening
const CONNECTION_LOST =
  "The connection ended before the import reported its outcome. Check the registry or the audit log before importing again.";

export type ImportRun = { progress: ProgressEvent | null; outcome: ActionResult<ImportResult> | null };

export function useImportRun() {
  const [run, setRun] = useState<ImportRun | null>(null);
  async function start(data: FormData) {
    setRun({ progress: null, outcome: null });
    const outcome = await postImport(data, (progress) => setRun({ progress, outcome: null }));
    setRun((current) => ({ progress: current?.progress ?? null, outcome }));
  }
  return { run, running: !!run && !run.outcome, start, clear: () => setRun(null) };
}

async function postImport(data: FormData, onProgress: (event: ProgressEvent) => void): Promise<ActionResult<ImportResult>> {
  try {
    const response = await fetch(IMPORT_RUN_URL, { method: "POST", body: data });
    // refused before the import started (session, role, origin, body): { error: { message, fields? } }
    if (!response.ok || !response.body) return refusal(response);
    for await (const event of events(response.body)) {
      if (event.type === "progress") onProgress(event);
      else if (event.type === "error") return { ok: false, message: event.message, fields: event.fields };
      else {
        const { type: _type, message, ...result } = event;
        return { ok: true, message, data: result };
      }
    }
  } catch {
    // fall through: the stream broke off
  }
  return { ok: false, message: CONNECTION_LOST };
}

async function refusal(response: Response): Promise<ActionResult<never>> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string; fields?: Record<string, string> } } | null;
  return { ok: false, message: body?.error?.message ?? `The import was refused (HTTP ${response.status}). Nothing was imported.`, fields: body?.error?.fields };
}

/** One parsed event per line, as lines arrive. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<ImportEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) yield JSON.parse(line) as ImportEvent;
  }
}
