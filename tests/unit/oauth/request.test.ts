// Reading token requests: form encoding only, no repeated parameters, Basic credentials decoded as
// RFC 6749 2.3.1 says (form-encoded inside base64).
import { describe, expect, it } from "vitest";
import { basicCredentials, parseForm } from "@/lib/oauth/request";

const req = (body: string, type = "application/x-www-form-urlencoded") => ({ headers: { "content-type": type }, body, address: "x" });

describe("parseForm", () => {
  it("reads parameters and treats an empty value as omitted", () => {
    const parsed = parseForm(req("grant_type=client_credentials&scope="));
    expect(parsed.ok && Object.fromEntries(parsed.params)).toEqual({ grant_type: "client_credentials" });
  });

  it("accepts a charset parameter on the content type", () => {
    expect(parseForm(req("a=1", "application/x-www-form-urlencoded; charset=UTF-8")).ok).toBe(true);
  });

  it("refuses other content types and repeated parameters", () => {
    expect(parseForm(req("{}", "application/json"))).toMatchObject({ ok: false });
    expect(parseForm(req("scope=a&scope=b"))).toEqual({ ok: false, description: "The parameter scope is repeated." });
  });
});

describe("basicCredentials", () => {
  const header = (raw: string) => `Basic ${Buffer.from(raw).toString("base64")}`;

  it("form-decodes the client_id and secret", () => {
    expect(basicCredentials(header("https%3A%2F%2Fapps.example.com%2Fbilling:a+b%3Ac"))).toEqual({ clientId: "https://apps.example.com/billing", secret: "a b:c" });
  });

  it("keeps a colon inside the secret", () => {
    expect(basicCredentials(header("client:se:cret"))).toEqual({ clientId: "client", secret: "se:cret" });
  });

  it("ignores other schemes and reports unreadable Basic credentials", () => {
    expect(basicCredentials(undefined)).toBeNull();
    expect(basicCredentials("Bearer abc")).toBeNull();
    expect(basicCredentials("Basic !!!")).toBe("malformed");
    expect(basicCredentials(header("no-colon"))).toBe("malformed");
    expect(basicCredentials(header(":secret"))).toBe("malformed");
    expect(basicCredentials(header("client:"))).toBe("malformed");
    expect(basicCredentials(header("client:%E0%A4%A"))).toBe("malformed");
  });
});
