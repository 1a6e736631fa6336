// Demo data: a realistic organisation to look around in (npm run demo). Idempotent: a Setting row
// "demo.seeded" marks a database that already holds it, and a second call changes nothing.
//
// Everything is written in one transaction (the marker first), so a failed or concurrent run leaves
// either the whole dataset or none of it. The data is generated from a fixed seed, so it looks the
// same on every machine; dates are relative to the moment of seeding.
//
// Every demo user has the same password: KEYSHIFT_DEMO_PASSWORD, or "keyshift-demo-password".
// Secret plaintexts are generated, hashed and thrown away: nobody needs a demo secret's value.
import crypto from "node:crypto";
import type { SystemActor } from "../lib/auth/actor";
import { hashPassword } from "../lib/auth/password";
import { appendAudit } from "../lib/audit/log";
import { derivedKey } from "../lib/config";
import { db, isUniqueViolation, type Tx } from "../lib/db";
import type { AuthMethod, Environment } from "../lib/clients/schema";
import { generateSecret, hashSecret, secretHint } from "../lib/secrets/material";
import { DAY_MS } from "../lib/secrets/status";
import { planMigrations, seedMigrationTraffic, type DemoClient } from "./demo-traffic";

export const DEMO_MARKER = "demo.seeded";
export const DEFAULT_DEMO_PASSWORD = "keyshift-demo-password";
export const DEMO_ACTOR: SystemActor = { type: "system", name: "demo" };
const DEMO_DOMAIN = "example.com";

export type SeedDemoOptions = { clients?: number; log?: (line: string) => void };
export type SeedDemoResult = { created: boolean; clients: number; users: { email: string; role: string; password: string }[] };

// ---------------------------------------------------------------------------------------------
// Deterministic randomness (mulberry32): the same dataset on every run.

type Rng = {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  chars(alphabet: string, length: number): string;
  shuffle<T>(items: T[]): T[];
};

export function rng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    weighted: (items) => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let x = next() * total;
      for (const [item, w] of items) if ((x -= w) < 0) return item;
      return items[items.length - 1][0];
    },
    chars: (alphabet, length) => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""),
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// The organisation.

type Service = { name: string; purpose: string; scopes: string[]; interactive?: boolean };
type TeamSpec = { name: string; slug: string; description: string; services: Service[] };

const s = (name: string, purpose: string, scopes: string, interactive = false): Service => ({ name, purpose, scopes: scopes.split(" "), interactive });

