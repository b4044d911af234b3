// The duplicates bench's data, generated in SQL through the same triggers as the service's writes:
// 100,000 people with names made of syllables (so that, as in life, few are alike by chance), at 300
// organisations of 197 states, 30,000 interactions, and 2 % of records entered twice.
import type { Db } from '@ccm/db'

export const PEOPLE = 100_000
export const SPRINKLED = 2_000

const syllables = `ARRAY['ka','lo','mi','ne','ru','sa','to','vi','ze','ba','do','fe','gu','ha','ji',
                         'ko','lu','ma','ni','po','ri','su','ta','we','ya','bo','de','fi','go','hu']`
// A stable pseudo-random number per row and purpose.
const hash = (n: string, salt: string) => `abs(hashtext((${n})::text || '${salt}'))`

export async function generate(db: Db) {
  await db.query(`
    INSERT INTO organizations (type, name, country, created_by, updated_by)
    SELECT CASE WHEN s.n % 3 = 0 THEN 'ngo' ELSE 'ministry' END, 'Organisation ' || s.n,
           CASE WHEN s.n % 3 = 0 THEN NULL ELSE st.iso3 END, 'bench', 'bench'
      FROM generate_series(1, 300) AS s(n)
      JOIN (SELECT iso3, row_number() OVER (ORDER BY iso3) AS i FROM states) st ON st.i = 1 + s.n % 197`)
  await db.query(`
    WITH s AS (SELECT ${syllables} AS syl)
    INSERT INTO people (given_name, family_name, phones, phone_keys, created_by, updated_by)
    SELECT initcap(syl[1 + ${hash('n', 'g1')} % 30] || syl[1 + ${hash('n', 'g2')} % 30] || 'a'),
           initcap(syl[1 + ${hash('n', 'f1')} % 30] || syl[1 + ${hash('n', 'f2')} % 30]
                   || syl[1 + ${hash('n', 'f3')} % 30] || 'n'),
           ARRAY['+41 22 ' || lpad(n::text, 7, '0')], ARRAY['+4122' || lpad(n::text, 7, '0')], 'bench', 'bench'
      FROM s, generate_series(1, ${PEOPLE - SPRINKLED}) AS n`)
  await db.query(
    `INSERT INTO person_emails (person_id, position, email) SELECT id, 0, id || '@bench.example' FROM people`,
  )
  await db.query(`
    INSERT INTO affiliations (person_id, organization_id, is_primary, created_by)
    SELECT p.id, o.id, true, 'bench'
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM people) p
      JOIN (SELECT id, row_number() OVER (ORDER BY id) AS i FROM organizations) o ON o.i = 1 + p.i % 300`)
  // Entered twice: a third under the same name in other letters, a third with the same number written
  // another way, a third with a given name misspelt at the same organisation.
  await db.query(`
    CREATE TEMP TABLE twins AS
    SELECT p.id AS original, gen_random_uuid() AS id, (row_number() OVER (ORDER BY p.id)) % 3 AS how,
           p.given_name, p.family_name, p.phones, p.phone_keys
      FROM people p ORDER BY ${hash('p.id', 'twin')} LIMIT ${SPRINKLED}`)
  await db.query(`
    INSERT INTO people (id, given_name, family_name, phones, phone_keys, created_by, updated_by)
    SELECT id,
           CASE how WHEN 0 THEN upper(given_name) WHEN 2 THEN given_name || 'h' ELSE 'Dr. ' || left(given_name, 1) END,
           CASE how WHEN 0 THEN upper(family_name) || '.'
                    ELSE family_name || CASE how WHEN 1 THEN '-Bench' ELSE '' END END,
           CASE how WHEN 1 THEN ARRAY[replace(phones[1], '+', '00')] ELSE '{}' END,
           CASE how WHEN 1 THEN phone_keys ELSE '{}' END, 'bench', 'bench'
      FROM twins`)
  await db.query(`
    INSERT INTO affiliations (person_id, organization_id, created_by)
    SELECT t.id, a.organization_id, 'bench'
      FROM twins t JOIN affiliations a ON a.person_id = t.original WHERE t.how = 2`)
  await db.query(`
    INSERT INTO interactions (kind, occurred_at, summary, author, updated_by)
    SELECT 'meeting', now() - n * interval '1 hour', 'Meeting ' || n, 'bench', 'bench'
      FROM generate_series(1, 30000) AS n`)
  await db.query(`
    INSERT INTO interaction_people (interaction_id, person_id)
    SELECT DISTINCT i.id, p.id
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM interactions) i
      CROSS JOIN generate_series(0, 2) AS k
      JOIN (SELECT id, row_number() OVER (ORDER BY id) AS i FROM people) p
        ON p.i = 1 + ${hash('i.i * 3 + k', 'who')} % ${PEOPLE}`)
  // Some pairs already looked at and judged distinct.
  await db.query(`
    INSERT INTO distinct_people (person_a, person_b, judged_by)
    SELECT least(original, id), greatest(original, id), 'bench' FROM twins ORDER BY id LIMIT 100`)
  await db.query('VACUUM ANALYZE')
}
