import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// lib/config caches the master key per process: load a fresh module for every case
async function loadConfig() {
  vi.resetModules();
  return import("@/lib/config");
}

describe("configuration", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-config-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("defaults the issuer to http://localhost:PORT on the embedded database", async () => {
    const { issuer } = await loadConfig();
    expect(issuer({ DATABASE_URL: "file:./data/x.db", PORT: "3100" })).toBe("http://localhost:3100");
  });

  it("uses the configured issuer exactly as given", async () => {
    const { issuer } = await loadConfig();
    expect(issuer({ KEYSHIFT_ISSUER: "https://id.example.com/tenant-a", DATABASE_URL: "postgresql://h/db" })).toBe("https://id.example.com/tenant-a");
  });

  it("requires KEYSHIFT_ISSUER with PostgreSQL", async () => {
    const { issuer } = await loadConfig();
    expect(() => issuer({ DATABASE_URL: "postgresql://h/db" })).toThrow(/KEYSHIFT_ISSUER is required/);
  });

  it("requires KEYSHIFT_MASTER_KEY with PostgreSQL", async () => {
    const { masterKey } = await loadConfig();
    expect(() => masterKey({ DATABASE_URL: "postgresql://h/db" })).toThrow(/KEYSHIFT_MASTER_KEY is required/);
  });

  it("refuses a master key shorter than 32 bytes", async () => {
    const { masterKey } = await loadConfig();
    expect(() => masterKey({ KEYSHIFT_MASTER_KEY: "ab".repeat(31) })).toThrow(/at least 32 bytes/);
  });

  it("generates a master key on first embedded start, keeps it private under data/, and reuses it", async () => {
    const env = { DATABASE_URL: `file:${path.join(dir, "keyshift.db")}` };
    const first = (await loadConfig()).masterKey(env);
    const file = path.join(dir, "master.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.length).toBe(32);
    const again = (await loadConfig()).masterKey(env);
    expect(again.equals(first)).toBe(true);
  });

  it("derives different keys for different purposes", async () => {
    const config = await loadConfig();
    config.masterKey({ KEYSHIFT_MASTER_KEY: "cd".repeat(32) });
    expect(config.derivedKey("session").equals(config.derivedKey("secret-hash"))).toBe(false);
    expect(config.derivedKey("audit-chain")).toHaveLength(32);
  });
});
