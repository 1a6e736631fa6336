// One error type for the domain. Entry points map it to an HTTP status or a form result
// (app/_lib/results.ts); anything else is unexpected and becomes a generic message.
export type ErrorCode = "malformed" | "invalid" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "throttled";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  malformed: 400,
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  throttled: 429,
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const forbidden = (message = "You do not have permission to do this.") => new DomainError("forbidden", message);
export const notFound = (what: string) => new DomainError("not_found", `${what} was not found.`);
export const conflict = (message: string, fields?: Record<string, string>) => new DomainError("conflict", message, fields);
export const invalid = (message: string, fields?: Record<string, string>) => new DomainError("invalid", message, fields);
export const malformed = (message: string) => new DomainError("malformed", message);
