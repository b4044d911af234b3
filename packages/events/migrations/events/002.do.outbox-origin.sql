-- Which relay a row is handed to after its commit (its instance's origin), or '' for none. A transaction
-- handing its events over learns from it whether rows of other writers wait before them, and then
-- lets the relay read the outbox in order instead of publishing its own first.
ALTER TABLE outbox ADD COLUMN origin text NOT NULL DEFAULT '';