const TEAMS: TeamSpec[] = [
  {
    name: "Payments",
    slug: "payments",
    description: "Card acquiring, settlement, payouts and the ledger.",
    services: [
      s("Settlement Worker", "Nightly settlement batches against the acquirer.", "payments:read settlements:write ledger:write"),
      s("Card Tokenization Service", "Exchanges PANs for network tokens before storage.", "cards:tokenize vault:write"),
      s("Refund Processor", "Processes refund requests from support and the merchant API.", "payments:read refunds:write ledger:write"),
      s("Payout Scheduler", "Schedules merchant payouts and retries failed transfers.", "payouts:write ledger:read"),
      s("Fraud Scoring API", "Scores authorisations in real time before capture.", "payments:read risk:score"),
      s("Ledger Sync", "Mirrors ledger entries into the finance warehouse.", "ledger:read"),
      s("Invoice Renderer", "Renders PDF invoices and receipts.", "invoices:read documents:write"),
      s("Chargeback Handler", "Imports disputes from card schemes and opens cases.", "disputes:write payments:read"),
      s("Currency Rates Fetcher", "Pulls FX rates every 15 minutes.", "fx:write"),
      s("Merchant Onboarding", "KYC checks and merchant account creation.", "merchants:write kyc:submit"),
      s("3DS Server Connector", "Talks to the 3-D Secure directory servers.", "payments:read threeds:authenticate"),
      s("Reconciliation Job", "Matches bank statements against the ledger.", "ledger:read bank-statements:read reconciliation:write"),
    ],
  },
  {
    name: "Identity Platform",
    slug: "identity",
    description: "Sign-in, directory, provisioning and the authorization servers.",
    services: [
      s("SCIM Provisioning Bridge", "Provisions users from HR into downstream SaaS over SCIM.", "scim:write directory:read"),
      s("Directory Sync", "Synchronises groups from the corporate directory.", "directory:read groups:write"),
      s("MFA Enrollment Service", "Manages authenticator enrolment and recovery codes.", "mfa:manage users:read"),
      s("Session Revocation Worker", "Revokes sessions after offboarding or risk events.", "sessions:revoke users:read"),
      s("Admin Console Backend", "Backend for the identity admin console.", "users:read users:write groups:write", true),
      s("Token Exchange Gateway", "Exchanges edge tokens for internal service tokens.", "token:exchange"),
      s("Account Recovery API", "Verified account recovery flows.", "users:recover notifications:send"),
      s("Consent Registry", "Stores and serves user consent records.", "consent:read consent:write"),
      s("Risk Signals Collector", "Collects device and login risk signals.", "risk:write"),
      s("Password Breach Checker", "Checks new passwords against breach corpora.", "passwords:check"),
      s("Audit Log Shipper", "Ships identity audit events to the SIEM.", "audit:read"),
    ],
  },
  {
    name: "Data Engineering",
    slug: "data",
    description: "Pipelines, the warehouse and analytics tooling.",
    services: [
      s("Airflow Scheduler", "Runs the batch DAGs that load the warehouse.", "warehouse:write pipelines:run"),
      s("Kafka Connect Sink", "Streams topics into object storage.", "events:read storage:write"),
      s("dbt Cloud Runner", "Runs dbt models against the warehouse.", "warehouse:read warehouse:write"),
      s("Feature Store API", "Serves ML features to online models.", "features:read"),
      s("Data Quality Monitor", "Checks freshness and volume of critical tables.", "warehouse:read alerts:write"),
      s("CDC Replicator", "Change data capture from OLTP databases.", "cdc:read storage:write"),
      s("Looker Embed Service", "Signs embedded dashboard URLs.", "analytics:embed", true),
      s("Export Service", "Scheduled CSV exports for finance and ops.", "warehouse:read exports:write"),
      s("Lineage Collector", "Collects lineage from jobs and queries.", "lineage:write metadata:read"),
      s("Model Training Orchestrator", "Schedules training jobs on the GPU pool.", "features:read models:write"),
      s("Privacy Erasure Worker", "Executes GDPR erasure requests across datasets.", "privacy:erase warehouse:write"),
    ],
  },
  {
    name: "Mobile",
    slug: "mobile",
    description: "iOS and Android apps and their backends-for-frontends.",
    services: [
      s("iOS BFF", "Backend-for-frontend of the iOS app.", "profile:read orders:read orders:write", true),
      s("Android BFF", "Backend-for-frontend of the Android app.", "profile:read orders:read orders:write", true),
      s("Push Notification Dispatcher", "Sends push notifications through APNs and FCM.", "notifications:send"),
      s("App Config Service", "Remote configuration and feature flags for the apps.", "config:read flags:read"),
      s("Crash Report Ingest", "Receives symbolicated crash reports.", "telemetry:write"),
      s("In-App Purchase Verifier", "Verifies store receipts and entitlements.", "entitlements:write payments:read"),
      s("Deep Link Resolver", "Resolves universal links and deferred deep links.", "links:read"),
      s("Offline Sync Service", "Conflict resolution for offline edits.", "sync:read sync:write"),
      s("Release Pipeline", "Uploads builds to the stores and TestFlight.", "releases:write"),
    ],
  },
  {
    name: "Partner Integrations",
    slug: "partners",
    description: "Connections with partners, marketplaces and B2B customers.",
    services: [
      s("Acme Logistics Connector", "Shipment status webhooks and label creation.", "shipments:read shipments:write"),
      s("Globex Marketplace Feed", "Catalogue and price feed for the Globex marketplace.", "catalog:read prices:read"),
      s("Initech Payroll Export", "Monthly payroll export for Initech.", "payroll:export"),
      s("Umbrella Insurance Claims", "Claim submission and status for Umbrella Insurance.", "claims:write claims:read"),
      s("Stark Analytics Ingest", "Usage data shared with Stark Analytics under contract.", "usage:read"),
      s("Wayne Travel Booking", "Corporate travel bookings for Wayne Enterprises.", "bookings:write profile:read"),
      s("Hooli Calendar Sync", "Two-way calendar synchronisation.", "calendar:read calendar:write"),
      s("Soylent Grocery Orders", "Order intake from the Soylent grocery platform.", "orders:write catalog:read"),
      s("Tyrell Identity Verification", "Identity verification results callback.", "kyc:submit kyc:read"),
      s("Wonka Loyalty Points", "Loyalty points accrual and redemption.", "loyalty:read loyalty:write"),
      s("Cyberdyne Fleet Telematics", "Vehicle telemetry ingest.", "telemetry:write"),
      s("Vandelay Import Gateway", "EDI gateway for Vandelay Industries.", "edi:read edi:write"),
    ],
  },
  {
    name: "Internal Tools",
    slug: "internal-tools",
    description: "Back-office applications, automation and developer tooling.",
    services: [
      s("Support Desk Backend", "Customer support tooling: account lookup and actions.", "users:read orders:read refunds:request", true),
      s("Jenkins Deploy Bot", "Deploys services from CI.", "deployments:write"),
      s("Slack Ops Bot", "ChatOps commands for on-call engineers.", "incidents:write status:read"),
      s("Backoffice Admin", "Back-office administration UI.", "admin:read admin:write", true),
      s("Expense Approval Service", "Routes expense reports for approval.", "expenses:read expenses:approve"),
      s("Status Page Updater", "Publishes incidents to the public status page.", "status:write"),
      s("Access Review Tool", "Quarterly access reviews for SOX.", "directory:read access-reviews:write", true),
      s("Secrets Sync Agent", "Syncs configuration into the deployment vault.", "vault:write"),
      s("Cost Reporter", "Daily cloud cost reports per team.", "billing:read"),
      s("On-call Scheduler", "Pager rotations and overrides.", "oncall:read oncall:write"),
    ],
  },
  {
    name: "Customer Experience",
    slug: "cx",
    description: "Accounts, notifications, search and the customer-facing APIs.",
    services: [
      s("Notification Service", "Email and SMS notifications.", "notifications:send templates:read"),
      s("Search Indexer", "Keeps the product search index fresh.", "catalog:read search:write"),
      s("Recommendations API", "Personalised recommendations.", "profile:read recommendations:read"),
      s("Reviews Moderation", "Moderates product reviews with ML and people.", "reviews:read reviews:moderate"),
      s("Account Service", "Customer profiles and preferences.", "profile:read profile:write"),
      s("Loyalty Engine", "Tiering and rewards rules.", "loyalty:read loyalty:write"),
      s("Email Preference Center", "Manages marketing email preferences.", "preferences:read preferences:write", true),
      s("Survey Collector", "NPS and CSAT survey responses.", "surveys:write"),
      s("Chat Widget Backend", "Live chat routing to support agents.", "chat:write users:read"),
    ],
  },
  {
    name: "Billing",
    slug: "billing",
    description: "Subscriptions, invoicing, tax and revenue recognition.",
    services: [
      s("Billing Service", "Subscription lifecycle and billing runs.", "subscriptions:write invoices:write"),
      s("Tax Calculation Adapter", "Calls the tax engine for quotes and invoices.", "tax:calculate"),
      s("Dunning Worker", "Retries failed payments and sends reminders.", "invoices:read payments:retry notifications:send"),
      s("Usage Metering Ingest", "Collects metered usage from products.", "usage:write"),
      s("Revenue Recognition Export", "Exports schedules to the ERP.", "invoices:read erp:write"),
      s("Quote Builder", "Sales quotes and order forms.", "quotes:write catalog:read", true),
      s("Credit Notes Service", "Issues credit notes and adjustments.", "invoices:write ledger:write"),
      s("Plan Catalog API", "Serves plans and prices to the web shop.", "catalog:read"),
    ],
  },
];

