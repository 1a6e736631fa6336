// Input of a notification route, one schema for the console form and the API. A webhook target must be
// https (plain http only to this machine's loopback, for a local receiver); every address it resolves to
// is checked again at each send (lib/net/guarded-fetch.ts), so a route cannot reach internal services.
import { isIP } from "node:net";
import { z } from "zod";
import { checkAddress, fetchAllowList } from "../net/ssrf";

export const CHANNELS = ["webhook", "email"] as const;
export type Channel = (typeof CHANNELS)[number];

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const MAX_URL = 2048;

/** localhost, 127.0.0.0/8 and ::1: the only hosts a webhook may reach over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

/** Why a webhook URL cannot be used, or null. IP literals are checked against the SSRF guard now. */
export function webhookUrlProblem(value: string): string | null {
  if (value.length > MAX_URL) return `At most ${MAX_URL} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Not an absolute URL";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    return url.protocol === "http:" ? "https required (plain http only to localhost)" : "An https URL";
  }
  if (url.username || url.password) return "No user:password@ in the URL: receivers verify the signature instead";
  if (url.hash) return "No fragment (#…)";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const literal = host === "localhost" ? "127.0.0.1" : host;
  if (isIP(literal)) {
    const verdict = checkAddress(literal, fetchAllowList());
    if (!verdict.allowed) return `${host} is ${verdict.reason}; webhooks are not sent there`;
  }
  return null;
}

const name = z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(100, "At most 100 characters");

export const RouteInputSchema = z
  .object({
    // "" (the form's organisation option) or absent: the organisation-wide fallback route
    teamId: z.preprocess((v) => (v === "" || v === "organisation" ? null : v), z.string().trim().min(1).nullable().default(null)),
    name,
    channel: z.enum(CHANNELS, { error: "Choose webhook or email" }),
    target: z.string({ error: "Enter a URL or an email address" }).trim().min(1, "Enter a URL or an email address"),
  })
  .superRefine((value, ctx) => {
    if (value.channel === "webhook") {
      const problem = webhookUrlProblem(value.target);
      if (problem) ctx.addIssue({ code: "custom", path: ["target"], message: problem });
    } else if (!z.email().safeParse(value.target).success || value.target.length > 320) {
      ctx.addIssue({ code: "custom", path: ["target"], message: "Enter a valid email address" });
    }
  })
  .transform((value) => ({ ...value, target: value.channel === "email" ? value.target.toLowerCase() : new URL(value.target).href }));

export type RouteInput = z.infer<typeof RouteInputSchema>;
