// The baseline for bench/states.ts: a bare Fastify + pg primary-key lookup of the same table,
// without auth, validation, rate limit, metrics or logging. Port and database from argv.
import Fastify from 'fastify'
import pg from 'pg'

const [port, databaseUrl] = process.argv.slice(2)
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 })
const app = Fastify()
app.get<{ Params: { iso3: string } }>('/states/:iso3', async (request, reply) => {
  const { rows } = await pool.query('SELECT * FROM states WHERE iso3 = $1', [request.params.iso3])
  return rows[0] ?? reply.status(404).send()
})
await app.listen({ host: '127.0.0.1', port: Number(port) })
process.on('SIGTERM', async () => {
  await app.close()
  await pool.end()
  process.exit(0)
})
