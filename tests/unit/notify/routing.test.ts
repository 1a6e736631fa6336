import { describe, expect, it } from "vitest";
import { recipientsFor, routeBook, type ActiveRoute } from "@/lib/notify/routing";

const routes: ActiveRoute[] = [
  { id: "r1", teamId: "payments", channel: "webhook", target: "https://hooks.payments.example/keyshift" },
  { id: "r2", teamId: "payments", channel: "email", target: "payments@example.test" },
  { id: "r3", teamId: "identity", channel: "email", target: "identity@example.test" },
  { id: "f1", teamId: null, channel: "webhook", target: "https://soc.example/keyshift" },
];

describe("recipientsFor", () => {
  it("sends a team's events to that team's routes, not to the fallback", () => {
    const book = routeBook(routes, true);
    expect(recipientsFor({ teamId: "payments", contacts: [] }, book, true).map((r) => r.routeId)).toEqual(["r1", "r2"]);
  });

  it("sends the events of a team without routes to the fallback routes", () => {
    const book = routeBook(routes, true);
    expect(recipientsFor({ teamId: "billing", contacts: [] }, book, true).map((r) => r.routeId)).toEqual(["f1"]);
  });

  it("adds the client's contact email, once even when a route names the same address", () => {
    const book = routeBook(routes, true);
    const recipients = recipientsFor({ teamId: "payments", contacts: ["Payments@Example.test", "dev@example.test"] }, book, true);
    expect(recipients).toEqual([
      { channel: "webhook", target: "https://hooks.payments.example/keyshift", routeId: "r1" },
      { channel: "email", target: "payments@example.test", routeId: "r2" },
      { channel: "email", target: "dev@example.test", routeId: null },
    ]);
  });

  it("without email, a team whose only route is an email address falls back, and contacts are left out", () => {
    const book = routeBook(routes, false);
    expect(recipientsFor({ teamId: "identity", contacts: ["dev@example.test"] }, book, false)).toEqual([{ channel: "webhook", target: "https://soc.example/keyshift", routeId: "f1" }]);
  });

  it("sends organisation-wide events (no team) to the fallback routes", () => {
    expect(recipientsFor({ teamId: null, contacts: [] }, routeBook(routes, true), true).map((r) => r.routeId)).toEqual(["f1"]);
  });
});
