-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "breakGlassUntil" TIMESTAMP(3),
ADD COLUMN     "dualStartedAt" TIMESTAMP(3),
ADD COLUMN     "dualUntil" TIMESTAMP(3),
ADD COLUMN     "finalisedAt" TIMESTAMP(3),
ADD COLUMN     "firstAssertionAt" TIMESTAMP(3),
ADD COLUMN     "migrationFrom" TEXT,
ADD COLUMN     "migrationState" TEXT NOT NULL DEFAULT 'secret_only';

-- AlterTable
ALTER TABLE "ClientSecret" ADD COLUMN     "breakGlass" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Client_status_migrationState_idx" ON "Client"("status", "migrationState");


-- Backfill the migration state from what the clients already are. Created as private_key_jwt means
-- finalised, accepting two methods means a dual window, a secret client with keys has registered them.
UPDATE "Client" SET "migrationState" = 'private_key_jwt' WHERE "authMethod" = 'private_key_jwt';
UPDATE "Client" SET "migrationState" = 'dual', "migrationFrom" = "authMethod" WHERE "authMethod" <> 'private_key_jwt' AND "acceptedMethods" LIKE '% %';
UPDATE "Client" SET "migrationState" = 'keys_registered' WHERE "migrationState" = 'secret_only' AND "keySource" <> 'none';
UPDATE "Client" SET "firstAssertionAt" = (
  SELECT MIN(e."at") FROM "AuthEvent" e WHERE e."clientDbId" = "Client"."id" AND e."method" = 'private_key_jwt' AND e."outcome" = 'success'
);
