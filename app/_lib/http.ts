// Route handlers answer errors in one body shape: { error: { code, message, fields? } } (DESIGN.md).
import { DomainError, HTTP_STATUS } from "@/lib/errors";
import { logUnexpected } from "@/lib/log";

export function errorResponse(error: unknown): Response {
  if (error instanceof DomainError) {
    return Response.json({ error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } }, { status: HTTP_STATUS[error.code] });
  }
  const requestId = logUnexpected(error, "route handler failed");
  return Response.json({ error: { code: "internal", message: `Internal error (reference ${requestId}).` } }, { status: 500 });
}

/** Streams text chunks as a download named `<name>-<timestamp>.<extension>`. */
export function downloadResponse(chunks: AsyncGenerator<string>, name: string, type: "csv" | "json" = "csv"): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "");
  return new Response(body, {
    headers: {
      "Content-Type": type === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${stamp}.${type}"`,
      "Cache-Control": "no-store",
    },
  });
}
