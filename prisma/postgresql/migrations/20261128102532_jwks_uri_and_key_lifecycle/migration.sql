-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "jwksFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "jwksFetchedAt" TIMESTAMP(3),
ADD COLUMN     "jwksGoodAt" TIMESTAMP(3),
ADD COLUMN     "jwksLastError" TEXT,
ADD COLUMN     "jwksLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "jwksRefreshAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ClientKey" ADD COLUMN     "certificate" TEXT,
ADD COLUMN     "retireReason" TEXT,
ADD COLUMN     "retiredById" TEXT,
ADD COLUMN     "retiringUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "JwksFetch" (
    "id" SERIAL NOT NULL,
    "clientId" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
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

    CONSTRAINT "JwksFetch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JwksFetch_clientId_at_idx" ON "JwksFetch"("clientId", "at");

-- CreateIndex
CREATE INDEX "Client_keySource_jwksRefreshAt_idx" ON "Client"("keySource", "jwksRefreshAt");

-- CreateIndex
CREATE INDEX "ClientKey_expiresAt_idx" ON "ClientKey"("expiresAt");

-- AddForeignKey
ALTER TABLE "JwksFetch" ADD CONSTRAINT "JwksFetch_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

