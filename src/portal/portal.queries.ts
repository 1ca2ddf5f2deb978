import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sqlRows } from '../common/sql';
import { OPEN_STATUSES } from '../incident/domain/incident-status';
import { NoticeUpdate, NoticeUpdateRow, updatesByIncident } from '../pages/notice-updates';
import type { RcaRequestStatus } from '../postmortem/rca-requests/rca-request.entity';

/** Resolved incidents stay on the portal's list this long. */
export const PORTAL_HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

export interface PortalContact {
  customerId: string;
  customerName: string;
  contactId: string;
  name: string;
  email: string;
  phone: string | null;
  /** The contact's language, else its customer's. */
  language: string;
}

export interface PortalIncident {
  id: string;
  reference: string;
  /** A security breach shows only the approved notice texts: no title, severity or services. */
  breach: boolean;
  title: string | null;
  severity: number | null;
  services: string[];
  open: boolean;
  declaredAt: Date;
  resolvedAt: Date | null;
}

/** An update as the portal shows it: when it was queued to this customer's contacts. */
export type PortalUpdate = NoticeUpdate;

export interface PortalRcaRequest {
  status: RcaRequestStatus;
  channel: string;
  contactName: string;
  requestedAt: Date;
  fulfilledAt: Date | null;
}

export interface PortalEscalationRequest {
  at: Date;
  requestedBy: string;
  /** The level called, or null when the chain's top was already reached. */
  level: number | null;
}

export interface PortalSupportRequest {
  reference: string;
  createdAt: Date;
  responseDueAt: Date;
}

interface IncidentRow {
  id: string;
  reference: string;
  title: string;
  kind: string;
  severity: number;
  status: string;
  declared_at: Date;
  resolved_at: Date | null;
  services: string[];
  resolution_sent: boolean;
}

/**
 * What one customer may see (README, "Customer portal"), every statement scoped by its customer id:
 * the incidents in its impacted set that it was told about (at least one notice queued to one
 * of its contacts, so nothing shows before an approved text does), the notices that went to its
 * contacts, and its own RCA, escalation and support requests. Never timelines, internal notes,
 * summaries or another customer.
 */
