// Prisma CLI configuration for the embedded SQLite database (scripts/db.ts passes it with --config).
// The JavaScript schema engine (engine: "js") works offline; Prisma's native engines are downloaded.
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { sqliteFilePath } from "../lib/db/url";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(__dirname, "sqlite", "schema.prisma"),
  migrations: { path: path.join(__dirname, "sqlite", "migrations") },
  async adapter() {
    const file = sqliteFilePath(process.env.DATABASE_URL);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url: `file:${file}` });
  },
});
