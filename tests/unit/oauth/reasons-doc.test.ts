// The reason codes are an interface (dashboards, exports, the API): the documentation lists each one.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FAILURE_REASONS } from "@/lib/oauth/reasons";

describe("docs/token-endpoint.md", () => {
  it("documents every authentication failure reason with its current meaning", () => {
    const doc = fs.readFileSync(path.resolve(__dirname, "../../../docs/token-endpoint.md"), "utf8");
    for (const [code, meaning] of Object.entries(FAILURE_REASONS)) expect(doc).toContain(`| \`${code}\` | ${meaning} |`);
  });
});
