import { afterEach, describe, expect, it } from "vitest";
import { RouteInputSchema } from "@/lib/notify/schema";

const saved = process.env.KEYSHIFT_FETCH_ALLOW;
afterEach(() => {
  // assigning undefined would store the string "undefined"
  if (saved === undefined) delete process.env.KEYSHIFT_FETCH_ALLOW;
  else process.env.KEYSHIFT_FETCH_ALLOW = saved;
});

const webhook = (target: string) => ({ teamId: "t1", name: "Ops", channel: "webhook", target });

describe("RouteInputSchema", () => {
  const bad: { name: string; input: Record<string, unknown>; field: string; message: RegExp }[] = [
    { name: "plain http to a public host", input: webhook("http://hooks.example.com/in"), field: "target", message: /https required/ },
    { name: "another scheme", input: webhook("ftp://hooks.example.com/in"), field: "target", message: /An https URL/ },
    { name: "a relative URL", input: webhook("/in"), field: "target", message: /Not an absolute URL/ },
    { name: "credentials in the URL", input: webhook("https://user:pw@hooks.example.com/in"), field: "target", message: /No user:password/ },
    { name: "a fragment", input: webhook("https://hooks.example.com/in#x"), field: "target", message: /No fragment/ },
    { name: "a private address", input: webhook("https://10.0.0.5/in"), field: "target", message: /10\.0\.0\.5 is a private address/ },
    { name: "the cloud metadata address", input: webhook("https://169.254.169.254/latest"), field: "target", message: /cloud metadata address/ },
    { name: "loopback without an exemption", input: webhook("http://127.0.0.1:8080/in"), field: "target", message: /loopback address/ },
    { name: "an invalid email address", input: { teamId: "t1", name: "Ops", channel: "email", target: "ops@" }, field: "target", message: /valid email address/ },
    { name: "an unknown channel", input: { teamId: "t1", name: "Ops", channel: "sms", target: "+100" }, field: "channel", message: /webhook or email/ },
    { name: "an empty name", input: { ...webhook("https://hooks.example.com/in"), name: " " }, field: "name", message: /Enter a name/ },
  ];
  for (const { name, input, field, message } of bad) {
    it(`refuses ${name}`, () => {
      const result = RouteInputSchema.safeParse(input);
      expect(result.success).toBe(false);
      const issue = result.error!.issues.find((i) => i.path[0] === field);
      expect(issue?.message).toMatch(message);
    });
  }

  it("accepts plain http to an exempted loopback receiver (tests, local relays)", () => {
    process.env.KEYSHIFT_FETCH_ALLOW = "127.0.0.1";
    expect(RouteInputSchema.parse(webhook("http://127.0.0.1:8080/in")).target).toBe("http://127.0.0.1:8080/in");
  });

  it("reads an empty team as the organisation fallback and lower-cases an email address", () => {
    expect(RouteInputSchema.parse({ teamId: "", name: "SOC", channel: "email", target: "SOC@Example.test" })).toEqual({ teamId: null, name: "SOC", channel: "email", target: "soc@example.test" });
  });
});
