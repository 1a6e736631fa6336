import { execFileSync } from "node:child_process";
import path from "node:path";

export default function globalSetup(): void {
  const root = path.resolve(__dirname, "..", "..");
  execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(__dirname, "seed.ts")], { cwd: root, stdio: "inherit" });
}
