import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the read path (get and list incidents), checked with EXPLAIN on a populated
 * database: an incident's participants were found by scanning incident_participants (only the
 * partial unique index of active participants started with incident_id, and its history rows
 * were not in it); the list's order (declared_at DESC, reference DESC) is now served by one
 * index, so a page is read in order and stops at its LIMIT instead of sorting ties.
 * SQL kept to PostgreSQL 14+.
 */
export class ReadIndexes1764900000000 implements MigrationInterface {
  name = 'ReadIndexes1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX incident_participants_incident_idx ON incident_participants (incident_id, joined_at);
      CREATE INDEX incidents_declared_reference_idx ON incidents (declared_at DESC, reference DESC);
      DROP INDEX incidents_declared_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX incidents_declared_idx ON incidents (declared_at DESC);
      DROP INDEX incidents_declared_reference_idx;
      DROP INDEX incident_participants_incident_idx;
    `);
  }
}
