import { campaignReportCsv, linesOf } from "@/lib/campaigns/report";
import { downloadResponse } from "../../../../../_lib/http";
import { apiRoute } from "../../../_lib/route";

type P = { campaignId: string };

/** The campaign report as CSV: every client with its stage. */
export const GET = apiRoute<P>(async ({ actor, params }) => {
  const report = await campaignReportCsv(actor, params.campaignId);
  return downloadResponse(linesOf(report.lines), report.name);
});
