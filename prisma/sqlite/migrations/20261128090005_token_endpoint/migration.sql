-- CreateTable
CREATE TABLE "ClientKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "kty" TEXT NOT NULL,
    "alg" TEXT,
    "thumbprint" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "notBefore" DATETIME,
    "expiresAt" DATETIME,
    "lastUsedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "retiredAt" DATETIME,
    CONSTRAINT "ClientKey_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UsedAssertion" (
    "clientId" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("clientId", "jti")
);

-- CreateTable
CREATE TABLE "AuthEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "endpoint" TEXT NOT NULL,
    "clientDbId" TEXT,
    "clientId" TEXT NOT NULL,
    "method" TEXT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "kid" TEXT,
    "secretHint" TEXT,
    "audienceForm" TEXT,
    "address" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "ServerKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kid" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "slot" TEXT,
    "publicJwk" TEXT NOT NULL,
    "privateKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" DATETIME,
    "publishUntil" DATETIME,
    "retiredAt" DATETIME
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
    CONSTRAINT "Client_ownerTeamId_fkey" FOREIGN KEY ("ownerTeamId") REFERENCES "Team" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("acceptedMethods", "audienceCompat", "authMethod", "clientId", "contactEmail", "createdAt", "deletedAt", "description", "disabledAt", "environment", "grantTypes", "id", "jwksUri", "keySource", "lastAuthAt", "lastAuthMethod", "name", "ownerTeamId", "scopes", "searchText", "secretCreatedAt", "secretExpiresAt", "status", "updatedAt") SELECT "acceptedMethods", "audienceCompat", "authMethod", "clientId", "contactEmail", "createdAt", "deletedAt", "description", "disabledAt", "environment", "grantTypes", "id", "jwksUri", "keySource", "lastAuthAt", "lastAuthMethod", "name", "ownerTeamId", "scopes", "searchText", "secretCreatedAt", "secretExpiresAt", "status", "updatedAt" FROM "Client";
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
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ClientKey_thumbprint_idx" ON "ClientKey"("thumbprint");

-- CreateIndex
CREATE UNIQUE INDEX "ClientKey_clientId_kid_key" ON "ClientKey"("clientId", "kid");

-- CreateIndex
CREATE INDEX "UsedAssertion_expiresAt_idx" ON "UsedAssertion"("expiresAt");

-- CreateIndex
CREATE INDEX "AuthEvent_clientDbId_at_idx" ON "AuthEvent"("clientDbId", "at");

-- CreateIndex
CREATE INDEX "AuthEvent_clientId_at_idx" ON "AuthEvent"("clientId", "at");

-- CreateIndex
CREATE INDEX "AuthEvent_at_idx" ON "AuthEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "ServerKey_kid_key" ON "ServerKey"("kid");

-- CreateIndex
CREATE UNIQUE INDEX "ServerKey_slot_key" ON "ServerKey"("slot");

