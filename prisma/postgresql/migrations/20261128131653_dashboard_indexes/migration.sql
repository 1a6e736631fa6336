-- DropIndex
DROP INDEX "Client_ownerTeamId_idx";

-- DropIndex
DROP INDEX "ClientSecret_revokedAt_createdAt_expiresAt_clientId_idx";

-- CreateIndex
CREATE INDEX "Client_ownerTeamId_environment_status_authMethod_secretCrea_idx" ON "Client"("ownerTeamId", "environment", "status", "authMethod", "secretCreatedAt", "secretExpiresAt", "migrationState");

-- CreateIndex
CREATE INDEX "Client_environment_migrationState_status_secretCreatedAt_se_idx" ON "Client"("environment", "migrationState", "status", "secretCreatedAt", "secretExpiresAt");

-- CreateIndex
CREATE INDEX "ClientSecret_revokedAt_createdAt_expiresAt_clientId_lastUse_idx" ON "ClientSecret"("revokedAt", "createdAt", "expiresAt", "clientId", "lastUsedAt", "external", "breakGlass");
