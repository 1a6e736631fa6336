// The one wrapper every server action goes through: resolve the actor from the session (role from the
// database), run one domain function, and map its outcome to a result the form can show.
import type { UserActor } from "@/lib/auth/actor";
import { DomainError, invalid } from "@/lib/errors";
import { logUnexpected } from "@/lib/log";
import { currentActor } from "./session";

export type ActionResult<T = unknown> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; message: string; fields?: Record<string, string> };

export function toActionError(error: unknown): ActionResult<never> {
  if (error instanceof DomainError) return { ok: false, message: error.message, fields: error.fields };
  const requestId = logUnexpected(error, "server action failed");
  return { ok: false, message: `Something went wrong on our side (reference ${requestId}). Nothing was changed.` };
}

export async function runAction<T>(fn: (actor: UserActor) => Promise<T>, message?: string | ((data: T) => string)): Promise<ActionResult<T>> {
  const actor = await currentActor();
  if (!actor) return { ok: false, message: "Your session has ended. Sign in again." };
  try {
    const data = await fn(actor);
    return { ok: true, data, message: typeof message === "function" ? message(data) : message };
  } catch (error) {
    return toActionError(error);
  }
}

/** FormData as a plain object; keys that occur several times (checkbox groups) become arrays. */
export function formObject(formData: FormData, arrays: readonly string[] = []): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key).map((v) => (typeof v === "string" ? v : ""));
    result[key] = arrays.includes(key) ? values : values[0];
  }
  for (const key of arrays) result[key] ??= [];
  return result;
}

/** A text field of a submitted form ("" when absent or a file). */
export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/**
 * A date field sent as ISO 8601 (the form's LocalDateTimeInput converts the person's local time);
 * empty is null, anything unreadable an `invalid` error naming the field.
 */
export function formDate(formData: FormData, name: string): Date | null {
  const value = formText(formData, name).trim();
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid("Enter a valid date and time.", { [name]: "Not a date" });
  return date;
}
