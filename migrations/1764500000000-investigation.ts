import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The investigation & resolution team: scope revisions, the resolution plan with the history
 * of its steps, and internal notes. Revisions, step events and notes are records: a trigger
 * refuses UPDATE and DELETE on them. SQL kept to PostgreSQL 14+.
 */
export class Investigation1764500000000 implements MigrationInterface {
  name = 'Investigation1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scope_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        revision integer NOT NULL CHECK (revision > 0),
        service_ids uuid[] NOT NULL DEFAULT '{}',
        customer_ids uuid[] NOT NULL DEFAULT '{}',
        transactions text,
        started_at timestamptz,
        symptoms text,
        created_at timestamptz NOT NULL,
        actor_id uuid REFERENCES staff_members(id),
        actor_name text NOT NULL,
        CONSTRAINT scope_revisions_revision_key UNIQUE (incident_id, revision)
      );

      CREATE TABLE plan_steps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        position integer NOT NULL CHECK (position > 0),
        title text NOT NULL,
        description text,
        owner_id uuid REFERENCES staff_members(id),
        status text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo','doing','done','abandoned')),
        eta timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        -- Deferred so that a reorder can shift several positions in one statement.
        CONSTRAINT plan_steps_position_key UNIQUE (incident_id, position) DEFERRABLE INITIALLY DEFERRED
      );

      CREATE TABLE plan_step_events (
        id bigserial PRIMARY KEY,
        step_id uuid NOT NULL REFERENCES plan_steps(id),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        at timestamptz NOT NULL,
        actor_id uuid REFERENCES staff_members(id),
        actor_name text NOT NULL,
        from_status text CHECK (from_status IN ('todo','doing','done','abandoned')),
        to_status text CHECK (to_status IN ('todo','doing','done','abandoned')),
        changes jsonb NOT NULL DEFAULT '{}',
        note text
      );
      CREATE INDEX plan_step_events_step_idx ON plan_step_events (step_id, id);
      CREATE INDEX plan_step_events_incident_idx ON plan_step_events (incident_id, id);

      -- Internal only: never part of a customer mail.
      CREATE TABLE investigation_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        at timestamptz NOT NULL,
        actor_id uuid REFERENCES staff_members(id),
        actor_name text NOT NULL,
        text text NOT NULL
      );
      CREATE INDEX investigation_notes_incident_idx ON investigation_notes (incident_id, at, id);

      CREATE FUNCTION investigation_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END $$;
      CREATE TRIGGER scope_revisions_append_only
        BEFORE UPDATE OR DELETE ON scope_revisions
        FOR EACH ROW EXECUTE FUNCTION investigation_record_append_only();
      CREATE TRIGGER plan_step_events_append_only
        BEFORE UPDATE OR DELETE ON plan_step_events
        FOR EACH ROW EXECUTE FUNCTION investigation_record_append_only();
      CREATE TRIGGER investigation_notes_append_only
        BEFORE UPDATE OR DELETE ON investigation_notes
        FOR EACH ROW EXECUTE FUNCTION investigation_record_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE investigation_notes, plan_step_events, plan_steps, scope_revisions;
      DROP FUNCTION investigation_record_append_only();
    `);
  }
}
