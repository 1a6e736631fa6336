import { describe, expect, it } from "vitest";
import { parseCsv, readInventoryCsv } from "@/lib/inventory/csv";
import { DomainError } from "@/lib/errors";

const cells = (text: string) => parseCsv(text).map((r) => r.cells);

describe("parseCsv", () => {
  const cases: { name: string; input: string; expected: string[][] }[] = [
    { name: "plain fields, LF", input: "a,b\nc,d\n", expected: [["a", "b"], ["c", "d"]] },
    { name: "CRLF records", input: "a,b\r\nc,d\r\n", expected: [["a", "b"], ["c", "d"]] },
    { name: "no final line break", input: "a,b\r\nc,d", expected: [["a", "b"], ["c", "d"]] },
    { name: "a quoted comma", input: 'a,"b, c"\n', expected: [["a", "b, c"]] },
    { name: "doubled quotes", input: '"say ""hi""",x\n', expected: [['say "hi"', "x"]] },
    { name: "a line break inside quotes", input: '"one\r\ntwo",x\n', expected: [["one\r\ntwo", "x"]] },
    { name: "empty fields, quoted and not", input: 'a,,"",d\n', expected: [["a", "", "", "d"]] },
    { name: "a leading byte order mark", input: "\uFEFFclient_id,name\n", expected: [["client_id", "name"]] },
    { name: "blank lines skipped", input: "a\n\n\nb\n", expected: [["a"], ["b"]] },
    { name: "a lone empty quoted field is a record", input: '""\n', expected: [[""]] },
  ];
  it.each(cases)("parses $name", ({ input, expected }) => {
    expect(cells(input)).toEqual(expected);
  });

  it("numbers each record by the line it starts on", () => {
    expect(parseCsv('h\n"x\ny"\n\nz\n').map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it.each([
    { name: "an unclosed quote", input: 'a,"b\n', message: "CSV line 1: a quoted field is never closed." },
    { name: "text after a closing quote", input: 'a\n"b"c\n', message: "CSV line 2: unexpected text after a closing quote" },
  ])("rejects $name with the line", ({ input, message }) => {
    expect(() => parseCsv(input)).toThrow(DomainError);
    expect(() => parseCsv(input)).toThrow(message);
  });
});

describe("readInventoryCsv", () => {
  const header = "Client_ID,Name,Environment,Team,Contact Email,Auth-Method,Extra";

  it("maps headers case-insensitively, ignores unknown columns and refs rows by line", () => {
    const rows = readInventoryCsv(`\uFEFF${header}\r\nbilling,"Billing, EU",production,Payments,a@example.test,client_secret_basic,whatever\r\n`);
    expect(rows).toEqual([
      {
        ref: "line 2",
        values: { client_id: "billing", name: "Billing, EU", environment: "production", team: "Payments", contact_email: "a@example.test", auth_method: "client_secret_basic" },
      },
    ]);
  });

  it("refuses a file without the required columns, naming them", () => {
    expect(() => readInventoryCsv("client_id,name\nx,y\n")).toThrow("The CSV header has no environment, team, contact_email, auth_method columns");
  });

  it("marks a row with more fields than the header as an error", () => {
    const [row] = readInventoryCsv(`${header}\nx,y,production,T,a@example.test,client_secret_post,1,surplus\n`);
    expect(row.error).toBe("8 fields, but the header names 7");
  });
});
