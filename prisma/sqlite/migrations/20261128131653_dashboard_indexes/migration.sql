-- DropIndex
DROP INDEX "Client_ownerTeamId_idx";

-- DropIndex
DROP INDEX "ClientSecret_revokedAt_createdAt_expiresAt_clientId_idx";

-- CreateIndex
CREATE INDEX "Client_ownerTeamId_environment_status_authMethod_secretCreatedAt_secretExpiresAt_migrationState_idx" ON "Client"("ownerTeamId", "environment", "status", "authMethod", "secretCreatedAt", "secretExpiresAt", "migrationState");

-- CreateIndex
CREATE INDEX "Client_environment_migrationState_status_secretCreatedAt_secretExpiresAt_idx" ON "Client"("environment", "migrationState", "status", "secretCreatedAt", "secretExpiresAt");

-- CreateIndex
CREATE INDEX "ClientSecret_revokedAt_createdAt_expiresAt_clientId_lastUsedAt_external_breakGlass_idx" ON "ClientSecret"("revokedAt", "createdAt", "expiresAt", "clientId", "lastUsedAt", "external", "breakGlass");
