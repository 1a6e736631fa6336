-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "introspection" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "resources" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "ClientKey" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "kty" TEXT NOT NULL,
    "alg" TEXT,
    "thumbprint" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "notBefore" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "ClientKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsedAssertion" (
    "clientId" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsedAssertion_pkey" PRIMARY KEY ("clientId","jti")
);

-- CreateTable
CREATE TABLE "AuthEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "endpoint" TEXT NOT NULL,
    "clientDbId" TEXT,
    "clientId" TEXT NOT NULL,
    "method" TEXT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "kid" TEXT,
    "secretHint" TEXT,
    "audienceForm" TEXT,
    "address" TEXT NOT NULL,

    CONSTRAINT "AuthEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerKey" (
    "id" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "slot" TEXT,
    "publicJwk" TEXT NOT NULL,
    "privateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMP(3),
    "publishUntil" TIMESTAMP(3),
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "ServerKey_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "ClientKey" ADD CONSTRAINT "ClientKey_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

