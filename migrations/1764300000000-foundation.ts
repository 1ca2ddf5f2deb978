import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff, access tokens, the service catalogue, customers, and the incident aggregate
 * with its append-only timeline. SQL kept to PostgreSQL 14+.
 */
export class Foundation1764300000000 implements MigrationInterface {
  name = 'Foundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text NOT NULL,
        phone text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX staff_members_email_key ON staff_members (lower(email));

      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_member_id uuid NOT NULL REFERENCES staff_members(id),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        roles text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_tokens_roles_check CHECK (
          cardinality(roles) > 0 AND
          roles <@ ARRAY['admin','commander','notifier','investigator','postmortem','support']::text[])
      );

      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE,
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        language text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX customers_name_key ON customers (lower(name));

      CREATE TABLE customer_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customers(id),
        name text NOT NULL,
        email text NOT NULL,
        phone text,
        language text,
        receives_notices boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX customer_contacts_email_key ON customer_contacts (customer_id, lower(email));

      CREATE TABLE customer_subscriptions (
        customer_id uuid NOT NULL REFERENCES customers(id),
        service_id uuid NOT NULL REFERENCES services(id),
        PRIMARY KEY (customer_id, service_id)
      );
      CREATE INDEX customer_subscriptions_service_idx ON customer_subscriptions (service_id);

      -- One row per year; incrementing it inside the declaring transaction keeps references
      -- sequential and gap-free even with many concurrent declarations.
      CREATE TABLE incident_reference_counters (
        year integer PRIMARY KEY,
        last_sequence integer NOT NULL
      );

      CREATE TABLE incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        title text NOT NULL,
        summary text NOT NULL DEFAULT '',
        kind text NOT NULL CHECK (kind IN ('service_disruption','security_breach')),
        severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),
        status text NOT NULL CHECK (status IN ('declared','investigating','identified','monitoring','resolved','closed')),
        commander_id uuid NOT NULL REFERENCES staff_members(id),
        declared_at timestamptz NOT NULL,
        response_due_at timestamptz NOT NULL,
        resolution_due_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolution_summary text,
        postmortem_approved_at timestamptz,
        closed_at timestamptz,
        close_reason text,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1
      );
      CREATE INDEX incidents_status_idx ON incidents (status, declared_at DESC);
      CREATE INDEX incidents_declared_idx ON incidents (declared_at DESC);

      CREATE TABLE incident_services (
        incident_id uuid NOT NULL REFERENCES incidents(id),
        service_id uuid NOT NULL REFERENCES services(id),
        PRIMARY KEY (incident_id, service_id)
      );
      CREATE INDEX incident_services_service_idx ON incident_services (service_id);

      CREATE TABLE incident_participants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id),
        staff_member_id uuid NOT NULL REFERENCES staff_members(id),
        role text NOT NULL CHECK (role IN ('commander','investigation_lead','sme','communications_lead')),
        domain text,
        joined_at timestamptz NOT NULL,
        left_at timestamptz
      );
      CREATE UNIQUE INDEX incident_participants_active_key
        ON incident_participants (incident_id, staff_member_id, role) WHERE left_at IS NULL;

      CREATE TABLE incident_timeline (
        id bigserial PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incidents(id),
        occurred_at timestamptz NOT NULL,
        actor_id uuid REFERENCES staff_members(id),
        actor_name text NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, id);

      -- The timeline is the record: nothing rewrites or removes an entry.
      CREATE FUNCTION incident_timeline_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'incident_timeline is append-only';
      END $$;
      CREATE TRIGGER incident_timeline_append_only
        BEFORE UPDATE OR DELETE ON incident_timeline
        FOR EACH ROW EXECUTE FUNCTION incident_timeline_append_only();

      CREATE TABLE idempotency_keys (
        token_id uuid NOT NULL REFERENCES api_tokens(id),
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (token_id, key)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE idempotency_keys;
      DROP TABLE incident_timeline;
      DROP FUNCTION incident_timeline_append_only();
      DROP TABLE incident_participants, incident_services, incidents, incident_reference_counters;
      DROP TABLE customer_subscriptions, customer_contacts, customers, services;
      DROP TABLE api_tokens, staff_members;
    `);
  }
}
