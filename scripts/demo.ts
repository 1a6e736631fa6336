// `npm run demo`: the same start, with a realistic demo dataset loaded first (once).
import { prepare, serve } from "./start";

async function main() {
  await prepare();
  const { seedDemo } = await import("./demo-data");
  const result = await seedDemo({ log: (line) => console.log(`demo: ${line}`) });
  if (result.created) {
    console.log(`demo: loaded ${result.clients} clients. Demo users (password in README):`);
    for (const u of result.users) console.log(`demo:   ${u.role.padEnd(8)} ${u.email}`);
  } else {
    console.log("demo: dataset already loaded");
  }
  const { disconnect, refreshPlannerStatistics } = await import("../lib/db");
  await refreshPlannerStatistics();
  await disconnect();
  serve(process.argv.includes("--dev"));
}

main().catch((error) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
