// CSV export of the filtered audit trail. A route handler: it checks the session and permission itself.
import { auditCsv, AuditFilterSchema } from "@/lib/audit/query";
import { can } from "@/lib/auth/guard";
import { currentActor } from "../../../_lib/session";
import { downloadResponse, errorResponse } from "../../../_lib/http";
import { DomainError } from "@/lib/errors";

export async function GET(request: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) throw new DomainError("unauthenticated", "Sign in to export the audit trail.");
    if (!can(actor, "audit.read")) throw new DomainError("forbidden", "Your role cannot read the audit trail.");
    const filter = AuditFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return downloadResponse(auditCsv(actor, filter), "keyshift-audit");
  } catch (error) {
    return errorResponse(error);
  }
}
