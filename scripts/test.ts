// `npm test`: everything, in the order a failure is cheapest to find.
//   1. type check (tsc --noEmit over the whole project)
//   2. unit tests (Vitest, no database)
//   3. integration tests on SQLite and on a fresh PostgreSQL database (scripts/test-integration.ts)
//   4. a production build, then the browser suite (Playwright in Chromium) against it
// Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser. Under CI
// (CI=true) a missing system browser or PostgreSQL server fails the run instead of being skipped.
// Ends with one line "tests: N passed, N failed" summing every suite.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-reports-"));
const ci = process.env.CI === "true";

type Step = { name: string; ok: boolean; seconds: number };
const steps: Step[] = [];
let passed = 0;
let failed = 0;

function step(name: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  const ok = result.status === 0;
  steps.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

function countVitest(file: string): void {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

function countPlaywright(file: string): void {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number } };
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected;
}

function systemChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
}

function main(): number {
  step("Type check", bin("tsc"), ["--noEmit"]);

  const unitReport = path.join(reports, "unit.json");
  step("Unit tests", bin("vitest"), ["run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${unitReport}`]);
  countVitest(unitReport);

  step("Integration tests (SQLite and PostgreSQL)", bin("tsx"), ["scripts/test-integration.ts"], { KEYSHIFT_TEST_REPORTS: reports });
  for (const file of fs.readdirSync(reports).filter((f) => f.startsWith("integration-"))) countVitest(path.join(reports, file));

  const chromium = systemChromium();
  if (!chromium && ci) {
    console.error("\n✖ No Chromium found (CHROMIUM_PATH or /usr/bin/chromium); under CI the browser suite is required.");
    steps.push({ name: "Browser tests", ok: false, seconds: 0 });
  } else {
    console.log(chromium ? `\nBrowser: ${chromium}` : "\nBrowser: no system Chromium; using Playwright's own (npx playwright install chromium if it is missing)");
    if (step("Production build", bin("next"), ["build"], { NODE_ENV: "production" })) {
      fs.rmSync(path.join(root, "data", "e2e"), { recursive: true, force: true });
      const e2eReport = path.join(reports, "e2e.json");
      step("Browser tests (Playwright, Chromium)", bin("playwright"), ["test", "--reporter=list,json"], {
        PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport,
        ...(chromium ? { CHROMIUM_PATH: chromium } : {}),
      });
      countPlaywright(e2eReport);
    }
  }

  console.log("\nSummary");
  for (const s of steps) console.log(`  ${s.ok ? "✔" : "✖"} ${s.name} (${s.seconds} s)`);
  const allOk = steps.every((s) => s.ok);
  // a step that failed without a test failing (type errors, a build error) still fails the run
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return allOk && failed === 0 && passed > 0 ? 0 : 1;
}

process.exit(main());
