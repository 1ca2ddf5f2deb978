import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer notification (impact, notices, cadence) and the delivery ledger: one row per
 * outgoing mail and recipient, both the queue and the proof (README, "Notifying customers").
 */
export class NotificationAndDelivery1764400000000 implements MigrationInterface {
  name = 'NotificationAndDelivery1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE incidents
        ADD COLUMN impact_defined_at timestamptz,
        ADD COLUMN first_response_at timestamptz,
        ADD COLUMN update_cadence_minutes numeric CHECK (update_cadence_minutes >= 0),
        ADD COLUMN next_update_due_at timestamptz;
      CREATE INDEX incidents_next_update_idx ON incidents (next_update_due_at) WHERE next_update_due_at IS NOT NULL;

      -- Manual corrections of the derived impacted set, each with its reason.
      CREATE TABLE impact_adjustments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        action text NOT NULL CHECK (action IN ('add','remove')),
        reason text NOT NULL,
        actor_id uuid REFERENCES staff_members(id),
        actor_name text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX impact_adjustments_incident_idx ON impact_adjustments (incident_id, created_at);

      -- The frozen impacted set; each customer carries its own notice clock.
      CREATE TABLE impacted_customers (
        incident_id uuid NOT NULL REFERENCES incidents(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        source text NOT NULL CHECK (source IN ('subscription','manual')),
        added_at timestamptz NOT NULL,
        notify_target_at timestamptz NOT NULL,
        notify_autosend_at timestamptz NOT NULL,
        notify_deadline_at timestamptz NOT NULL,
        reminded_at timestamptz,
        deadline_alerted_at timestamptz,
        PRIMARY KEY (incident_id, customer_id)
      );
      CREATE INDEX impacted_customers_target_idx ON impacted_customers (notify_target_at) WHERE reminded_at IS NULL;
      CREATE INDEX impacted_customers_deadline_idx ON impacted_customers (notify_deadline_at) WHERE deadline_alerted_at IS NULL;

      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        sequence integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('initial','update','holding','resolution')),
        status text NOT NULL CHECK (status IN ('draft','approved')),
        observed text,
        actions text,
        message text,
        next_update_at timestamptz,
        created_at timestamptz NOT NULL,
        created_by_id uuid REFERENCES staff_members(id),
        created_by_name text NOT NULL,
        approved_at timestamptz,
        approved_by_id uuid REFERENCES staff_members(id),
        approved_by_name text,
        auto_approved boolean NOT NULL DEFAULT false,
        UNIQUE (incident_id, sequence)
      );
      CREATE UNIQUE INDEX notifications_one_initial ON notifications (incident_id) WHERE kind = 'initial';

      -- Rendered once per notice and language; deliveries point at it.
      CREATE TABLE mail_contents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        template text NOT NULL,
        language text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('initial','update','holding','resolution','reminder','escalation','rca_copy','confirmation','support_reply')),
        priority smallint NOT NULL,
        incident_id uuid REFERENCES incidents(id),
        notification_id uuid REFERENCES notifications(id),
        content_id uuid NOT NULL REFERENCES mail_contents(id),
        recipient_type text NOT NULL CHECK (recipient_type IN ('contact','staff','requester')),
        customer_id uuid REFERENCES customers(id),
        contact_id uuid REFERENCES customer_contacts(id),
        staff_member_id uuid REFERENCES staff_members(id),
        to_address text NOT NULL,
        to_name text NOT NULL,
        message_id text NOT NULL UNIQUE,
        thread_id text,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending','sending','accepted','retrying','failed','superseded')),
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        locked_by text,
        accepted_at timestamptz,
        smtp_response text,
        last_error text,
        failed_at timestamptz,
        superseded_at timestamptz,
        CHECK ((recipient_type = 'contact') = (contact_id IS NOT NULL))
      );
      -- The claim's order: a LIMIT n claim reads n rows of this index, whatever the backlog.
      -- A claimed row's next_attempt_at is its lease end, so an expired lease is simply "due".
      CREATE INDEX deliveries_due_idx ON deliveries (priority, next_attempt_at, seq)
        WHERE status IN ('pending','retrying','sending');
      CREATE INDEX deliveries_contact_order_idx ON deliveries (incident_id, contact_id, seq)
        WHERE status IN ('pending','retrying','sending');
      CREATE INDEX deliveries_incident_idx ON deliveries (incident_id, kind);

      -- The timeline's append-only trigger covers UPDATE and DELETE; TRUNCATE is a statement.
      CREATE TRIGGER incident_timeline_no_truncate
        BEFORE TRUNCATE ON incident_timeline
        FOR EACH STATEMENT EXECUTE FUNCTION incident_timeline_append_only();

      -- Token bucket shared by every instance: RELAY_RATE_PER_SECOND holds cluster-wide.
      CREATE TABLE relay_rate_limits (
        relay text PRIMARY KEY,
        available double precision NOT NULL,
        updated_at timestamptz NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER incident_timeline_no_truncate ON incident_timeline;
      DROP TABLE relay_rate_limits, deliveries, mail_contents, notifications, impacted_customers, impact_adjustments;
      ALTER TABLE incidents DROP COLUMN impact_defined_at, DROP COLUMN first_response_at,
        DROP COLUMN update_cadence_minutes, DROP COLUMN next_update_due_at;
    `);
  }
}
