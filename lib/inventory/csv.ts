// Reading an inventory CSV file. A small RFC 4180 parser: no dependency for a format this size, and
// the rules Keyshift accepts stay visible here.
import { invalid } from "../errors";
import { INVENTORY_COLUMNS, REQUIRED_COLUMNS, type InventoryColumn, type InventoryRow } from "./rows";

export type CsvRecord = { line: number; cells: string[] };

/**
 * RFC 4180: fields separated by commas, records by CRLF (a bare LF is accepted too); a field may be
 * enclosed in double quotes, and then may contain commas, line breaks and "" for a quote. A leading
 * byte order mark is dropped and blank lines are skipped. Each record carries the line it starts on.
 */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let cell = "";
  let quoted = false; // the current field was quoted: "" is then a field, and nothing may follow the quote
  const endField = () => {
    cells.push(cell);
    cell = "";
    quoted = false;
  };
  const endRecord = () => {
    const blank = cells.length === 0 && cell === "" && !quoted;
    endField();
    if (!blank) records.push({ line: recordLine, cells });
    cells = [];
  };
  let i = 0;
  while (i < input.length) {
    const char = input[i];
    if (char === '"' && cell === "" && !quoted) {
      // a quoted field runs to the next quote that is not doubled
      const start = line;
      quoted = true;
      i++;
      for (;;) {
        if (i >= input.length) throw invalid(`CSV line ${start}: a quoted field is never closed.`);
        if (input[i] === '"' && input[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (input[i] === '"') {
          i++;
          break;
        } else {
          if (input[i] === "\n") line++;
          cell += input[i++];
        }
      }
      const next = input[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        throw invalid(`CSV line ${line}: unexpected text after a closing quote (a quote inside a field is written "").`);
      }
    } else if (char === ",") {
      endField();
      i++;
    } else if (char === "\r" || char === "\n") {
      i += char === "\r" && input[i + 1] === "\n" ? 2 : 1;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += char;
      i++;
    }
  }
  if (cells.length || cell !== "" || quoted) endRecord();
  return records;
}

const ALIASES: Record<string, InventoryColumn> = { contact: "contact_email", auth: "auth_method", authentication_method: "auth_method", grants: "grant_types" };

function columnOf(header: string): InventoryColumn | undefined {
  const key = header.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return (INVENTORY_COLUMNS as readonly string[]).includes(key) ? (key as InventoryColumn) : ALIASES[key];
}

/** The rows of an inventory CSV (columns documented in ./rows.ts); a header row is required. */
export function readInventoryCsv(text: string): InventoryRow[] {
  const [header, ...records] = parseCsv(text);
  if (!header) throw invalid("The CSV file is empty: it needs a header row naming the columns.");
  const columns = header.cells.map(columnOf);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) throw invalid(`The CSV header has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""} (found: ${header.cells.join(", ")}).`);
  return records.map(({ line, cells }) => {
    const values: InventoryRow["values"] = {};
    columns.forEach((column, index) => {
      if (column && values[column] === undefined) values[column] = cells[index] ?? "";
    });
    const row: InventoryRow = { ref: `line ${line}`, values };
    if (cells.length > header.cells.length) row.error = `${cells.length} fields, but the header names ${header.cells.length}`;
    return row;
  });
}
