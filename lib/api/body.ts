// Reading fields of a JSON request body for the REST API: unknown fields are refused (never silently
// ignored), and every type mistake names its field.
import { invalid } from "../errors";

export type Body = Record<string, unknown>;

/** Refuses any field not in `allowed`, naming each. */
export function onlyFields(body: Body, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) throw invalid(`Unknown field${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}.`, Object.fromEntries(unknown.map((k) => [k, "Unknown field"])));
}

export function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalid(`${field} must be a string.`, { [field]: "Not a string" });
  return value;
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw invalid(`${field} must be true or false.`, { [field]: "Not a boolean" });
  return value;
}

/** An ISO 8601 date-time, or null when absent. */
export function optionalDate(body: Body, field: string): Date | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  const date = typeof value === "string" ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw invalid(`${field} must be an ISO 8601 date-time.`, { [field]: "Not a date-time" });
  return date;
}
