// The registry as CSV (the import's columns, so it re-imports cleanly) or JSON. Checks the session itself.
import { can } from "@/lib/auth/guard";
import { DomainError } from "@/lib/errors";
import { exportClients } from "@/lib/inventory/export";
import { currentActor } from "../../../_lib/session";
import { downloadResponse, errorResponse } from "../../../_lib/http";

export async function GET(request: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) throw new DomainError("unauthenticated", "Sign in to export the registry.");
    if (!can(actor, "client.read")) throw new DomainError("forbidden", "Your role cannot read the registry.");
    const format = new URL(request.url).searchParams.get("format") === "json" ? "json" : "csv";
    return downloadResponse(exportClients(actor, format), "keyshift-clients", format);
  } catch (error) {
    return errorResponse(error);
  }
}
