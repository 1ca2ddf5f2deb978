import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Support requests (handbook, "Support requests"): customers' problem reports with a
 * reference `SR-YYYY-NNNNNN`, their own append-only history, and the replies mailed to the
 * requester. SQL kept to PostgreSQL 14+.
 */
export class SupportRequests1764600000000 implements MigrationInterface {
  name = 'SupportRequests1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- One row per year, incremented inside the creating transaction: sequential, gap-free.
      CREATE TABLE support_request_counters (
        year integer PRIMARY KEY,
        last_sequence integer NOT NULL
      );

      CREATE TABLE support_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE CHECK (reference ~ '^SR-[0-9]{4}-[0-9]{6,}$'),
        company text NOT NULL,
        contact_name text NOT NULL,
        contact_phone text,
        contact_email text NOT NULL,
        user_id text,
        submission_method text NOT NULL CHECK (submission_method IN ('phone','email','portal')),
        job_numbers text,
        event_at timestamptz,
        description text NOT NULL,
        error_messages text,
        status text NOT NULL CHECK (status IN ('new','triaged','in_progress','answered','closed')),
        severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),
        priority text NOT NULL CHECK (priority IN ('normal','low')),
        customer_id uuid REFERENCES customers(id),
        contact_id uuid REFERENCES customer_contacts(id),
        incident_id uuid REFERENCES incidents(id),
        assigned_team text,
        response_due_at timestamptz NOT NULL,
        resolution_due_at timestamptz NOT NULL,
        first_response_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        created_by_id uuid REFERENCES staff_members(id),
        created_by_name text NOT NULL
      );
      CREATE INDEX support_requests_created_idx ON support_requests (created_at DESC);
      CREATE INDEX support_requests_status_idx ON support_requests (status, created_at DESC);
      CREATE INDEX support_requests_incident_idx ON support_requests (incident_id) WHERE incident_id IS NOT NULL;
      CREATE INDEX support_requests_customer_idx ON support_requests (customer_id) WHERE customer_id IS NOT NULL;
      -- Open requests still waiting for their first response: what escalation will scan.
      CREATE INDEX support_requests_response_due_idx ON support_requests (response_due_at)
        WHERE first_response_at IS NULL AND status <> 'closed';

      CREATE TABLE support_request_events (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES support_requests(id),
        at timestamptz NOT NULL,
        actor_id uuid REFERENCES staff_members(id),
        actor_name text NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX support_request_events_request_idx ON support_request_events (request_id, id);

      -- The history is the record: nothing rewrites or removes an entry.
      CREATE FUNCTION support_request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'support_request_events is append-only';
      END $$;
      CREATE TRIGGER support_request_events_append_only
        BEFORE UPDATE OR DELETE ON support_request_events
        FOR EACH ROW EXECUTE FUNCTION support_request_events_append_only();

      CREATE TABLE support_replies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES support_requests(id),
        at timestamptz NOT NULL,
        author_id uuid REFERENCES staff_members(id),
        author_name text NOT NULL,
        body text NOT NULL
      );
      CREATE INDEX support_replies_request_idx ON support_replies (request_id, at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE support_replies;
      DROP TABLE support_request_events;
      DROP FUNCTION support_request_events_append_only();
      DROP TABLE support_requests, support_request_counters;
    `);
  }
}
