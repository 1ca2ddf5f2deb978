import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The post-mortem team's major problem analysis (handbook, "Post-mortem team"): one per
 * resolved incident, the people who took part, and the action plan whose items have an
 * owner, a due date and a status. SQL kept to PostgreSQL 14+.
 */
export class PostmortemAnalysis1764800000000 implements MigrationInterface {
  name = 'PostmortemAnalysis1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE postmortem_analyses (
        incident_id uuid PRIMARY KEY REFERENCES incidents(id),
        status text NOT NULL CHECK (status IN ('draft','in_review','approved')),
        went_well text NOT NULL DEFAULT '',
        went_badly text NOT NULL DEFAULT '',
        failure_causes text NOT NULL DEFAULT '',
        root_causes text NOT NULL DEFAULT '',
        contributing_factors text NOT NULL DEFAULT '',
        -- Breach specifics (attack vector, indicators): internal edition only.
        security_details text NOT NULL DEFAULT '',
        internal_notes text NOT NULL DEFAULT '',
        opened_at timestamptz NOT NULL,
        submitted_at timestamptz,
        approved_at timestamptz,
        approved_by_id uuid REFERENCES staff_members(id),
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1
      );
      CREATE INDEX postmortem_analyses_status_idx ON postmortem_analyses (status);

      CREATE TABLE postmortem_participants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES postmortem_analyses(incident_id),
        staff_member_id uuid NOT NULL REFERENCES staff_members(id),
        -- The role held on the incident (commander, sme, ...), or 'reviewer' for people added later.
        role text NOT NULL,
        UNIQUE (incident_id, staff_member_id)
      );

      CREATE TABLE postmortem_action_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES postmortem_analyses(incident_id),
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        owner_id uuid NOT NULL REFERENCES staff_members(id),
        due_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('open','in_progress','done','cancelled')),
        tracker_url text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        done_at timestamptz,
        -- Last overdue reminder mailed to the owner: the reminder tick sends at most one per interval.
        last_reminded_at timestamptz
      );
      CREATE INDEX postmortem_action_items_incident_idx ON postmortem_action_items (incident_id, created_at);
      -- What the overdue list and the reminder tick scan.
      CREATE INDEX postmortem_action_items_due_idx ON postmortem_action_items (due_on)
        WHERE status IN ('open','in_progress');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE postmortem_action_items, postmortem_participants, postmortem_analyses`);
  }
}
