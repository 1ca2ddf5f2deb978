import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers' RCA copy requests (the procedure: "a copy is available on request"): every request
 * with its entitlement decision, the admins' explicit grants, and each copy sent (request,
 * RCA version, delivery). Mail attachments for the delivery ledger (the RCA PDF), stored once
 * per mail content. SQL kept to PostgreSQL 14+.
 */
export class RcaRequests1764820000000 implements MigrationInterface {
  name = 'RcaRequests1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE mail_contents ADD COLUMN attachment_count smallint NOT NULL DEFAULT 0;

      -- Read by the worker only for contents whose attachment_count > 0, once per content.
      CREATE TABLE mail_attachments (
        content_id uuid NOT NULL REFERENCES mail_contents(id),
        position smallint NOT NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (content_id, position)
      );

      CREATE TABLE rca_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- What the customer asked for, as typed: kept even when no such incident exists.
        incident_reference text NOT NULL,
        incident_id uuid REFERENCES incidents(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        contact_id uuid NOT NULL REFERENCES customer_contacts(id),
        channel text NOT NULL CHECK (channel IN ('portal','email','phone','proactive')),
        recorded_by_id uuid REFERENCES staff_members(id),
        recorded_by_name text,
        note text,
        language text NOT NULL,
        status text NOT NULL CHECK (status IN ('waiting','fulfilled','refused')),
        refusal_reason text CHECK (refusal_reason IN ('not_entitled')),
        requested_at timestamptz NOT NULL,
        decided_at timestamptz NOT NULL,
        fulfilled_at timestamptz,
        fulfilled_version integer,
        CHECK ((status = 'refused') = (refusal_reason IS NOT NULL))
      );
      CREATE INDEX rca_requests_incident_idx ON rca_requests (incident_id, status);
      CREATE INDEX rca_requests_customer_idx ON rca_requests (customer_id);
      CREATE INDEX rca_requests_requested_idx ON rca_requests (requested_at DESC, id);
      -- A proactive send never creates a second request for the same contact and incident.
      CREATE UNIQUE INDEX rca_requests_proactive_key ON rca_requests (incident_id, contact_id)
        WHERE channel = 'proactive';

      CREATE TABLE rca_grants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        reason text NOT NULL,
        granted_by_id uuid REFERENCES staff_members(id),
        granted_by_name text NOT NULL,
        granted_at timestamptz NOT NULL,
        revoked_by_id uuid REFERENCES staff_members(id),
        revoked_by_name text,
        revoked_at timestamptz
      );
      -- One grant in force per customer and incident; revoked ones stay as the record.
      CREATE UNIQUE INDEX rca_grants_active_key ON rca_grants (incident_id, customer_id) WHERE revoked_at IS NULL;

      -- One copy per request and RCA version: the link between a request and its deliveries.
      CREATE TABLE rca_copies (
        request_id uuid NOT NULL REFERENCES rca_requests(id),
        version integer NOT NULL,
        delivery_id uuid NOT NULL REFERENCES deliveries(id),
        sent_at timestamptz NOT NULL,
        PRIMARY KEY (request_id, version)
      );
      CREATE INDEX rca_copies_delivery_idx ON rca_copies (delivery_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE rca_copies, rca_grants, rca_requests, mail_attachments;
      ALTER TABLE mail_contents DROP COLUMN attachment_count;
    `);
  }
}
