-- CreateTable
CREATE TABLE "AuthEventDayTotal" (
    "day" DATETIME NOT NULL,
    "endpoint" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "audienceForm" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("day", "endpoint", "method", "outcome", "reason", "audienceForm")
);

-- CreateIndex
CREATE INDEX "AuthEventDaily_audienceForm_outcome_day_idx" ON "AuthEventDaily"("audienceForm", "outcome", "day");


-- The totals of the roll-ups recorded so far (the writer keeps both from now on).
INSERT INTO "AuthEventDayTotal" ("day", "endpoint", "method", "outcome", "reason", "audienceForm", "count")
SELECT "day", "endpoint", "method", "outcome", "reason", "audienceForm", SUM("count")
FROM "AuthEventDaily"
GROUP BY "day", "endpoint", "method", "outcome", "reason", "audienceForm";
