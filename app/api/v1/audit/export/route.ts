import { apiAuditCsv } from "@/lib/api/directory";
import { apiRoute } from "../../_lib/route";
import { csvResponse } from "../../../../_lib/http";

export const GET = apiRoute(async ({ actor, request }) => csvResponse(apiAuditCsv(actor, new URL(request.url).searchParams), "keyshift-audit"));
