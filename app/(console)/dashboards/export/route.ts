// CSV export of any dashboard table: /dashboards/export?table=<name> (lib/metrics/csv-tables.ts names
// them). A route handler: it checks the session and the table's permission itself.
import { can } from "@/lib/auth/guard";
import { DomainError, notFound } from "@/lib/errors";
import { csvTableDefinition, csvTableLines } from "@/lib/metrics/csv-tables";
import { currentActor } from "../../../_lib/session";
import { downloadResponse, errorResponse } from "../../../_lib/http";

export async function GET(request: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) throw new DomainError("unauthenticated", "Sign in to export dashboard tables.");
    const name = new URL(request.url).searchParams.get("table") ?? "";
    const definition = csvTableDefinition(name);
    if (!definition) throw notFound("Dashboard table");
    if (!can(actor, definition.permission)) throw new DomainError("forbidden", "Your role cannot read this table.");
    // built before the response starts, so a failure is an error response rather than a cut-off file
    const table = await definition.build(actor, new Date());
    return downloadResponse(csvTableLines(table), `keyshift-${name}`);
  } catch (error) {
    return errorResponse(error);
  }
}
