-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "rotateOlderThanDays" INTEGER,
    "ownerId" TEXT NOT NULL,
    "deadline" DATETIME NOT NULL,
    "cohortQuery" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "closedAt" DATETIME,
    "closedById" TEXT,
    CONSTRAINT "Campaign_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CampaignClient" (
    "campaignId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("campaignId", "clientId"),
    CONSTRAINT "CampaignClient_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CampaignClient_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CampaignSnapshot" (
    "campaignId" TEXT NOT NULL,
    "day" DATETIME NOT NULL,
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL,
    "stages" TEXT NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("campaignId", "day"),
    CONSTRAINT "CampaignSnapshot_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_name_key" ON "Campaign"("name");

-- CreateIndex
CREATE INDEX "Campaign_status_deadline_idx" ON "Campaign"("status", "deadline");

-- CreateIndex
CREATE INDEX "CampaignClient_clientId_idx" ON "CampaignClient"("clientId");

