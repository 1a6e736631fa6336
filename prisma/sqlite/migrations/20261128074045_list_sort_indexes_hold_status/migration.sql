-- DropIndex
DROP INDEX "Client_name_id_idx";

-- DropIndex
DROP INDEX "Client_createdAt_id_idx";

-- DropIndex
DROP INDEX "Client_secretCreatedAt_id_idx";

-- DropIndex
DROP INDEX "Client_lastAuthAt_id_idx";

-- DropIndex
DROP INDEX "Client_environment_id_idx";

-- CreateIndex
CREATE INDEX "Client_name_id_status_idx" ON "Client"("name", "id", "status");

-- CreateIndex
CREATE INDEX "Client_clientId_id_status_idx" ON "Client"("clientId", "id", "status");

-- CreateIndex
CREATE INDEX "Client_environment_id_status_idx" ON "Client"("environment", "id", "status");

-- CreateIndex
CREATE INDEX "Client_createdAt_id_status_idx" ON "Client"("createdAt", "id", "status");

-- CreateIndex
CREATE INDEX "Client_secretCreatedAt_id_status_idx" ON "Client"("secretCreatedAt", "id", "status");

-- CreateIndex
CREATE INDEX "Client_lastAuthAt_id_status_idx" ON "Client"("lastAuthAt", "id", "status");

