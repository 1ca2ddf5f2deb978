import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UUID_PATTERN } from '../../common/query-params';
import { INCIDENT_REFERENCE_PATTERN } from '../../incident/domain/incident-reference';

export interface RcaContact {
  contactId: string;
  customerId: string;
  customerName: string;
  name: string;
  email: string;
  /** The contact's language, else its customer's. */
  language: string;
}

export interface RcaIncident {
  id: string;
  reference: string;
  title: string;
  kind: 'service_disruption' | 'security_breach';
}

/**
 * Who may have an RCA copy (README, "RCA copies"): contacts of a customer that was
 * in the incident's impacted set, or that an admin entitled explicitly with a grant in force.
 * Confidential (security-breach) incidents follow the same rule: staff visibility plays no part,
 * because the customer is asking, not the agent who records the request.
 */
@Injectable()
export class RcaEntitlement {
  /** The incident a customer means, by reference (or id); null when there is none. */
  async findIncident(em: EntityManager, reference: string): Promise<RcaIncident | null> {
    const column = UUID_PATTERN.test(reference)
      ? 'id'
      : INCIDENT_REFERENCE_PATTERN.test(reference)
        ? 'reference'
        : null;
    if (!column) return null;
    const [row] = (await em.query(`SELECT id, reference, title, kind FROM incidents WHERE ${column} = $1`, [
      reference,
    ])) as RcaIncident[];
    return row ?? null;
  }

  async contact(em: EntityManager, contactId: string): Promise<RcaContact | null> {
    const [row] = (await em.query(
      `SELECT cc.id AS "contactId", cc.customer_id AS "customerId", c.name AS "customerName", cc.name, cc.email,
              coalesce(cc.language, c.language) AS language
         FROM customer_contacts cc JOIN customers c ON c.id = cc.customer_id
        WHERE cc.id = $1`,
      [contactId],
    )) as RcaContact[];
    return row ?? null;
  }

  async isEntitled(em: EntityManager, incidentId: string, customerId: string): Promise<boolean> {
    const [row] = (await em.query(
      `SELECT EXISTS (SELECT 1 FROM impacted_customers WHERE incident_id = $1 AND customer_id = $2)
           OR EXISTS (SELECT 1 FROM rca_grants WHERE incident_id = $1 AND customer_id = $2 AND revoked_at IS NULL)
           AS entitled`,
      [incidentId, customerId],
    )) as { entitled: boolean }[];
    return row.entitled;
  }
}
