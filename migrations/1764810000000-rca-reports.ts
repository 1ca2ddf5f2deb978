import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The RCA report (handbook, "RCA report"): versions generated from the approved analysis and
 * the incident record. A version's content is the frozen report model; a correction is a new
 * version, earlier ones stay readable. SQL kept to PostgreSQL 14+.
 */
export class RcaReports1764810000000 implements MigrationInterface {
  name = 'RcaReports1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rca_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        version integer NOT NULL CHECK (version >= 1),
        -- The report model as generated: later edits of the analysis or the incident never change it.
        content jsonb NOT NULL,
        correction_note text,
        generated_at timestamptz NOT NULL,
        generated_by_id uuid REFERENCES staff_members(id),
        generated_by_name text NOT NULL,
        published_at timestamptz,
        published_by_id uuid REFERENCES staff_members(id),
        published_by_name text,
        sent_to_impacted_customers boolean,
        UNIQUE (incident_id, version),
        CHECK ((published_at IS NULL) = (published_by_name IS NULL))
      );

      -- A version is immutable once generated; only its publication is recorded later, once.
      CREATE FUNCTION rca_reports_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'rca_reports rows are never deleted'; END IF;
        IF NEW.content IS DISTINCT FROM OLD.content OR NEW.version <> OLD.version
           OR NEW.incident_id <> OLD.incident_id OR NEW.generated_at <> OLD.generated_at
           OR NEW.correction_note IS DISTINCT FROM OLD.correction_note
           OR OLD.published_at IS NOT NULL THEN
          RAISE EXCEPTION 'rca_reports version % is immutable', OLD.version;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER rca_reports_immutable
        BEFORE UPDATE OR DELETE ON rca_reports
        FOR EACH ROW EXECUTE FUNCTION rca_reports_immutable();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE rca_reports;
      DROP FUNCTION rca_reports_immutable();
    `);
  }
}
