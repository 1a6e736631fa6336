import { apiAuditCsv } from "@/lib/api/directory";
import { apiRoute } from "../../_lib/route";
import { downloadResponse } from "../../../../_lib/http";

export const GET = apiRoute(async ({ actor, request }) => downloadResponse(apiAuditCsv(actor, new URL(request.url).searchParams), "keyshift-audit"));
