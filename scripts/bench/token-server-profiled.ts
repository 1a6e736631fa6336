// The token server (scripts/token-server.ts's createTokenServer) with a CPU profiler that the benchmark
// switches on and off over IPC, so the profile covers exactly one timed cell and nothing of start-up or
// warm-up. Used only by `npm run bench:token` for its profile step; the table measures the real script.
// One process that checks signatures and signs tokens inline, as each worker of the default (a worker
// per core) does.
import fs from "node:fs";
import { Session } from "node:inspector";
import { runSignaturesInline } from "../../lib/oauth/assertion";
import { ensureServerKeys } from "../../lib/oauth/server-keys";
import { createTokenServer } from "../token-server";

const session = new Session();
session.connect();
const post = <T = unknown>(method: string, params: Record<string, unknown> = {}) =>
  new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));

type Message = { type: "profile-start"; intervalUs: number } | { type: "profile-stop"; file: string };

async function main(): Promise<void> {
  await ensureServerKeys();
  runSignaturesInline(true);
  const server = createTokenServer();
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.TOKEN_PORT), () => process.send?.({ type: "listening" }));
  process.on("message", (message: Message) => {
    if (message.type === "profile-start") {
      void post("Profiler.enable")
        .then(() => post("Profiler.setSamplingInterval", { interval: message.intervalUs }))
        .then(() => post("Profiler.start"))
        .then(() => process.send?.({ type: "profile-started" }));
    } else if (message.type === "profile-stop") {
      void post<{ profile: unknown }>("Profiler.stop").then(({ profile }) => {
        fs.writeFileSync(message.file, JSON.stringify(profile));
        process.send?.({ type: "profile-written", file: message.file });
      });
    }
  });
  process.once("SIGTERM", () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`token-server-profiled: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
