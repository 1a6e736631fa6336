// Structured server log. Credential material never reaches it: known sensitive keys are redacted, and
// callers log identifiers (client_id, secret id, hint), never values.
import crypto from "node:crypto";
import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "keyshift" },
  redact: {
    paths: ["password", "secret", "token", "*.password", "*.secret", "*.token", "*.client_secret", "*.client_assertion", "headers.authorization", "headers.cookie"],
    censor: "[redacted]",
  },
});

/** Logs an unexpected error with a fresh reference the caller can show instead of the details. */
export function logUnexpected(error: unknown, what: string): string {
  const requestId = crypto.randomUUID();
  log.error({ err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error), requestId }, what);
  return requestId;
}
