// Prisma CLI configuration for PostgreSQL. Migrations run through @prisma/adapter-pg 7.x (installed
// as prisma-adapter-pg7): 6.19's adapter cannot read the `name` columns the schema engine queries.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "prisma-adapter-pg7";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(__dirname, "postgresql", "schema.prisma"),
  migrations: { path: path.join(__dirname, "postgresql", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is required for PostgreSQL migrations");
    return new PrismaPg({ connectionString: url }) as never;
  },
});
