// The console's import upload, shared by the dry run (server action, actions.ts) and the real run
// (streaming route handler, run/route.ts): reading the form into inventory rows, and shaping what the
// page is sent back.
import { invalid } from "@/lib/errors";
import { readInventoryCsv } from "@/lib/inventory/csv";
import type { ImportPlan } from "@/lib/inventory/import";
import { readKeycloakExport } from "@/lib/inventory/keycloak";
import type { InventoryFormat, InventoryRow } from "@/lib/inventory/rows";

// larger files go through the admin CLI (next.config.mjs allows server-action bodies a little above this)
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
// the page lists at most this many rows; the totals always count every row
const SHOWN_ROWS = 1000;

export type ImportUpload = { rows: InventoryRow[]; file: string; format: InventoryFormat };
export type ImportResult = { plan: ImportPlan; applied: boolean; file: string; hiddenRows: number };

/** The rows of the uploaded file; a Keycloak export takes environment, team and contact from the form. */
export async function readImportUpload(formData: FormData): Promise<ImportUpload> {
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) throw invalid("Choose a file to import.", { file: "Choose a CSV file or a Keycloak realm export" });
  if (file.size > MAX_IMPORT_BYTES) throw invalid("The file is larger than 5 MB; import it with the admin CLI.", { file: "At most 5 MB here" });
  const format = formData.get("format") === "keycloak" ? "keycloak" : "csv";
  const text = await file.text();
  if (format === "csv") return { rows: readInventoryCsv(text), file: file.name, format };
  const defaults = {
    environment: String(formData.get("environment") ?? ""),
    team: String(formData.get("team") ?? ""),
    contactEmail: String(formData.get("contactEmail") ?? ""),
  };
  return { rows: readKeycloakExport(text, defaults), file: file.name, format };
}

/** What the page shows of a plan: every total, but no more than SHOWN_ROWS rows of the table. */
export function importResult(plan: ImportPlan, applied: boolean, file: string): ImportResult {
  return { plan: { entries: plan.entries.slice(0, SHOWN_ROWS), totals: plan.totals }, applied, file, hiddenRows: Math.max(0, plan.entries.length - SHOWN_ROWS) };
}

export function importMessage({ plan: { totals }, applied, file }: ImportResult): string {
  return applied ? `Imported ${file}: ${totals.create} created, ${totals.update} updated, ${totals.skip} skipped.` : `Dry run of ${file}: nothing was written.`;
}
