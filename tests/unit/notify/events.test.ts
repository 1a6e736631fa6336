import { describe, expect, it } from "vitest";
import { daysLeft, eventPayload, eventUri, thresholdFor, type CandidateEvent } from "@/lib/notify/events";

const now = new Date("2026-03-01T12:00:00Z");
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);

describe("thresholdFor", () => {
  const rows: { name: string; deadline: Date; expected: number | null }[] = [
    { name: "further away than every threshold", deadline: inDays(45), expected: null },
    { name: "exactly at the widest threshold", deadline: inDays(30), expected: 30 },
    { name: "between 30 and 7 days", deadline: inDays(12), expected: 30 },
    { name: "within 7 days (not also a 30-day notice)", deadline: inDays(5), expected: 7 },
    { name: "within the last day", deadline: inDays(0.5), expected: 1 },
    { name: "already past", deadline: inDays(-1), expected: null },
    { name: "exactly now", deadline: now, expected: null },
  ];
  for (const { name, deadline, expected } of rows) {
    it(`gives ${expected} for a deadline ${name}`, () => expect(thresholdFor(deadline, now, [30, 7, 1])).toBe(expected));
  }

  it("gives nothing when no threshold is set", () => expect(thresholdFor(inDays(1), now, [])).toBeNull());
});

describe("daysLeft", () => {
  it("rounds part of a day up", () => expect(daysLeft(inDays(1.5), now)).toBe(2));
  it("never goes below zero", () => expect(daysLeft(inDays(-3), now)).toBe(0));
});

describe("eventPayload", () => {
  const event: CandidateEvent = {
    type: "secret.expiring",
    dedupeKey: "secret.expiring:s1:7",
    subject: { type: "client", id: "c1" },
    teamId: "t1",
    contacts: ["owner@example.test"],
    summary: "The secret expires.",
    client: { id: "c1", clientId: "billing", name: "Billing", environment: "production" },
    path: "/clients/c1",
    details: { secret_id: "s1", threshold_days: 7 },
  };

  it("names the team, the client by client_id and links back to the console", () => {
    expect(eventPayload(event, { id: "t1", name: "Payments" }, "https://keyshift.example")).toEqual({
      type: "secret.expiring",
      summary: "The secret expires.",
      subject: { type: "client", id: "c1" },
      team: { id: "t1", name: "Payments" },
      client: { id: "c1", client_id: "billing", name: "Billing", environment: "production" },
      details: { secret_id: "s1", threshold_days: 7 },
      link: "https://keyshift.example/clients/c1",
    });
  });

  it("leaves the contacts out (they route the event, they are not part of it)", () => {
    expect(JSON.stringify(eventPayload(event, null, "https://k.example"))).not.toContain("owner@example.test");
  });

  it("names event types as URIs for the SET's events claim", () => expect(eventUri("jwks.failing")).toBe("urn:keyshift:event:jwks.failing"));
});
