// Browser tests against the production build, served by the same start script users run, on a
// fresh SQLite database. scripts/test.ts builds first and clears the database directory.
import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./tests/e2e/env";

function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
}

const executablePath = chromiumPath();

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./tests/e2e/global-setup.ts",
  use: {
    baseURL: E2E.baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    permissions: ["clipboard-read", "clipboard-write"],
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1400, height: 900 },
        launchOptions: {
          executablePath,
          // this machine has no network beyond the registries: keep Chromium from calling home
          args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        },
      },
    },
  ],
  // in this order: the provider's start creates the console's SSO key that the console then reads, and
  // the console migrates the database that the token server (which never migrates) then serves
  webServer: [
    {
      // the console's key comes from the admin CLI, as an administrator would make it
      command: `npx tsx scripts/cli.ts sso keygen --out ${E2E.idp.keyFile} --force && npx tsx tests/e2e/oidc-idp.ts`,
      url: `${E2E.idp.issuer}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: { KEYSHIFT_OIDC_KEY_FILE: E2E.idp.keyFile, LOG_LEVEL: "warn" },
    },
    {
      command: "npx tsx scripts/start.ts",
      url: `${E2E.baseURL}/login`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: { ...E2E.serverEnv, KEYSHIFT_FETCH_ALLOW: "127.0.0.1" }, // keys.spec.ts serves a jwks_uri on loopback
    },
    {
      command: "npm run token-server",
      url: `${E2E.tokenServer.baseURL}/.well-known/jwks.json`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: E2E.tokenServer.env,
    },
  ],
});
