// DESIGN.md: every /api/v1 route is in the OpenAPI document. Walks the route files and checks each
// exported method against the document, so a new route cannot ship undocumented.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

const root = path.resolve(__dirname, "..", "..", "..", "app", "api", "v1");
const PARAM_NAMES: Record<string, string> = { clientId: "client_id", secretId: "secret_id", campaignId: "campaign_id", routeId: "route_id", deliveryId: "delivery_id" };

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith("_") ? [] : routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

describe("the OpenAPI document", () => {
  const doc = openApiDocument("http://keyshift.test");
  const routes = routeFiles(root)
    .map((file) => {
      const apiPath = "/" + path.relative(root, path.dirname(file)).split(path.sep).map((seg) => seg.replace(/^\[(\w+)\]$/, (_, name: string) => `{${PARAM_NAMES[name] ?? name}}`)).join("/");
      const methods = [...fs.readFileSync(file, "utf8").matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1].toLowerCase());
      return { apiPath, methods };
    })
    .filter((r) => r.apiPath !== "/openapi.json");

  it("finds the API's route files", () => {
    expect(routes.length).toBeGreaterThan(8);
  });

  for (const { apiPath, methods } of routes) {
    it(`documents ${methods.join(", ").toUpperCase()} ${apiPath}`, () => {
      const item = (doc.paths as Record<string, Record<string, unknown>>)[apiPath];
      expect(item, `${apiPath} is missing from the document`).toBeDefined();
      for (const method of methods) expect(item[method], `${method.toUpperCase()} ${apiPath}`).toBeDefined();
    });
  }

  it("documents nothing that does not exist", () => {
    const served = new Set(routes.flatMap((r) => r.methods.map((m) => `${m} ${r.apiPath}`)));
    const documented = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).filter((k) => k !== "parameters").map((m) => `${m} ${p}`));
    expect(documented.filter((d) => !served.has(d))).toEqual([]);
  });
});