@Injectable()
export class PortalQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async contact(customerId: string, contactId: string): Promise<PortalContact | undefined> {
    const [row] = await sqlRows<PortalContact>(
      this.db,
      `SELECT c.id AS "customerId", c.name AS "customerName", cc.id AS "contactId", cc.name, cc.email, cc.phone,
              coalesce(cc.language, c.language) AS language
         FROM customer_contacts cc JOIN customers c ON c.id = cc.customer_id
        WHERE cc.id = $1 AND cc.customer_id = $2`,
      [contactId, customerId],
    );
    return row;
  }

  /** Open incidents first (newest first), then those resolved in the last 90 days. */
  async incidents(customerId: string, now: Date): Promise<PortalIncident[]> {
    const rows = await this.select(
      customerId,
      `(i.status = ANY($2) OR COALESCE(i.resolved_at, i.closed_at) >= $3)`,
      [[...OPEN_STATUSES], new Date(now.getTime() - PORTAL_HISTORY_DAYS * DAY_MS)],
    );
    return rows.sort(
      (a, b) =>
        Number(b.open) - Number(a.open) ||
        (b.resolvedAt?.getTime() ?? 0) - (a.resolvedAt?.getTime() ?? 0) ||
        b.declaredAt.getTime() - a.declaredAt.getTime(),
    );
  }

  /** One incident by reference, only if it impacted this customer (whenever it happened). */
  async incident(customerId: string, reference: string): Promise<PortalIncident | undefined> {
    const [row] = await this.select(customerId, `i.reference = $2`, [reference]);
    return row;
  }

  /** The notices queued to this customer's contacts, per incident, in order. */
  async updates(customerId: string, incidentIds: string[]): Promise<Map<string, PortalUpdate[]>> {
    const rows = await sqlRows<NoticeUpdateRow>(
      this.db,
      `SELECT n.incident_id, n.kind, min(d.created_at) AS at, n.observed, n.actions, n.message, n.next_update_at
         FROM notifications n JOIN deliveries d ON d.notification_id = n.id
        WHERE n.incident_id = ANY($2) AND n.status = 'approved'
          AND d.customer_id = $1 AND d.recipient_type = 'contact' AND d.status <> 'superseded'
        GROUP BY n.id
        ORDER BY n.incident_id, n.sequence`,
      [customerId, incidentIds],
    );
    return updatesByIncident(rows);
  }

  /** This customer's RCA copy requests for the incident, newest first. */
  rcaRequests(customerId: string, incidentId: string): Promise<PortalRcaRequest[]> {
    return sqlRows<PortalRcaRequest>(
      this.db,
      `SELECT r.status, r.channel, cc.name AS "contactName", r.requested_at AS "requestedAt",
              r.fulfilled_at AS "fulfilledAt"
         FROM rca_requests r JOIN customer_contacts cc ON cc.id = r.contact_id
        WHERE r.customer_id = $1 AND r.incident_id = $2
        ORDER BY r.requested_at DESC, r.id`,
      [customerId, incidentId],
    );
  }

  /** When a contact last asked for an RCA copy of this incident (a double-submission check). */
  async lastRcaRequestAt(contactId: string, incidentId: string): Promise<Date | null> {
    const [row] = await sqlRows<{ at: Date | null }>(
      this.db,
      `SELECT max(requested_at) AS at FROM rca_requests WHERE contact_id = $1 AND incident_id = $2`,
      [contactId, incidentId],
    );
    return row?.at ? new Date(row.at) : null;
  }

  /** Escalations this customer's contacts asked for from the portal, in order. */
  escalationRequests(customerId: string, incidentId: string): Promise<PortalEscalationRequest[]> {
    return sqlRows<PortalEscalationRequest>(
      this.db,
      `SELECT t.occurred_at AS at, t.actor_name AS "requestedBy", (t.data->>'level')::int AS level
         FROM incident_timeline t
        WHERE t.incident_id = $2 AND t.type IN ('incident.escalated', 'incident.escalation_requested')
          AND t.data->'requestedBy'->>'customerId' = $1
        ORDER BY t.occurred_at, t.id`,
      [customerId, incidentId],
    );
  }

  /** A support request of this customer by reference (the page after submitting it). */
  async supportRequest(customerId: string, reference: string): Promise<PortalSupportRequest | undefined> {
    const [row] = await sqlRows<PortalSupportRequest>(
      this.db,
      `SELECT reference, created_at AS "createdAt", response_due_at AS "responseDueAt"
         FROM support_requests WHERE reference = $2 AND customer_id = $1`,
      [customerId, reference],
    );
    return row;
  }

  /** The request this contact made with this description since `since` (a double submission). */
  async recentSupportRequest(contactId: string, description: string, since: Date): Promise<string | null> {
    const [row] = await sqlRows<{ reference: string }>(
      this.db,
      `SELECT reference FROM support_requests
        WHERE contact_id = $1 AND submission_method = 'portal' AND description = $2 AND created_at >= $3
        ORDER BY created_at DESC LIMIT 1`,
      [contactId, description, since],
    );
    return row?.reference ?? null;
  }

  private async select(customerId: string, where: string, params: unknown[]): Promise<PortalIncident[]> {
    const rows = await sqlRows<IncidentRow>(
      this.db,
      `SELECT i.id, i.reference, i.title, i.kind, i.severity, i.status, i.declared_at,
              COALESCE(i.resolved_at, i.closed_at) AS resolved_at,
              COALESCE(array_agg(s.name ORDER BY s.name) FILTER (WHERE s.id IS NOT NULL), '{}') AS services,
              EXISTS (SELECT 1 FROM notifications n JOIN deliveries d ON d.notification_id = n.id
                       WHERE n.incident_id = i.id AND n.kind = 'resolution' AND d.customer_id = $1
                         AND d.status <> 'superseded') AS resolution_sent
         FROM incidents i
         JOIN impacted_customers ic ON ic.incident_id = i.id AND ic.customer_id = $1
         LEFT JOIN incident_services x ON x.incident_id = i.id
         LEFT JOIN services s ON s.id = x.service_id
        WHERE EXISTS (SELECT 1 FROM deliveries d
                       WHERE d.incident_id = i.id AND d.customer_id = $1 AND d.notification_id IS NOT NULL
                         AND d.status <> 'superseded')
          AND ${where}
        GROUP BY i.id`,
      [customerId, ...params],
    );
    return rows.map((r) => {
      const breach = r.kind === 'security_breach';
      const resolved = r.resolved_at ? new Date(r.resolved_at) : null;
      return {
        id: r.id,
        reference: r.reference,
        breach,
        title: breach ? null : r.title,
        severity: breach ? null : r.severity,
        services: breach ? [] : r.services,
        // A breach is over for the customer when its closing notice went out.
        open: breach ? !r.resolution_sent : OPEN_STATUSES.includes(r.status as never),
        declaredAt: new Date(r.declared_at),
        resolvedAt: breach ? null : resolved,
      };
    });
  }
}
