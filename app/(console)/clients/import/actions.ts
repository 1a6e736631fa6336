"use server";
import { planImport } from "@/lib/inventory/import";
import { runAction, type ActionResult } from "../../../_lib/actions";
import { importMessage, importResult, readImportUpload, type ImportResult } from "./upload";

/**
 * The dry run: what importing the file would do, row by row, writing nothing. The real run goes through
 * run/route.ts, which streams its progress (a server action answers only once, at the end).
 */
export async function dryRunImportAction(_prev: unknown, formData: FormData): Promise<ActionResult<ImportResult>> {
  return runAction(async (actor) => {
    const { rows, file } = await readImportUpload(formData);
    return importResult(await planImport(actor, rows), false, file);
  }, importMessage);
}
