-- A notice of withdrawal no longer ends membership: the state stays a State Party until the withdrawal
-- takes effect (Art. 20(3)), which the history records as a step of its own. A notice can be revoked.
ALTER TABLE treaty_steps DROP CONSTRAINT treaty_steps_kind_check;
ALTER TABLE treaty_steps ADD CONSTRAINT treaty_steps_kind_check CHECK (kind IN (
  'signature', 'ratification', 'acceptance', 'approval', 'accession', 'withdrawal', 'withdrawal_revocation', 'withdrawal_effective'));

-- Art. 20(3)'s armed-conflict proviso: while set without a date, the withdrawal waits for a person to give one.
ALTER TABLE states ADD COLUMN withdrawal_armed_conflict boolean NOT NULL DEFAULT false;

-- Withdrawals recorded the old way: the notice left the state a State Party, and the effect is a step of its own.
UPDATE treaty_steps SET to_status = 'state_party' WHERE kind = 'withdrawal';
INSERT INTO treaty_steps (iso3, kind, date, source, from_status, to_status, recorded_by)
SELECT iso3, 'withdrawal_effective', withdrawal_effective_on, NULL, 'state_party', 'withdrawn', 'migration-008'
  FROM states WHERE status = 'withdrawn' AND withdrawal_effective_on <= current_date;
UPDATE states SET status = 'state_party', version = version + 1, updated_at = now(), updated_by = 'migration-008'
 WHERE status = 'withdrawn' AND withdrawal_effective_on > current_date;
