// The search bench's data: generated in SQL, so 100,000 people take seconds, not minutes.
import type { Db } from '@ccm/db'

export const PEOPLE = 100_000

/**
 * 100,000 people, every pair of 60 given names and 2,000 family names (accents included), each at one of 300
 * organisations.
 */
export async function generate(db: Db) {
  await db.query(`
    INSERT INTO organizations (type, name, short_name, country, tags, created_by, updated_by)
    SELECT CASE WHEN s.n % 3 = 0 THEN 'ngo' ELSE 'permanent_mission' END,
           CASE WHEN s.n % 3 = 0 THEN 'Campaign Network ' || s.n
                ELSE 'Permanent Mission of ' || st.name || ' to the UN Office at Geneva' END,
           'Org ' || s.n, CASE WHEN s.n % 3 = 0 THEN NULL ELSE st.iso3 END, ARRAY['bench'], 'bench', 'bench'
      FROM generate_series(1, 300) AS s(n)
      JOIN (SELECT iso3, name, row_number() OVER (ORDER BY iso3) AS i FROM states) st ON st.i = 1 + s.n % 197`)
  await db.query(`
    WITH names AS (
      SELECT ARRAY['Marie','Jean','Hans','Anna','José','María','Ahmed','Fatima','Wei','Li','Olga','Ivan','Amina',
                   'Kwame','Grace','Peter','Søren','Zoë','Chloé','François','Jürgen','Ingrid','Mohammed','Aisha',
                   'Yuki','Hiroshi','Carlos','Lucía','Ana','Pedro','Nadia','Omar','Elena','Dmitri','Sofia','Luca',
                   'Giulia','Ngozi','Chinedu','Thandiwe','Sipho','Priya','Ravi','Anil','Mei','Jun','Kofi','Ama',
                   'Lars','Astrid','Björn','Émilie','Zeynep','Mehmet','Leila','Reza','Tatiana','Oksana','Kai',
                   'Noor'] AS given,
             ARRAY['Müller','Dupont','García','López','Nguyen','Okafor','Johansson','Nakamura','Smith','Kowalski',
                   'Novák','Horváth','Rossi','Côté','Øberg','Şahin','Yılmaz','Petrović','Ivanova','Schmidt',
                   'Fernández','Martínez','Dubois','Lefèvre','Moreau','Bianchi','Kim','Park','Chen','Wang','Singh',
                   'Patel','Khan','Haddad','Mensah','Boateng','Otieno','Kamau','Dlamini','Ndlovu','Silva','Santos',
                   'Pereira','Costa','Jensen','Hansen','Nielsen','Virtanen','Korhonen','Papadopoulos','Georgiou',
                   'Cohen','Levi','Ahmadi','Hosseini','Tanaka','Suzuki','Watanabe','Sato','Ito','Yamamoto',
                   'Kobayashi','Murphy','Kelly','Walsh','Byrne','Novak','Kovač','Popescu','Ionescu','Nagy','Tóth',
                   'Szabó','Lindqvist','Berg','Andersson','Eriksson','Larsson','Olsen','Bakker'] AS family,
             ARRAY['','son','sen','ez','ini','ova','escu','berg','mann','ić','ski','ek','er','an','el','is','os','ay',
                   'ou','um','ard','ier','ot','et','y'] AS suffix
    )
    INSERT INTO people (id, given_name, family_name, tags, created_by, updated_by)
    SELECT gen_random_uuid(), given[1 + n % 60], family[1 + (n / 60) % 80] || suffix[1 + (n / 4800) % 25],
           ARRAY['bench'], 'bench', 'bench'
      FROM names, generate_series(1, ${PEOPLE}) AS n`)
  await db.query(
    `INSERT INTO person_emails (person_id, position, email) SELECT id, 0, id || '@bench.example' FROM people`,
  )
  await db.query(`
    INSERT INTO affiliations (person_id, organization_id, role, is_primary, created_by)
    SELECT p.id, o.id, 'Delegate', true, 'bench'
      FROM (SELECT id, row_number() OVER () AS i FROM people) p
      JOIN (SELECT id, row_number() OVER (ORDER BY id) AS i FROM organizations) o ON o.i = 1 + p.i % 300`)
  await db.query('VACUUM ANALYZE')
}