type UserSpec = { name: string; role: "admin" | "operator" | "auditor"; teams: string[] };

const USERS: UserSpec[] = [
  { name: "Amara Okafor", role: "admin", teams: ["Identity Platform"] },
  { name: "Lukas Brandt", role: "admin", teams: [] },
  { name: "Mei Tanaka", role: "admin", teams: ["Internal Tools"] },
  { name: "Priya Raman", role: "operator", teams: ["Payments"] },
  { name: "Diego Fernández", role: "operator", teams: ["Payments", "Billing"] },
  { name: "Sofia Lindqvist", role: "operator", teams: ["Identity Platform"] },
  { name: "Kwame Mensah", role: "operator", teams: ["Data Engineering"] },
  { name: "Hannah Schultz", role: "operator", teams: ["Mobile", "Customer Experience"] },
  { name: "Rafael Costa", role: "operator", teams: ["Partner Integrations"] },
  { name: "Aisha Khan", role: "operator", teams: ["Internal Tools", "Data Engineering"] },
  { name: "Tomás Novák", role: "operator", teams: ["Customer Experience"] },
  { name: "Grace Liu", role: "operator", teams: ["Billing"] },
  { name: "Oliver Bennett", role: "operator", teams: ["Partner Integrations", "Mobile"] },
  { name: "Fatima Al-Sayed", role: "auditor", teams: [] },
  { name: "Jonas Weber", role: "auditor", teams: [] },
  { name: "Chloé Martin", role: "auditor", teams: [] },
];

