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
    "migrationState" TEXT NOT NULL DEFAULT 'secret_only',
    "migrationFrom" TEXT,
    "dualStartedAt" DATETIME,
    "dualUntil" DATETIME,
    "finalisedAt" DATETIME,
    "firstAssertionAt" DATETIME,
    "breakGlassUntil" DATETIME,
    CONSTRAINT "Client_ownerTeamId_fkey" FOREIGN KEY ("ownerTeamId") REFERENCES "Team" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("acceptedMethods", "audienceCompat", "authMethod", "clientId", "contactEmail", "createdAt", "deletedAt", "description", "disabledAt", "environment", "grantTypes", "id", "introspection", "jwksFailures", "jwksFetchedAt", "jwksGoodAt", "jwksLastError", "jwksLeaseUntil", "jwksRefreshAt", "jwksUri", "keySource", "lastAuthAt", "lastAuthMethod", "name", "ownerTeamId", "resources", "scopes", "searchText", "secretCreatedAt", "secretExpiresAt", "status", "updatedAt") SELECT "acceptedMethods", "audienceCompat", "authMethod", "clientId", "contactEmail", "createdAt", "deletedAt", "description", "disabledAt", "environment", "grantTypes", "id", "introspection", "jwksFailures", "jwksFetchedAt", "jwksGoodAt", "jwksLastError", "jwksLeaseUntil", "jwksRefreshAt", "jwksUri", "keySource", "lastAuthAt", "lastAuthMethod", "name", "ownerTeamId", "resources", "scopes", "searchText", "secretCreatedAt", "secretExpiresAt", "status", "updatedAt" FROM "Client";
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
CREATE INDEX "Client_status_migrationState_idx" ON "Client"("status", "migrationState");
CREATE TABLE "new_ClientSecret" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "hash" TEXT,
    "hint" TEXT NOT NULL,
    "external" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "revokedById" TEXT,
    "rotatedAt" DATETIME,
    "lastUsedAt" DATETIME,
    "breakGlass" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "ClientSecret_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ClientSecret" ("clientId", "createdAt", "createdById", "expiresAt", "external", "hash", "hint", "id", "lastUsedAt", "revokedAt", "revokedById", "rotatedAt") SELECT "clientId", "createdAt", "createdById", "expiresAt", "external", "hash", "hint", "id", "lastUsedAt", "revokedAt", "revokedById", "rotatedAt" FROM "ClientSecret";
DROP TABLE "ClientSecret";
ALTER TABLE "new_ClientSecret" RENAME TO "ClientSecret";
CREATE INDEX "ClientSecret_clientId_createdAt_idx" ON "ClientSecret"("clientId", "createdAt");
CREATE INDEX "ClientSecret_clientId_revokedAt_expiresAt_idx" ON "ClientSecret"("clientId", "revokedAt", "expiresAt");
CREATE INDEX "ClientSecret_revokedAt_createdAt_expiresAt_clientId_idx" ON "ClientSecret"("revokedAt", "createdAt", "expiresAt", "clientId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Backfill the migration state from what the clients already are. Created as private_key_jwt means
-- finalised, accepting two methods means a dual window, a secret client with keys has registered them.
UPDATE "Client" SET "migrationState" = 'private_key_jwt' WHERE "authMethod" = 'private_key_jwt';
UPDATE "Client" SET "migrationState" = 'dual', "migrationFrom" = "authMethod" WHERE "authMethod" <> 'private_key_jwt' AND "acceptedMethods" LIKE '% %';
UPDATE "Client" SET "migrationState" = 'keys_registered' WHERE "migrationState" = 'secret_only' AND "keySource" <> 'none';
UPDATE "Client" SET "firstAssertionAt" = (
  SELECT MIN(e."at") FROM "AuthEvent" e WHERE e."clientDbId" = "Client"."id" AND e."method" = 'private_key_jwt' AND e."outcome" = 'success'
);
