// The campaign report as CSV: every client of the cohort with its stage. A route handler: it checks the
// session and the role itself (campaignReportCsv reads through getCampaign, which checks client.read).
import { campaignReportCsv, linesOf } from "@/lib/campaigns/report";
import { DomainError } from "@/lib/errors";
import { currentActor } from "../../../../_lib/session";
import { downloadResponse, errorResponse } from "../../../../_lib/http";

export async function GET(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) throw new DomainError("unauthenticated", "Sign in to export a campaign report.");
    const { id } = await context.params;
    const report = await campaignReportCsv(actor, id);
    return downloadResponse(linesOf(report.lines), report.name);
  } catch (error) {
    return errorResponse(error);
  }
}
