import type { EntityManager } from 'typeorm';
import type { NoticeRecipient } from './notice-sender';

/** Contacts (receiving notices) of the incident's impacted customers, optionally only some customers. */
export async function impactedContacts(
  em: EntityManager,
  incidentId: string,
  customerIds?: string[],
): Promise<NoticeRecipient[]> {
  const rows: { customer_id: string; contact_id: string; email: string; name: string; language: string }[] =
    await em.query(
      `SELECT cc.customer_id, cc.id AS contact_id, cc.email, cc.name, COALESCE(cc.language, c.language) AS language
       FROM impacted_customers ic
       JOIN customers c ON c.id = ic.customer_id
       JOIN customer_contacts cc ON cc.customer_id = c.id AND cc.receives_notices
      WHERE ic.incident_id = $1 AND ($2::uuid[] IS NULL OR ic.customer_id = ANY($2))
      ORDER BY c.name, cc.email`,
      [incidentId, customerIds ?? null],
    );
  return rows.map((r) => ({
    customerId: r.customer_id,
    contactId: r.contact_id,
    email: r.email,
    name: r.name,
    language: r.language,
  }));
}
