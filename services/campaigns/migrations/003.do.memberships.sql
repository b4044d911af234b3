-- Every period a state has been a State Party, from its deposit to the day a withdrawal took effect. The
-- states read model holds a state's latest snapshot only: once a state that withdrew joins again, its
-- earlier membership would vanish from the statistics by year.
CREATE TABLE memberships (
  iso3                    char(3) NOT NULL,
  deposited_on            date NOT NULL,
  withdrawal_effective_on date,
  PRIMARY KEY (iso3, deposited_on)
);
INSERT INTO memberships (iso3, deposited_on, withdrawal_effective_on)
SELECT iso3, deposited_on, CASE WHEN status = 'withdrawn' THEN withdrawal_effective_on END
  FROM states WHERE deposited_on IS NOT NULL AND status IN ('state_party', 'withdrawn');
