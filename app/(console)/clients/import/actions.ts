"use server";
import { revalidatePath } from "next/cache";
import { invalid } from "@/lib/errors";
import { readInventoryCsv } from "@/lib/inventory/csv";
import { applyImport, planImport, type ImportPlan } from "@/lib/inventory/import";
import { readKeycloakExport } from "@/lib/inventory/keycloak";
import type { InventoryRow } from "@/lib/inventory/rows";
import { runAction, type ActionResult } from "../../../_lib/actions";

// larger files go through the admin CLI (next.config.mjs allows server-action bodies a little above this)
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
// the page lists at most this many rows; the totals always count every row
const SHOWN_ROWS = 1000;

export type ImportResult = { plan: ImportPlan; applied: boolean; file: string; hiddenRows: number };

async function readRows(formData: FormData): Promise<{ rows: InventoryRow[]; file: string; format: "csv" | "keycloak" }> {
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

/** Dry run or real run of the same file: the real run re-plans and writes all of it or nothing. */
export async function importAction(_prev: unknown, formData: FormData): Promise<ActionResult<ImportResult>> {
  const apply = formData.get("intent") === "apply";
  const result = await runAction(
    async (actor) => {
      const { rows, file, format } = await readRows(formData);
      const plan = apply ? await applyImport(actor, rows, { source: { format, file } }) : await planImport(actor, rows);
      return { plan: { ...plan, entries: plan.entries.slice(0, SHOWN_ROWS) }, applied: apply, file, hiddenRows: Math.max(0, plan.entries.length - SHOWN_ROWS) };
    },
    (r) =>
      r.applied
        ? `Imported ${r.file}: ${r.plan.totals.create} created, ${r.plan.totals.update} updated, ${r.plan.totals.skip} skipped.`
        : `Dry run of ${r.file}: nothing was written.`,
  );
  if (result.ok && apply) revalidatePath("/clients");
  return result;
}
