import { describe, expect, it } from "vitest";
import { digestKey, groupByRecipient, renderDigest, senderAddress } from "@/lib/notify/email";
import type { EventPayload } from "@/lib/notify/events";

const payload = (summary: string, link: string): EventPayload => ({ type: "secret.expiring", summary, subject: { type: "client", id: "c" }, team: null, client: null, details: {}, link });

describe("digest grouping", () => {
  it("keys a digest by recipient (case-insensitive) and UTC day", () => {
    expect(digestKey("Ops@Example.test", new Date("2026-03-01T23:59:59Z"))).toBe("ops@example.test 2026-03-01");
    expect(digestKey("ops@example.test", new Date("2026-03-02T00:00:00Z"))).toBe("ops@example.test 2026-03-02");
  });

  it("groups a day's deliveries into one digest per recipient", () => {
    const groups = groupByRecipient([
      { id: "1", target: "a@example.test" },
      { id: "2", target: "b@example.test" },
      { id: "3", target: "A@example.test" },
    ]);
    expect([...groups].map(([to, list]) => [to, list.map((d) => d.id)])).toEqual([
      ["a@example.test", ["1", "3"]],
      ["b@example.test", ["2"]],
    ]);
  });
});

describe("renderDigest", () => {
  const events = [
    { id: "e1", payload: payload("The secret of billing expires in 7 days.", "https://k.example/clients/c1") },
    { id: "e2", payload: payload("The jwks_uri of <script>x</script> fails.", "https://k.example/clients/c2") },
  ];

  it("lists every event with its link and the event id, and links to the delivery log", () => {
    const mail = renderDigest(events, "2026-03-01", "https://k.example");
    expect(mail.subject).toBe("Keyshift: 2 notices for 2026-03-01");
    expect(mail.text).toContain("- The secret of billing expires in 7 days.\n  https://k.example/clients/c1\n  event e1");
    expect(mail.text).toContain("https://k.example/notifications");
    expect(mail.html).toContain('<a href="https://k.example/clients/c2">');
  });

  it("escapes what it puts in the HTML body", () => {
    const mail = renderDigest(events, "2026-03-01", "https://k.example");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
  });
});

describe("senderAddress", () => {
  it("uses KEYSHIFT_SMTP_FROM when set, else keyshift@ the console's host", () => {
    expect(senderAddress({ KEYSHIFT_SMTP_FROM: "iam@example.test" })).toBe("iam@example.test");
    expect(senderAddress({ NEXTAUTH_URL: "https://keyshift.example.com/" })).toBe("Keyshift <keyshift@keyshift.example.com>");
  });
});
