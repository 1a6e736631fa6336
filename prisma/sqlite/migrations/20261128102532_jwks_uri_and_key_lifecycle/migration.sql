-- AlterTable
ALTER TABLE "ClientKey" ADD COLUMN "certificate" TEXT;
ALTER TABLE "ClientKey" ADD COLUMN "retireReason" TEXT;
ALTER TABLE "ClientKey" ADD COLUMN "retiredById" TEXT;
ALTER TABLE "ClientKey" ADD COLUMN "retiringUntil" DATETIME;

-- CreateTable
CREATE TABLE "JwksFetch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clientId" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trigger" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "httpStatus" INTEGER,
    "errorCode" TEXT,
    "error" TEXT,
    "keyCount" INTEGER,
    "added" TEXT NOT NULL DEFAULT '[]',
    "removed" TEXT NOT NULL DEFAULT '[]',
    "ignored" TEXT NOT NULL DEFAULT '[]',
    "durationMs" INTEGER,
    CONSTRAINT "JwksFetch_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "environment" TEXT NOT NULL,
    "ownerTeamId" TEXT NOT NULL,
    "contactEmail" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "authMethod" TEXT NOT NULL,
    "acceptedMethods" TEXT NOT NULL,
    "grantTypes" TEXT NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '',
    "keySource" TEXT NOT NULL DEFAULT 'none',
    "jwksUri" TEXT,
    "audienceCompat" BOOLEAN NOT NULL DEFAULT false,
    "resources" TEXT NOT NULL DEFAULT '',
    "introspection" BOOLEAN NOT NULL DEFAULT false,
    "searchText" TEXT NOT NULL,
    "secretCreatedAt" DATETIME,
    "secretExpiresAt" DATETIME,
    "lastAuthAt" DATETIME,
    "lastAuthMethod" TEXT,
    "disabledAt" DATETIME,
    "deletedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "jwksFetchedAt" DATETIME,
    "jwksGoodAt" DATETIME,
    "jwksRefreshAt" DATETIME,
    "jwksFailures" INTEGER NOT NULL DEFAULT 0,
    "jwksLastError" TEXT,
    "jwksLeaseUntil" DATETIME,
    CONSTRAINT "Client_ownerTeamId_fkey" FOREIGN KEY ("ownerTeamId") REFERENCES "Team" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("acceptedMethods", "audienceCompat", "authMethod", "clientId", "contactEmail", "createdAt", "deletedAt", "description", "disabledAt", "environment", "grantTypes", "id", "introspection", "jwksUri", "keySource", "lastAuthAt", "lastAuthMethod", "name", "ownerTeamId", "resources", "scopes", "searchText", "secretCreatedAt", "secretExpiresAt", "status", "updatedAt") SELECT "acceptedMethods", "audienceCompat", "authMethod", "clientId", "contactEmail", "createdAt", "deletedAt", "description", "disabledAt", "environment", "grantTypes", "id", "introspection", "jwksUri", "keySource", "lastAuthAt", "lastAuthMethod", "name", "ownerTeamId", "resources", "scopes", "searchText", "secretCreatedAt", "secretExpiresAt", "status", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
CREATE INDEX "Client_status_environment_idx" ON "Client"("status", "environment");
CREATE INDEX "Client_status_ownerTeamId_idx" ON "Client"("status", "ownerTeamId");
CREATE INDEX "Client_status_authMethod_idx" ON "Client"("status", "authMethod");
CREATE INDEX "Client_name_id_status_idx" ON "Client"("name", "id", "status");
CREATE INDEX "Client_clientId_id_status_idx" ON "Client"("clientId", "id", "status");
CREATE INDEX "Client_environment_id_status_idx" ON "Client"("environment", "id", "status");
CREATE INDEX "Client_createdAt_id_status_idx" ON "Client"("createdAt", "id", "status");
CREATE INDEX "Client_secretCreatedAt_id_status_idx" ON "Client"("secretCreatedAt", "id", "status");
CREATE INDEX "Client_lastAuthAt_id_status_idx" ON "Client"("lastAuthAt", "id", "status");
CREATE INDEX "Client_secretExpiresAt_id_idx" ON "Client"("secretExpiresAt", "id");
CREATE INDEX "Client_ownerTeamId_idx" ON "Client"("ownerTeamId");
CREATE INDEX "Client_keySource_jwksRefreshAt_idx" ON "Client"("keySource", "jwksRefreshAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "JwksFetch_clientId_at_idx" ON "JwksFetch"("clientId", "at");

-- CreateIndex
CREATE INDEX "ClientKey_expiresAt_idx" ON "ClientKey"("expiresAt");

