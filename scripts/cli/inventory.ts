// `import` and `export`: the client inventory in and out (lib/inventory), as the system actor "cli".
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { invalid } from "../../lib/errors";
import { readInventoryCsv } from "../../lib/inventory/csv";
import { exportClients, type ExportFormat } from "../../lib/inventory/export";
import { applyImport, planImport, type ImportTotals, type PlanEntry } from "../../lib/inventory/import";
import { readKeycloakExport, type KeycloakDefaults } from "../../lib/inventory/keycloak";
import type { InventoryFormat, InventoryRow } from "../../lib/inventory/rows";
import { parseOptions, required } from "./args";
import { EXIT, UsageError } from "./usage";
import { CLI_ACTOR, openDatabase, type Command } from "./context";

const PROGRESS_EVERY = 500;
const say = (line: string) => process.stderr.write(`keyshift: ${line}\n`);

function planLine(e: PlanEntry): string {
  const subject = `${e.action.padEnd(7)} ${e.ref.padEnd(12)} ${e.clientId || "(no client_id)"}`;
  const why = e.action === "update" ? `changes ${Object.keys(e.changed ?? {}).join(", ")}` : e.reasons.join("; ");
  const notes = e.notes.length ? ` (${e.notes.join("; ")})` : "";
  return `${subject}${why ? `: ${why}` : ""}${notes}`;
}

const totalsLine = (t: ImportTotals) => `${t.rows} rows: ${t.create} to create, ${t.update} to update, ${t.skip} skipped, ${t.invalid} invalid`;

function readRows(file: string, format: InventoryFormat, keycloak: KeycloakDefaults | null): InventoryRow[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw invalid(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}.`);
  }
  return keycloak ? readKeycloakExport(text, keycloak) : readInventoryCsv(text);
}

export const importInventory: Command = async (args) => {
  const values = parseOptions("import", args, {
    file: { type: "string" },
    format: { type: "string" },
    "dry-run": { type: "boolean" },
    environment: { type: "string" },
    team: { type: "string" },
    contact: { type: "string" },
  });
  const file = required("import", values, "file");
  const format = values.format ?? (file.toLowerCase().endsWith(".json") ? "keycloak" : "csv");
  if (format !== "csv" && format !== "keycloak") throw new UsageError(`import: --format is csv or keycloak, not ${format}`);
  if (format === "csv" && (values.environment || values.team || values.contact)) {
    throw new UsageError("import: --environment, --team and --contact apply to --format keycloak (a CSV file names them per row)");
  }
  // Keycloak has no environment, owner team or contact: the command line gives them to every client
  const keycloak =
    format === "keycloak"
      ? { environment: required("import", values, "environment"), team: required("import", values, "team"), contactEmail: required("import", values, "contact") }
      : null;
  await openDatabase();
  const rows = readRows(file, format, keycloak);
  const plan = await planImport(CLI_ACTOR, rows);
  for (const entry of plan.entries) process.stdout.write(`${planLine(entry)}\n`);
  process.stdout.write(`${totalsLine(plan.totals)}\n`);
  if (values["dry-run"]) {
    say("dry run: nothing was written");
    return EXIT.ok;
  }
  if (plan.totals.invalid) {
    say(`${plan.totals.invalid} invalid row(s): nothing was imported (the import is all or nothing)`);
    return EXIT.refused;
  }
  const source = { format, file: path.basename(file) } as const;
  const done = await applyImport(CLI_ACTOR, rows, {
    source,
    onProgress: (n, total) => {
      if (n % PROGRESS_EVERY === 0 || n === total) say(`imported ${n} of ${total}`);
    },
  });
  const t = done.totals;
  say(`imported ${source.file}: ${t.create} created, ${t.update} updated, ${t.skip} skipped`);
  return EXIT.ok;
};

export const exportInventory: Command = async (args) => {
  const values = parseOptions("export", args, { format: { type: "string" }, out: { type: "string" } });
  const format = values.format ?? "csv";
  if (format !== "csv" && format !== "json") throw new UsageError(`export: --format is csv or json, not ${format}`);
  await openDatabase();
  const out = values.out ? fs.createWriteStream(values.out) : process.stdout;
  await pipeline(Readable.from(exportClients(CLI_ACTOR, format as ExportFormat)), out);
  if (values.out) say(`exported the registry to ${values.out}`);
  return EXIT.ok;
};
