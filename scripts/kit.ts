// `npm run kit -- <command>`: the client kit, for client teams moving to private_key_jwt (key pairs,
// client assertions, a token request). Usage and exit statuses in lib/kit/usage.ts and docs/kit.md, or
// `npm run kit -- help`. It needs no database and no Keyshift configuration.
import { runKit } from "../lib/kit/run";

runKit(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
