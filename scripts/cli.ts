// `npm run keyshift -- <command>`: the admin CLI, for automation and for recovery without a browser
// (usage and exit statuses in scripts/cli/usage.ts, or `npm run keyshift -- help`).
import { ConfigError } from "../lib/config";
import { disconnect } from "../lib/db";
import { DomainError } from "../lib/errors";
import { COMMANDS } from "./cli/commands";
import { CliFailure, EXIT, USAGE, UsageError } from "./cli/usage";

// domain field names shown as the options that carry them
const OPTION_OF_FIELD: Record<string, string> = { teamIds: "team", expiresInDays: "expires-in" };

async function main(argv: string[]): Promise<number> {
  if (!argv.length || argv[0] === "help" || argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const [group, action, ...args] = argv;
  const actions = COMMANDS[group];
  if (!actions) throw new UsageError(`unknown command '${group}' (commands: ${Object.keys(COMMANDS).join(", ")}, help)`);
  if (typeof actions === "function") return actions(argv.slice(1));
  const run = action === undefined ? undefined : actions[action];
  if (!run) {
    const known = Object.keys(actions).join(", ");
    throw new UsageError(action === undefined ? `${group}: which command? (${known})` : `unknown command '${group} ${action}' (${group} commands: ${known})`);
  }
  return run(args);
}

/** Maps what went wrong to a message on standard error and the documented exit status. */
function report(error: unknown): number {
  const say = (line: string) => process.stderr.write(`keyshift: ${line}\n`);
  if (error instanceof UsageError) {
    say(error.message);
    say("run `npm run keyshift -- help` for the commands, their options and the exit statuses");
    return EXIT.usage;
  }
  if (error instanceof DomainError) {
    say(error.message);
    for (const [field, message] of Object.entries(error.fields ?? {})) {
      process.stderr.write(field === "_" ? `  ${message}\n` : `  --${OPTION_OF_FIELD[field] ?? field}: ${message}\n`);
    }
    return EXIT.refused;
  }
  if (error instanceof ConfigError || error instanceof CliFailure) {
    say(error.message);
    return EXIT.unexpected;
  }
  // unexpected: the details may name hosts or data, so they are shown only when asked for
  say("unexpected error (set KEYSHIFT_DEBUG=1 for details)");
  if (process.env.KEYSHIFT_DEBUG === "1") process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.unexpected;
}

main(process.argv.slice(2))
  .catch(report)
  .then(async (code) => {
    await disconnect().catch(() => {});
    process.exit(code);
  });
