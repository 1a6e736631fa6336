// Reading a password from standard input: never from argv, where it would land in the shell history
// and in `ps` output for every user of the machine.
import { invalid } from "../../lib/errors";

/** The first line of piped input, or a password typed twice without echo on a terminal. */
export async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) return readFirstLine(input);
  const password = await promptHidden("Password: ");
  const again = await promptHidden("Repeat the password: ");
  if (password !== again) throw invalid("The two passwords do not match.", { password: "Type the same password twice" });
  return password;
}

function readFirstLine(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const finish = (line: string) => {
      input.off("data", onData).off("end", onEnd).off("error", reject);
      input.pause();
      resolve(line.replace(/\r$/, ""));
    };
    const onData = (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf("\n");
      if (end >= 0) finish(buffered.slice(0, end));
    };
    const onEnd = () => finish(buffered);
    input.setEncoding("utf8");
    input.on("data", onData).once("end", onEnd).once("error", reject);
  });
}

function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let typed = "";
    const done = () => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return done();
        if (char === "\u0003") {
          input.setRawMode(false);
          process.stderr.write("\n");
          process.exit(130); // Ctrl-C: as a shell reports SIGINT
        }
        if (char === "\u007f" || char === "\b") typed = Array.from(typed).slice(0, -1).join("");
        else typed += char;
      }
    };
    input.setEncoding("utf8");
    input.setRawMode(true);
    input.resume();
    input.on("data", onData);
  });
}
