// CSV export of the filtered audit trail. A route handler: it checks the session and permission itself.
import { auditCsv, AuditFilterSchema } from "@/lib/audit/query";
import { can } from "@/lib/auth/guard";
import { currentActor } from "../../../_lib/session";
import { errorResponse } from "../../../_lib/http";
import { DomainError } from "@/lib/errors";

export async function GET(request: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) throw new DomainError("unauthenticated", "Sign in to export the audit trail.");
    if (!can(actor, "audit.read")) throw new DomainError("forbidden", "Your role cannot read the audit trail.");
    const filter = AuditFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const lines = auditCsv(actor, filter);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "");
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="keyshift-audit-${stamp}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
