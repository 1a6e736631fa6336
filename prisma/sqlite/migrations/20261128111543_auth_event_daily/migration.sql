-- CreateTable
CREATE TABLE "AuthEventDaily" (
    "day" DATETIME NOT NULL,
    "endpoint" TEXT NOT NULL,
    "clientDbId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "audienceForm" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("day", "endpoint", "clientDbId", "method", "outcome", "reason", "audienceForm")
);

-- CreateIndex
CREATE INDEX "AuthEventDaily_clientDbId_day_idx" ON "AuthEventDaily"("clientDbId", "day");


-- Roll up the events recorded so far (the writer keeps the roll-ups from now on).
INSERT INTO "AuthEventDaily" ("day", "endpoint", "clientDbId", "method", "outcome", "reason", "audienceForm", "count")
SELECT substr("at", 1, 10) || 'T00:00:00.000+00:00', "endpoint", COALESCE("clientDbId", ''), COALESCE("method", ''), "outcome", COALESCE("reason", ''), COALESCE("audienceForm", ''), COUNT(*)
FROM "AuthEvent"
GROUP BY substr("at", 1, 10), "endpoint", COALESCE("clientDbId", ''), COALESCE("method", ''), "outcome", COALESCE("reason", ''), COALESCE("audienceForm", '');
