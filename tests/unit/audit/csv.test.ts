import { describe, expect, it } from "vitest";
import { csvLine } from "@/lib/audit/query";

describe("audit CSV lines", () => {
  const cases: { name: string; input: unknown[]; expected: string }[] = [
    { name: "plain values", input: ["a", 1, null, undefined], expected: "a,1,,\r\n" },
    { name: "a date as ISO 8601", input: [new Date("2026-01-02T03:04:05.678Z")], expected: "2026-01-02T03:04:05.678Z\r\n" },
    { name: "commas and quotes are quoted", input: ['say "hi", then go'], expected: '"say ""hi"", then go"\r\n' },
    { name: "a newline is quoted", input: ["two\nlines"], expected: '"two\nlines"\r\n' },
    { name: "a formula is neutralised", input: ["=HYPERLINK(\"http://evil\")"], expected: '"\'=HYPERLINK(""http://evil"")"\r\n' },
    { name: "leading + - @ are neutralised", input: ["+1", "-2", "@x"], expected: "'+1,'-2,'@x\r\n" },
  ];
  for (const { name, input, expected } of cases) {
    it(`writes ${name}`, () => expect(csvLine(input)).toBe(expected));
  }
});
