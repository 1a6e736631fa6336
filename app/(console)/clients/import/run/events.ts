// The real run's answer: newline-delimited JSON (one event per line), so the page can show progress
// while the import's single transaction is still open.
//   {"type":"progress","done":120,"total":4000}   rows written so far, of those to write (creates and
//                                                  updates; skipped rows are not counted); throttled
//   {"type":"result","message":…,"plan":…,"applied":true,"file":…,"hiddenRows":…}
//   {"type":"error","message":…,"fields":{…}}      nothing was written
// Exactly one result or error ends the stream.
import { DomainError } from "@/lib/errors";
import type { ImportProgress } from "@/lib/inventory/import";
import { logUnexpected } from "@/lib/log";
import type { ImportResult } from "../upload";

export type ProgressEvent = { type: "progress"; done: number; total: number };
export type ResultEvent = { type: "result"; message: string } & ImportResult;
export type ErrorEvent = { type: "error"; message: string; fields?: Record<string, string> };
export type ImportEvent = ProgressEvent | ResultEvent | ErrorEvent;

export const PROGRESS_EVERY_ROWS = 100;
const PROGRESS_EVERY_MS = 200;

/**
 * Passes progress on for the first row, then at most every PROGRESS_EVERY_ROWS rows or
 * PROGRESS_EVERY_MS milliseconds (whichever comes first), and always for the last row.
 */
export function throttledProgress(send: (event: ProgressEvent) => void, clock: () => number = Date.now): ImportProgress {
  let sentDone = 0;
  let sentAt = -Infinity;
  return (done, total) => {
    const now = clock();
    if (done !== total && done - sentDone < PROGRESS_EVERY_ROWS && now - sentAt < PROGRESS_EVERY_MS) return;
    sentDone = done;
    sentAt = now;
    send({ type: "progress", done, total });
  };
}

export function errorEvent(error: unknown): ErrorEvent {
  if (error instanceof DomainError) return { type: "error", message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  const requestId = logUnexpected(error, "inventory import failed");
  return { type: "error", message: `Something went wrong on our side (reference ${requestId}). Nothing was changed.` };
}

/**
 * Starts `task` at once and streams its progress, then its outcome. A reader that goes away does not stop
 * the task: an import that has started commits or rolls back as a whole, whether or not anyone watches
 * (the audit log records it either way). `outcome` settles with the last event.
 */
export function importEventStream(task: (onProgress: ImportProgress) => Promise<ResultEvent>): { response: Response; outcome: Promise<ResultEvent | ErrorEvent> } {
  const encoder = new TextEncoder();
  let open = true;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => void (open = false),
  });
  const send = (event: ImportEvent) => {
    if (open) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
  };
  const outcome = task(throttledProgress(send))
    .catch(errorEvent)
    .then((last) => {
      send(last);
      if (open) controller.close();
      open = false;
      return last;
    });
  const response = new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Cache-Control": "no-store",
      // a buffering reverse proxy (nginx) would hold the progress back until the end
      "X-Accel-Buffering": "no",
    },
  });
  return { response, outcome };
}
