// Fixtures for the notification tests: a webhook receiver on 127.0.0.1 that verifies every event it gets
// with jose against Keyshift's published JWKS (as a real receiver would, no shared secret), a local SMTP
// sink that keeps the messages it receives, and schedulers in child processes sharing the test database.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { SMTPServer } from "smtp-server";
import { issuer } from "@/lib/config";
import { databaseUrl } from "@/lib/db/url";
import type { EventPayload } from "@/lib/notify/events";
import { publishedJwks } from "@/lib/oauth/server-keys";

const root = path.resolve(__dirname, "..", "..");

export type ReceivedEvent = { contentType: string | undefined; jws: string; kid: string | undefined; claims: JWTPayload & { events: Record<string, EventPayload> }; event: EventPayload; path: string };

export type Receiver = {
  url: string;
  /** events whose signature verified, in arrival order */
  events: ReceivedEvent[];
  /** bodies that did not verify (must stay empty) */
  rejected: string[];
  /** how many requests came in at all */
  requests: number;
  /** the jti of every request that verified, whatever the receiver answered */
  jtis: string[];
  /** the status to answer for the next requests (a queue; the last stays) */
  answer: (...statuses: number[]) => void;
  /** how long the receiver takes to answer (a slow receiver keeps deliveries in flight) */
  delayMs: number;
  close: () => Promise<void>;
};

/** A webhook receiver verifying each event against the JWKS Keyshift publishes, with aud = its own URL. */
export async function startReceiver(): Promise<Receiver> {
  const statuses: number[] = [202];
  let origin = "";
  const receiver = { events: [] as ReceivedEvent[], rejected: [] as string[], requests: 0, jtis: [] as string[], delayMs: 0 } as Receiver;
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", async () => {
      receiver.requests++;
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0];
      try {
        const jwks = createLocalJWKSet(await publishedJwks(new Date()));
        const { payload } = await jwtVerify(body, jwks, { issuer: issuer(), audience: `${origin}${request.url}`, typ: "secevent+jwt" });
        const claims = payload as ReceivedEvent["claims"];
        receiver.jtis.push(String(claims.jti));
        if (status >= 200 && status < 300) {
          receiver.events.push({ contentType: request.headers["content-type"], jws: body, kid: decodeProtectedHeader(body).kid, claims, event: Object.values(claims.events)[0], path: request.url ?? "" });
        }
      } catch (error) {
        receiver.rejected.push(`${(error as Error).message}: ${body.slice(0, 80)}`);
      }
      setTimeout(() => {
        response.writeHead(status, { "content-type": "text/plain" });
        response.end(status >= 400 ? "receiver says no" : "");
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // aud is the URL the event was sent to: a receiver checks it is its own
  receiver.url = `${origin}/hook`;
  receiver.answer = (...next: number[]) => statuses.splice(0, statuses.length, ...next);
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

export type Mail = { from: string; to: string[]; raw: string; subject: string; text: string };

export type SmtpSink = {
  url: string;
  mails: Mail[];
  /** SMTP reply codes to refuse the next messages with (a queue, replaced by each call), e.g. 451 for a temporary failure */
  refuse: (...codes: number[]) => void;
  close: () => Promise<void>;
};

/** Undoes quoted-printable soft breaks and escapes so a test can search the message text. */
function decodeQuotedPrintable(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  // the escapes are UTF-8 bytes
  return Buffer.from(bytes, "latin1").toString("utf8");
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: Mail[] = [];
  const refusals: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        const code = refusals.shift();
        if (code) return callback(Object.assign(new Error("mailbox busy, try later"), { responseCode: code }));
        const text = decodeQuotedPrintable(raw);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? "",
          text,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}/?ignoreTLS=true`,
    mails,
    refuse: (...codes: number[]) => void refusals.splice(0, refusals.length, ...codes),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A scheduler pass in another process on the test database, starting at `startAt` (epoch ms) so that
 * several processes overlap; resolves with the pass's result.
 */
export function passInChildProcess(now: Date, startAt: number): Promise<{ recorded: number; webhooks: number; digests: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), [path.join(__dirname, "notify-pass.ts"), now.toISOString(), String(startAt)], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl(), LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`scheduler process exited with ${code}:\n${out}`));
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`scheduler process printed no result:\n${out}`));
      }
    });
  });
}
