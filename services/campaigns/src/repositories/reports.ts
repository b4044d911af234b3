import type { Queryable } from '@ccm/db'

export interface Report {
  id: string
  iso3: string
  kind: 'initial' | 'annual'
  year: number | null
  receivedOn: string
  recordedBy: string
  recordedAt: string
}

// pg returns untyped rows; each is mapped to a typed object below.
type Row = Record<string, any>

const toReport = (r: Row): Report => ({
  id: r.id,
  iso3: r.iso3,
  kind: r.kind,
  year: r.year,
  receivedOn: r.received_on,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at.toISOString(),
})

export function createReportsRepository(db: Queryable) {
  return {
    /**
     * Records a report unless one of that kind (and year) is already recorded for the state; returns it if recorded.
     */
    async insertIfNew(report: Omit<Report, 'recordedAt'>, client: Queryable = db): Promise<Report | null> {
      const { rows } = await client.query(
        `INSERT INTO reports (id, iso3, kind, year, received_on, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING RETURNING *`,
        [report.id, report.iso3, report.kind, report.year, report.receivedOn, report.recordedBy],
      )
      return rows[0] ? toReport(rows[0]) : null
    },

    async list(filter: { iso3?: string }, client: Queryable = db): Promise<Report[]> {
      const { rows } = await client.query(
        `SELECT * FROM reports WHERE ($1::text IS NULL OR iso3 = $1) ORDER BY iso3, received_on, id`,
        [filter.iso3 ?? null],
      )
      return rows.map(toReport)
    },
  }
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>
