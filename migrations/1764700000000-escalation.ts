import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The escalation chain (handbook annex A) and the escalations of incidents. The default chain
 * uses role titles and example.com addresses; operators replace it with PUT /escalation-chain.
 */
export class Escalation1764700000000 implements MigrationInterface {
  name = 'Escalation1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE escalation_levels (
        level integer PRIMARY KEY CHECK (level >= 1),
        title text NOT NULL,
        name text NOT NULL,
        email text NOT NULL,
        phone text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO escalation_levels (level, title, name, email) VALUES
        (1, 'Customer support desk', 'Customer support desk', 'support-desk@example.com'),
        (2, 'Support supervisor', 'Support supervisor on duty', 'support-supervisor@example.com'),
        (3, 'Senior support manager', 'Senior support manager', 'senior-support-manager@example.com'),
        (4, 'Support director', 'Support director', 'support-director@example.com'),
        (5, 'Senior support director', 'Senior support director', 'senior-support-director@example.com');

      ALTER TABLE incidents ADD COLUMN escalation_level integer NOT NULL DEFAULT 0;
      ALTER TABLE support_requests ADD COLUMN escalation_level integer NOT NULL DEFAULT 0;

      -- One row per level reached by an incident or a support request: UNIQUE makes an
      -- escalation happen once, whatever the number of ticks or instances.
      CREATE TABLE escalations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid REFERENCES incidents(id),
        support_request_id uuid REFERENCES support_requests(id),
        level integer NOT NULL,
        level_title text NOT NULL,
        contact_name text NOT NULL,
        contact_email text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('response_target_missed','resolution_at_risk','resolution_breached','manual','customer')),
        note text,
        requested_by_id uuid REFERENCES staff_members(id),
        requested_by_name text NOT NULL,
        due_at timestamptz,
        created_at timestamptz NOT NULL,
        late boolean NOT NULL DEFAULT false,
        CHECK ((incident_id IS NULL) <> (support_request_id IS NULL)),
        UNIQUE (incident_id, level),
        UNIQUE (support_request_id, level)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE escalations;
      ALTER TABLE incidents DROP COLUMN escalation_level;
      ALTER TABLE support_requests DROP COLUMN escalation_level;
      DROP TABLE escalation_levels;
    `);
  }
}
