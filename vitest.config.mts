// Two Vitest projects:
//   unit         tests/unit/**: pure domain code, no database
//   integration  tests/integration/**: the domain commands against a real database (DATABASE_URL);
//                run both providers with `tsx scripts/test-integration.ts`, which creates and drops
//                a throwaway database for each.
import crypto from "node:crypto";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: { alias: [{ find: /^@\//, replacement: root }] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          // derived keys (secret hashes, audit chain) need a master key; a fresh one per run
          env: { KEYSHIFT_MASTER_KEY: crypto.randomBytes(32).toString("hex"), DATABASE_URL: "file:./data/unit-tests-never-opened.db" },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // the files share one database: run them one after another
          fileParallelism: false,
          // scrypt password hashing takes ~300 ms by design
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