const emailOf = (name: string) =>
  `${name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, ".")
    .replace(/^\.|\.$/g, "")}@${DEMO_DOMAIN}`;

const slugOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

// ---------------------------------------------------------------------------------------------
// Client identifiers in the shapes real identity providers issue.

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
type IdStyle = "okta" | "auth0" | "keycloak" | "uuid" | "url";

function uuidFrom(r: Rng): string {
  const hex = r.chars("0123456789abcdef", 32).split("");
  hex[12] = "4";
  hex[16] = "89ab"[r.int(0, 3)];
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function clientIdFor(r: Rng, style: IdStyle, team: TeamSpec, service: Service, env: Environment, region: string): string {
  const envSuffix = env === "production" ? "" : `-${env === "staging" ? "staging" : "dev"}`;
  const regionSuffix = region ? `-${region}` : "";
  switch (style) {
    case "okta":
      return "0oa" + r.chars(ALNUM, 17);
    case "auth0":
      return r.chars(ALNUM, 32);
    case "keycloak":
      return `${slugOf(service.name)}${regionSuffix}${envSuffix}`;
    case "uuid":
      return uuidFrom(r);
    case "url": {
      const host = env === "production" ? `${team.slug}.${DEMO_DOMAIN}` : `${team.slug}.${env === "staging" ? "staging" : "dev"}.${DEMO_DOMAIN}`;
      return `https://${host}/clients/${slugOf(service.name)}${regionSuffix}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets: one history per client, described as day offsets from now.

type SecretPlan = { ageDays: number; lifetimeDays: number; rotatedAgeDays?: number; overlapDays?: number; revokedAgeDays?: number };

const LIFETIMES = [90, 180, 365, 730] as const;

/** Lifetimes (days) under which a secret `age` days old is still valid, or has expired. */
function lifetimeFor(r: Rng, age: number, valid: boolean): number {
  if (valid) {
    const options = LIFETIMES.filter((l) => l > age + 14);
    return options.length ? r.pick(options) : r.pick([1095, 1460]); // legacy "three/four-year" secrets
  }
  const options = LIFETIMES.filter((l) => l < age);
  return options.length ? r.pick(options) : Math.max(1, age - r.int(1, 10));
}

type Scenario = "normal" | "expiring" | "expired" | "rotating" | "revoked_reissued" | "revoked_only";

function planSecrets(r: Rng, scenario: Scenario): SecretPlan[] {
  const bucketAge = () =>
    r.weighted<() => number>([
      [() => r.int(1, 30), 20],
      [() => r.int(31, 90), 24],
      [() => r.int(91, 180), 20],
      [() => r.int(181, 365), 20],
      [() => r.int(366, 820), 16],
    ])();
  const plans: SecretPlan[] = [];
  let newest: SecretPlan;
  switch (scenario) {
    case "expiring": {
      const lifetime = r.pick([90, 90, 180, 365]);
      newest = { ageDays: lifetime - r.int(1, 14), lifetimeDays: lifetime };
      break;
    }
    case "expired": {
      const age = r.int(95, 700);
      newest = { ageDays: age, lifetimeDays: lifetimeFor(r, age, false) };
      break;
    }
    case "rotating": {
      // a rotation a few days ago: the new secret plus the old one in its overlap window (7 days)
      const age = r.int(0, 5);
      newest = { ageDays: age, lifetimeDays: 90 };
      const oldAge = age + r.int(60, 400);
      plans.push({ ageDays: oldAge, lifetimeDays: lifetimeFor(r, oldAge, true), rotatedAgeDays: age, overlapDays: 7 });
      break;
    }
    case "revoked_reissued": {
      // a suspected leak: the secret was revoked and a new one issued the same day
      const age = r.int(2, 200);
      newest = { ageDays: age, lifetimeDays: lifetimeFor(r, age, true) };
      const oldAge = age + r.int(30, 300);
      plans.push({ ageDays: oldAge, lifetimeDays: lifetimeFor(r, oldAge, true), revokedAgeDays: age });
      break;
    }
    case "revoked_only": {
      const age = r.int(40, 500);
      const revokedAge = r.int(1, Math.min(30, age - 1));
      newest = { ageDays: age, lifetimeDays: lifetimeFor(r, age - revokedAge, true) + revokedAge, revokedAgeDays: revokedAge };
      break;
    }
    default: {
      const age = bucketAge();
      newest = { ageDays: age, lifetimeDays: lifetimeFor(r, age, true) };
    }
  }
  // earlier, long-finished rotations: replaced, overlapped for a week, expired
  const history = scenario === "normal" || scenario === "expiring" ? r.weighted([[0, 50], [1, 35], [2, 15]] as const) : 0;
  let replacedAt = plans.length ? plans[0].ageDays : newest.ageDays;
  for (let i = 0; i < history; i++) {
    const lifetime = r.pick([90, 180, 365]);
    const age = replacedAt + lifetime - r.int(3, 20);
    plans.push({ ageDays: age, lifetimeDays: lifetime, rotatedAgeDays: replacedAt, overlapDays: 7 });
    replacedAt = age;
  }
  return [newest, ...plans];
}

// ---------------------------------------------------------------------------------------------

const newId = () => "c" + crypto.randomBytes(12).toString("hex").slice(0, 24);

type ClientRow = {
  id: string;
  clientId: string;
  name: string;
  description: string;
  environment: Environment;
  ownerTeamId: string;
  contactEmail: string;
  status: string;
  authMethod: AuthMethod;
  acceptedMethods: string;
  grantTypes: string;
  scopes: string;
  searchText: string;
  secretCreatedAt: Date | null;
  secretExpiresAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
} & Omit<DemoClient, "id" | "clientId" | "environment" | "status" | "authMethod" | "acceptedMethods" | "grantTypes" | "createdAt" | "secretCreatedAt" | "secretExpiresAt">;

type SecretRow = {
  id: string;
  clientId: string;
  hash: string;
  hint: string;
  createdAt: Date;
  createdById: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedById: string | null;
  rotatedAt: Date | null;
  lastUsedAt?: Date | null;
};

/** Seeds the demo organisation unless the marker says it is already there. */
export async function seedDemo(options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const log = options.log ?? (() => {});
  const clientCount = Math.max(1, Math.floor(options.clients ?? 240));
  const password = process.env.KEYSHIFT_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;

  if (await db().setting.findUnique({ where: { key: DEMO_MARKER } })) {
    log("demo data: already present, nothing to do");
    return { created: false, clients: 0, users: [] };
  }

  const started = Date.now();
  const passwordHash = await hashPassword(password); // one scrypt hash, shared by every demo user
  const secretKey = derivedKey("secret-hash");
  const r = rng(0x6b657973);
  const now = new Date();
  // a moment `days` days ago, give or take up to 8 hours (so timestamps do not all share a time of day)
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS - Math.floor(r.next() * 8 * 3_600_000));

  const timeout = 60_000 + clientCount * 50;
  let result: SeedDemoResult;
  try {
    result = await db().$transaction(
      async (tx: Tx) => {
        // the marker first: a concurrent seeder blocks on it and then fails on its primary key
        await tx.setting.create({ data: { key: DEMO_MARKER, value: JSON.stringify({ at: now.toISOString(), clients: clientCount }) } });

        // teams
        const teamIds = new Map<string, string>();
        for (const team of TEAMS) {
          const existing = await tx.team.findUnique({ where: { name: team.name } });
          const row = existing ?? (await tx.team.create({ data: { name: team.name, description: team.description } }));
          teamIds.set(team.name, row.id);
          if (!existing) await appendAudit(tx, DEMO_ACTOR, { action: "team.create", target: { type: "team", id: row.id, name: row.name }, details: { reason: "demo data" } });
        }

        // users
        const users: SeedDemoResult["users"] = [];
        const membersOf = new Map<string, string[]>(); // team name → operator ids
        const adminIds: string[] = [];
        for (const spec of USERS) {
          const email = emailOf(spec.name);
          let user = await tx.user.findUnique({ where: { email } });
          if (!user) {
            user = await tx.user.create({
              data: {
                email,
                name: spec.name,
                role: spec.role,
                passwordHash,
                memberships: { create: spec.teams.map((t) => ({ teamId: teamIds.get(t)! })) },
              },
            });
            users.push({ email, role: spec.role, password });
            await appendAudit(tx, DEMO_ACTOR, {
              action: "user.create",
              target: { type: "user", id: user.id, name: email },
              details: { role: spec.role, teams: spec.teams, reason: "demo data" },
            });
          }
          if (spec.role === "admin") adminIds.push(user.id);
          if (spec.role === "operator") for (const t of spec.teams) membersOf.set(t, [...(membersOf.get(t) ?? []), user.id]);
        }

        // which (team, service, environment, region) combinations become clients
        const combos: { team: TeamSpec; service: Service; env: Environment; region: string }[] = [];
        const regions = ["", "eu-west-1", "us-east-1", "ap-southeast-2"];
        for (const region of regions) {
          const layer: typeof combos = [];
          for (const team of TEAMS)
            for (const service of team.services)
              for (const env of ["production", "staging", "development"] as const) layer.push({ team, service, env, region });
          combos.push(...r.shuffle(layer));
        }
        while (combos.length < clientCount) combos.push(...combos.slice(0, clientCount - combos.length).map((c) => ({ ...c, region: `${c.region || "shard"}-${combos.length}` })));
        const chosen = combos.slice(0, clientCount);

        const takenIds = new Set<string>();
        const clients: ClientRow[] = [];
        const secrets: SecretRow[] = [];
        const scenarioCount: Record<string, number> = {};
        for (const { team, service, env, region } of chosen) {
          const style = r.weighted<IdStyle>(
            team.name === "Partner Integrations"
              ? [["url", 45], ["uuid", 25], ["okta", 15], ["auth0", 15]]
              : [["okta", 30], ["auth0", 20], ["keycloak", 27], ["uuid", 15], ["url", 8]],
          );
          let clientId = clientIdFor(r, style, team, service, env, region);
          for (let n = 2; takenIds.has(clientId); n++) clientId = `${clientIdFor(r, style, team, service, env, region)}-${n}`;
          takenIds.add(clientId);

          const envLabel = env === "production" ? "" : ` (${env})`;
          const name = `${service.name}${region ? ` ${region}` : ""}${envLabel}`;
          const grantTypes = service.interactive
            ? r.chance(0.5) ? ["authorization_code", "refresh_token"] : ["authorization_code", "refresh_token", "client_credentials"]
            : r.weighted<string[]>([
                [["client_credentials"], 84],
                [["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"], 10],
                [["urn:ietf:params:oauth:grant-type:jwt-bearer"], 3],
                [["client_credentials", "refresh_token"], 3],
              ]);
          const scopes = [...service.scopes, ...(service.interactive ? ["openid", "profile"] : [])];
          const contactEmail = r.chance(0.6)
            ? `${team.slug}-oncall@${DEMO_DOMAIN}`
            : r.chance(0.5) ? `${team.slug}@${DEMO_DOMAIN}` : emailOf(r.pick(USERS.filter((u) => u.teams.includes(team.name))).name);
          const authMethod: AuthMethod = r.chance(0.68) ? "client_secret_basic" : "client_secret_post";

          const disabled = r.chance(0.04);
          const scenario: Scenario = disabled
            ? r.chance(0.5) ? "revoked_only" : "normal"
            : r.weighted<Scenario>([["normal", 74], ["expiring", 8], ["expired", 7], ["rotating", 5], ["revoked_reissued", 4], ["revoked_only", 2]]);
          scenarioCount[scenario] = (scenarioCount[scenario] ?? 0) + 1;

          const id = newId();
          const creators = membersOf.get(team.name) ?? [];
          const creator = () => (creators.length && r.chance(0.8) ? r.pick(creators) : null);
          const revoker = () => (creators.length && r.chance(0.6) ? r.pick(creators) : r.pick(adminIds));
          const plans = planSecrets(r, scenario);
          // plans run newest first; a replaced secret's rotatedAt (or revokedAt, when the replacement
          // followed a revocation) is the moment its successor was created
          const created = plans.map((p) => daysAgo(p.ageDays));
          const rows: SecretRow[] = plans.map((p, i) => {
            const createdAt = created[i];
            const successor = i > 0 ? created[i - 1] : null;
            const rotatedAt = p.rotatedAgeDays === undefined ? null : (successor ?? daysAgo(p.rotatedAgeDays));
            let expiresAt = new Date(createdAt.getTime() + p.lifetimeDays * DAY_MS);
            // a rotation shortens the old secret to the overlap window, never lengthens it
            if (rotatedAt && p.overlapDays !== undefined) {
              const overlapEnd = new Date(rotatedAt.getTime() + p.overlapDays * DAY_MS);
              if (overlapEnd < expiresAt) expiresAt = overlapEnd;
            }
            const revokedAt =
              p.revokedAgeDays === undefined ? null : successor ? new Date(successor.getTime() - r.int(5, 90) * 60_000) : daysAgo(p.revokedAgeDays);
            const plaintext = generateSecret();
            return {
              id: newId(),
              clientId: id,
              hash: hashSecret(plaintext, secretKey),
              hint: secretHint(plaintext),
              createdAt,
              createdById: creator(),
              expiresAt,
              revokedAt,
              revokedById: revokedAt ? revoker() : null,
              rotatedAt,
            };
          });
          secrets.push(...rows);

          // the same rule as refreshSecretSummary: the newest unrevoked secret
          const current = rows.filter((x) => !x.revokedAt).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
          const createdAt = new Date(Math.min(...rows.map((x) => x.createdAt.getTime())) - r.int(0, 30) * 60_000);
          const lastChange = Math.max(...rows.flatMap((x) => [x.createdAt.getTime(), x.revokedAt?.getTime() ?? 0]));
          const disabledAt = disabled ? new Date(Math.max(lastChange + DAY_MS, now.getTime() - r.int(1, 60) * DAY_MS)) : null;
          if (disabledAt && disabledAt > now) disabledAt.setTime(now.getTime() - 3_600_000);
          clients.push({
            id,
            clientId,
            name,
            description: service.purpose + (region ? ` Region ${region}.` : ""),
            environment: env,
            ownerTeamId: teamIds.get(team.name)!,
            contactEmail,
            status: disabled ? "disabled" : "active",
            authMethod,
            acceptedMethods: authMethod,
            grantTypes: grantTypes.join(" "),
            scopes: scopes.join(" "),
            searchText: `${clientId} ${name}`.toLowerCase(),
            secretCreatedAt: current?.createdAt ?? null,
            secretExpiresAt: current?.expiresAt ?? null,
            disabledAt,
            createdAt,
            updatedAt: new Date(Math.max(lastChange, disabledAt?.getTime() ?? 0)),
          });
        }

        // the migration picture: keys registered, dual windows (a few overdue), finalised clients
        const stories = planMigrations(r, clients, secrets, now, adminIds[0]);
        for (let i = 0; i < clients.length; i += 500) await tx.client.createMany({ data: clients.slice(i, i + 500) });
        for (let i = 0; i < secrets.length; i += 1000) await tx.clientSecret.createMany({ data: secrets.slice(i, i + 1000) });
        const traffic = await seedMigrationTraffic(tx, r, clients, secrets, stories, now);
        log(`demo data: ${traffic.keys} client keys, ${traffic.events.toLocaleString("en")} authentication events over 90 days (daily counts)`);

        const summary = {
          teams: TEAMS.length,
          users: users.length,
          clients: clients.length,
          disabledClients: clients.filter((c) => c.status === "disabled").length,
          secrets: secrets.length,
          scenarios: scenarioCount,
        };
        await appendAudit(tx, DEMO_ACTOR, { action: "demo.seed", target: { type: "settings", id: DEMO_MARKER }, details: summary });
        log(`demo data: ${summary.teams} teams, ${summary.users} users, ${summary.clients} clients (${summary.disabledClients} disabled), ${summary.secrets} secrets`);
        return { created: true, clients: clients.length, users };
      },
      { timeout, maxWait: 15_000 },
    );
  } catch (error) {
    // another process seeded it between our check and our marker
    if (isUniqueViolation(error)) {
      log("demo data: seeded concurrently by another process, nothing to do");
      return { created: false, clients: 0, users: [] };
    }
    throw error;
  }
  log(`demo data: seeded in ${Date.now() - started} ms (demo users' password: ${password === DEFAULT_DEMO_PASSWORD ? `"${password}"` : "KEYSHIFT_DEMO_PASSWORD"})`);
  return result;
}
