// One notification pass in its own process (tests/integration/notify-*.test.ts): argv is the pass's
// `now` (ISO 8601) and the epoch milliseconds to start at, so several processes overlap. Prints the result.
import { disconnect } from "../../lib/db";
import { runNotificationPass } from "../../lib/notify/scheduler";

async function main(): Promise<void> {
  const [nowText, startAtText] = process.argv.slice(2);
  const wait = Number(startAtText) - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const result = await runNotificationPass(new Date(nowText));
  await disconnect();
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
