// Command-line options with node:util parseArgs, its errors turned into usage errors that name the
// command and the option. Shared by the admin CLI (scripts/cli) and the client kit (lib/kit), each with
// its own usage error type (and exit status).
import { parseArgs, type ParseArgsConfig } from "node:util";

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type OptionValues = Record<string, string | boolean | undefined>;

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(message ?? "")?.[1] ?? "";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      // a value given to a flag (--password=x), or a string option with none (--email at the end, --email --role)
      return /does not take an argument/.test(message ?? "") ? `option ${quoted} takes no value` : `option ${quoted.split(" ")[0]} needs a value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      // not echoed: it may be a password typed after --password, which reads from standard input
      return "unexpected argument (every value follows its --option)";
    default:
      return message ?? "invalid arguments";
  }
}

/** parseOptions and required for a tool whose usage errors are `Usage`. */
export function optionParser(Usage: new (message: string) => Error) {
  return {
    parseOptions<O extends Options>(command: string, args: string[], options: O) {
      try {
        return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
      } catch (error) {
        throw new Usage(`${command}: ${describeParseError(error)}`);
      }
    },
    /** A required string option, present and not blank. */
    required(command: string, values: Record<string, unknown>, name: string): string {
      const value = values[name];
      if (typeof value !== "string" || !value.trim()) throw new Usage(`${command}: --${name} is required`);
      return value;
    },
  };
}
