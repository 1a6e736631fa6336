// The campaign report a reviewer files: every client of the cohort with its stage, as CSV (formula-safe
// cells, like the audit export). The printable page (app/(console)/campaigns/[id]/report) shows the
// same figures with the campaign's history.
import type { Actor } from "../auth/actor";
import { csvLine } from "../audit/query";
import { ageInDays } from "../secrets/status";
import { campaignReportRows } from "./queries";
import { STAGE_LABELS } from "./stages";

export const REPORT_COLUMNS = [
  "client_id", "name", "environment", "owner_team", "contact_email", "status", "stage", "stage_label", "done", "overdue",
  "auth_method", "migration_state", "dual_until", "first_assertion_at", "secret_age_days", "last_authenticated_at", "last_method", "added_at",
] as const;

/** The whole report, built before the response starts so a failure is an error rather than a cut-off file. */
export async function campaignReportCsv(actor: Actor, campaignId: string, now = new Date()): Promise<{ name: string; lines: string[] }> {
  const { campaign, rows } = await campaignReportRows(actor, campaignId, now);
  const lines = [csvLine([...REPORT_COLUMNS])];
  for (const r of rows) {
    lines.push(
      csvLine([
        r.clientId, r.name, r.environment, r.ownerTeam.name, r.contactEmail, r.status, r.stage, STAGE_LABELS[r.stage],
        r.stage === "finalised" || r.stage === "rotated" || r.stage === "deleted", r.overdue,
        r.authMethod, r.migrationState, r.dualUntil, r.firstAssertionAt, r.secretCreatedAt ? ageInDays(r.secretCreatedAt, now) : null, r.lastAuthAt, r.lastAuthMethod, r.addedAt,
      ]),
    );
  }
  const slug = campaign.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "campaign";
  return { name: `keyshift-campaign-${slug}`, lines };
}

export async function* linesOf(lines: string[]): AsyncGenerator<string> {
  for (const line of lines) yield line;
}
