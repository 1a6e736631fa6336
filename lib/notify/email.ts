// Email: one digest per recipient and UTC day, sent through SMTP (KEYSHIFT_SMTP_URL, nodemailer) when
// configured. A digest lists each event's summary with a link back to the console.
import nodemailer, { type Transporter } from "nodemailer";
import { consoleUrl } from "../config";
import type { Env } from "../db/url";
import type { EventPayload } from "./events";

export function smtpUrl(env: Env = process.env): string | null {
  return env.KEYSHIFT_SMTP_URL?.trim() || null;
}

export function emailEnabled(env: Env = process.env): boolean {
  return smtpUrl(env) !== null;
}

/** The sender: KEYSHIFT_SMTP_FROM, else keyshift@ the console's host. */
export function senderAddress(env: Env = process.env): string {
  const configured = env.KEYSHIFT_SMTP_FROM?.trim();
  if (configured) return configured;
  const host = new URL(consoleUrl(env)).hostname;
  return `Keyshift <keyshift@${host.includes(".") ? host : `${host}.localdomain`}>`;
}

/** A UTC day as YYYY-MM-DD. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** The unique key of a recipient's digest for a day: at most one such email a day. */
export const digestKey = (recipient: string, at: Date) => `${recipient.toLowerCase()} ${utcDay(at)}`;

/** Deliveries waiting for email grouped by recipient: one digest each. */
export function groupByRecipient<T extends { target: string }>(deliveries: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const delivery of deliveries) {
    const key = delivery.target.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), delivery]);
  }
  return groups;
}

export type DigestMail = { subject: string; text: string; html: string };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The digest's subject and bodies; events in the order given (the caller sorts them, oldest first). */
export function renderDigest(events: readonly { id: string; payload: EventPayload }[], day: string, base: string = consoleUrl()): DigestMail {
  const isTest = events.length === 1 && events[0].payload.type === "test";
  const subject = isTest ? "Keyshift: test notification" : `Keyshift: ${events.length} notice${events.length === 1 ? "" : "s"} for ${day}`;
  const log = `${base}/notifications`;
  const lines = events.map((e) => `- ${e.payload.summary}\n  ${e.payload.link}\n  event ${e.id}`);
  const text = [`${subject}\n`, ...lines, "", `Delivery log and routes: ${log}`].join("\n");
  const items = events
    .map((e) => `<li><a href="${escapeHtml(e.payload.link)}">${escapeHtml(e.payload.summary)}</a><br><small>event ${escapeHtml(e.id)}</small></li>`)
    .join("");
  const html = `<p>${escapeHtml(subject)}</p><ul>${items}</ul><p><a href="${escapeHtml(log)}">Delivery log and routes</a></p>`;
  return { subject, text, html };
}

let cached: { url: string; transport: Transporter } | undefined;

function transport(url: string): Transporter {
  if (cached?.url !== url) cached = { url, transport: nodemailer.createTransport(url) };
  return cached.transport;
}

export type MailOutcome = { ok: true; status: number } | { ok: false; status: number | null; message: string };

/** Sends one message; the outcome, never an exception (the SMTP URL, which may hold a password, is never in it). */
export async function sendMail(to: string, mail: DigestMail): Promise<MailOutcome> {
  const url = smtpUrl();
  if (!url) return { ok: false, status: null, message: "Email is not configured (KEYSHIFT_SMTP_URL)." };
  try {
    const info = (await transport(url).sendMail({ from: senderAddress(), to, subject: mail.subject, text: mail.text, html: mail.html })) as { response?: string };
    return { ok: true, status: Number(/^\d{3}/.exec(info.response ?? "")?.[0] ?? 250) };
  } catch (error) {
    const failed = error as { responseCode?: number; code?: string; message?: string };
    const message = (failed.message ?? String(error)).replaceAll(url, "[smtp url]").slice(0, 500);
    return { ok: false, status: failed.responseCode ?? null, message: `SMTP: ${message}` };
  }
}
