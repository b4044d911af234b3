#!/usr/bin/env bash
# A database and a user of its own for each service, the user able to reach its own database and no other.
# The postgres image runs this once, on an empty data volume (/docker-entrypoint-initdb.d); it is safe to
# run again, e.g. for a service added later or to change a password:
#   docker compose exec -e CCM_DATABASES=meetings postgres bash /docker-entrypoint-initdb.d/10-ccm-databases.sh
# CCM_DATABASES names the services (`contacts campaigns social`): service <name> gets database and user
# ccm_<name>, with the password in <NAME>_DB_PASSWORD; a service whose password is empty is skipped.
set -euo pipefail

psql_admin() { psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "${POSTGRES_USER:-postgres}" "$@"; }

for service in ${CCM_DATABASES:?CCM_DATABASES must name the services}; do
  variable="${service^^}_DB_PASSWORD"
  password="${!variable:-}"
  if [ -z "$password" ]; then
    echo "ccm: $variable is empty: no database for $service"
    continue
  fi
  # The user owns its database, so that its migrations can create tables and the trusted extensions they
  # use (pg_trgm, unaccent, fuzzystrmatch); PUBLIC loses the right to connect to it.
  psql_admin --dbname postgres -v name="ccm_$service" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'name') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name')
\gexec
ALTER ROLE :"name" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name')
\gexec
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
  echo "ccm: database and user ccm_$service ready"
done

# Nor may they reach the maintenance databases (superusers keep their rights).
psql_admin --dbname postgres <<'SQL'
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
SQL
