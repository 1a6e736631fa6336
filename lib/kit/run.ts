// The kit's commands from a command line to an exit status, with standard output and error handed in,
// so scripts/kit.ts is a one-line adapter and tests run the very same code in-process.
import { parseAssertionArgs, parseKeygenArgs, parseTokenArgs } from "./args";
import { signAssertion } from "./assertion";
import type { Fetch } from "./discovery";
import { keygen } from "./keygen";
import { readSigningKey } from "./keys";
import { describeTokenResponse, refusalHint, requestToken } from "./token";
import { EXIT, OAuthRefusal, ServerUnusable, USAGE, UsageError } from "./usage";

export type KitIO = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch?: Fetch;
  cwd?: string;
  env?: Record<string, string | undefined>;
};

type Command = (args: string[], io: KitIO) => Promise<number>;

const say = (io: KitIO, line: string) => io.stderr(`kit: ${line}\n`);

const keygenCommand: Command = async (args, io) => {
  const result = await keygen(parseKeygenArgs(args), io.cwd);
  io.stdout(`${JSON.stringify(result.publicJwks, null, 2)}\n`);
  say(io, `${result.alg} key ${result.kid}: upload ${result.files.publicJwks} in Keyshift (the client's page, Keys); ${result.files.privateJwk} and ${result.files.privatePem} are the private key (mode 0600) and must never leave the client.`);
  return EXIT.ok;
};

const assertionCommand: Command = async (args, io) => {
  const options = parseAssertionArgs(args);
  const key = await readSigningKey(options.keyFile, { alg: options.alg, kid: options.kid });
  const assertion = await signAssertion({ clientId: options.clientId, issuer: options.issuer, key, lifetimeSeconds: options.lifetimeSeconds, typ: options.typ });
  io.stdout(`${assertion}\n`);
  return EXIT.ok;
};

const tokenCommand: Command = async (args, io) => {
  const options = parseTokenArgs(args);
  const key = await readSigningKey(options.keyFile, { alg: options.alg, kid: options.kid });
  try {
    const result = await requestToken(options, key, io.fetch ?? fetch);
    io.stdout(options.json ? `${result.body}\n` : describeTokenResponse(result.response));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof OAuthRefusal)) throw error;
    if (options.json) io.stdout(`${error.body}\n`);
    say(io, error.message);
    const hint = refusalHint(error, { clientId: options.clientId, kid: key.kid, issuer: options.issuer });
    if (hint) say(io, `hint: ${hint}`);
    return EXIT.refused;
  }
};

const COMMANDS: Record<string, Command> = { keygen: keygenCommand, assertion: assertionCommand, token: tokenCommand };

/** Maps what went wrong to a message on standard error and the documented exit status. */
function report(error: unknown, io: KitIO): number {
  if (error instanceof UsageError) {
    say(io, error.message);
    say(io, "run `npm run kit -- help` for the commands, their options and the exit statuses");
    return EXIT.usage;
  }
  if (error instanceof ServerUnusable) {
    say(io, error.message);
    return EXIT.unreachable;
  }
  // unexpected: the details may name hosts or files, so they are shown only when asked for
  say(io, "unexpected error (set KEYSHIFT_DEBUG=1 for details)");
  if ((io.env ?? process.env).KEYSHIFT_DEBUG === "1") io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.unexpected;
}

export async function runKit(argv: string[], io: KitIO): Promise<number> {
  try {
    if (!argv.length || argv[0] === "help" || argv.includes("--help") || argv.includes("-h")) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    const [name, ...args] = argv;
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(", ")}, help)`);
    return await command(args, io);
  } catch (error) {
    return report(error, io);
  }
}
