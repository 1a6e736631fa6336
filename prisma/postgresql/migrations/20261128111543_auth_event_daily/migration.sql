-- CreateTable
CREATE TABLE "AuthEventDaily" (
    "day" TIMESTAMP(3) NOT NULL,
    "endpoint" TEXT NOT NULL,
    "clientDbId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "audienceForm" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "AuthEventDaily_pkey" PRIMARY KEY ("day","endpoint","clientDbId","method","outcome","reason","audienceForm")
);

-- CreateIndex
CREATE INDEX "AuthEventDaily_clientDbId_day_idx" ON "AuthEventDaily"("clientDbId", "day");


-- Roll up the events recorded so far (the writer keeps the roll-ups from now on).
INSERT INTO "AuthEventDaily" ("day", "endpoint", "clientDbId", "method", "outcome", "reason", "audienceForm", "count")
SELECT date_trunc('day', "at"), "endpoint", COALESCE("clientDbId", ''), COALESCE("method", ''), "outcome", COALESCE("reason", ''), COALESCE("audienceForm", ''), COUNT(*)
FROM "AuthEvent"
GROUP BY 1, 2, 3, 4, 5, 6, 7;
