// Option parsing for one admin CLI command: lib/cli/options.ts with the CLI's usage error (exit 2).
import { optionParser } from "../../lib/cli/options";
import { UsageError } from "./usage";

export const { parseOptions, required } = optionParser(UsageError);
