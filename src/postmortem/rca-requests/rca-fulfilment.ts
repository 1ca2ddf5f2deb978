import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { appendTimeline } from '../../incident/timeline';
import { RcaPublication, RcaPublishedEvent } from '../rca-publication';
import { RcaCopyBatch, RcaCopyMailer } from './rca-copy-mailer';
import { RcaContact, RcaEntitlement } from './rca-entitlement';
import { RcaRequest } from './rca-request.entity';

/**
 * What a publication does to the copies, inside the publishing transaction:
 * - every waiting request of the incident is fulfilled with the published version;
 * - a correction (version 2 and later) goes to every contact that received an earlier version,
 *   one mail per contact, because a customer holding a superseded RCA should not have to ask;
 * - with `sendToImpactedCustomers`, every notice contact of every impacted customer gets it,
 *   recorded as a `proactive` request unless that contact already has a request.
 * Entitlement is checked again (a grant may have been revoked meanwhile): a waiting request no
 * longer entitled is refused. Each (request, version) is sent once: the ledger key and
 * `rca_copies` make a repeated publication event a no-op.
 */
@Injectable()
export class RcaFulfilment implements OnModuleInit {
  constructor(
    private readonly publication: RcaPublication,
    private readonly entitlement: RcaEntitlement,
    private readonly mailer: RcaCopyMailer,
  ) {}

  onModuleInit(): void {
    this.publication.onPublished((event) => this.published(event));
  }

  async published(event: RcaPublishedEvent): Promise<void> {
    const { em, incidentId, version, at } = event;
    // The publishing transaction normally holds this already; taken here so the guarantee does
    // not depend on it. Requests take it shared (RequestRcaCopy): none falls between the two.
    await em.query(`SELECT 1 FROM incidents WHERE id = $1 FOR UPDATE`, [incidentId]);
    const incident = await this.entitlement.findIncident(em, incidentId);
    if (!incident) throw new Error(`RCA published for unknown incident ${incidentId}`);
    const proactive = event.sendToImpactedCustomers ? await this.addProactiveRequests(em, event) : 0;

    const entitled = await this.entitledCustomers(em, incidentId);
    const requests = await em
      .getRepository(RcaRequest)
      .createQueryBuilder('r')
      .where('r.incident_id = :incidentId', { incidentId })
      .andWhere(`r.status IN ('waiting', 'fulfilled')`)
      .orderBy('r.requested_at')
      .addOrderBy('r.id')
      .getMany();

    const refused = requests.filter((r) => r.status === 'waiting' && !entitled.has(r.customerId));
    if (refused.length) {
      await em.query(
        `UPDATE rca_requests SET status = 'refused', refusal_reason = 'not_entitled', decided_at = $2
          WHERE id = ANY($1::uuid[])`,
        [refused.map((r) => r.id), at],
      );
    }
    const byContact = new Map<string, RcaRequest[]>();
    for (const r of requests) {
      if (!entitled.has(r.customerId)) continue;
      if (r.status === 'fulfilled' && (r.fulfilledVersion ?? 0) >= version) continue;
      byContact.set(r.contactId, [...(byContact.get(r.contactId) ?? []), r]);
    }
    const contacts = await this.contacts(em, [...byContact.keys()]);
    const batch = new RcaCopyBatch(incident, version, at);
    let fulfilled = 0;
    let mails = 0;
    for (const [contactId, list] of byContact) {
      const contact = contacts.get(contactId);
      if (!contact) continue;
      const n = await this.mailer.send(em, batch, contact, list);
      fulfilled += n;
      if (n > 0) mails += 1;
    }
    if (mails > 0 || refused.length > 0) {
      await appendTimeline(em, {
        incidentId,
        type: 'rca.copies_sent',
        at,
        actor: event.actor,
        data: {
          version,
          mails,
          requestsFulfilled: fulfilled,
          proactiveRequests: proactive,
          refused: refused.length,
        },
      });
    }
  }

  /** Notice contacts of impacted customers that have no request of their own yet. */
  private async addProactiveRequests(em: EntityManager, event: RcaPublishedEvent): Promise<number> {
    const candidates: { customer_id: string; contact_id: string; language: string; reference: string }[] =
      await em.query(
        `SELECT cc.customer_id, cc.id AS contact_id, coalesce(cc.language, c.language) AS language, i.reference
           FROM impacted_customers ic
           JOIN incidents i ON i.id = ic.incident_id
           JOIN customers c ON c.id = ic.customer_id
           JOIN customer_contacts cc ON cc.customer_id = c.id AND cc.receives_notices
          WHERE ic.incident_id = $1
            AND NOT EXISTS (SELECT 1 FROM rca_requests r
                             WHERE r.incident_id = ic.incident_id AND r.contact_id = cc.id AND r.status <> 'refused')
          ORDER BY c.name, cc.email`,
        [event.incidentId],
      );
    if (candidates.length === 0) return 0;
    const inserted: unknown[] = await em.query(
      `INSERT INTO rca_requests (incident_reference, incident_id, customer_id, contact_id, channel, recorded_by_id,
          recorded_by_name, language, status, requested_at, decided_at)
       SELECT $1, $2, r.customer_id, r.contact_id, 'proactive', $3, $4, r.language, 'waiting', $5, $5
         FROM unnest($6::uuid[], $7::uuid[], $8::text[]) AS r(customer_id, contact_id, language)
       ON CONFLICT (incident_id, contact_id) WHERE channel = 'proactive' DO NOTHING
       RETURNING id`,
      [
        candidates[0].reference,
        event.incidentId,
        event.actor.staffMemberId,
        event.actor.name,
        event.at,
        candidates.map((c) => c.customer_id),
        candidates.map((c) => c.contact_id),
        candidates.map((c) => this.mailer.language(c.language)),
      ],
    );
    return inserted.length;
  }

  private async entitledCustomers(em: EntityManager, incidentId: string): Promise<Set<string>> {
    const rows: { customer_id: string }[] = await em.query(
      `SELECT customer_id FROM impacted_customers WHERE incident_id = $1
       UNION SELECT customer_id FROM rca_grants WHERE incident_id = $1 AND revoked_at IS NULL`,
      [incidentId],
    );
    return new Set(rows.map((r) => r.customer_id));
  }

  private async contacts(em: EntityManager, ids: string[]): Promise<Map<string, RcaContact>> {
    if (ids.length === 0) return new Map();
    const rows: RcaContact[] = await em.query(
      `SELECT cc.id AS "contactId", cc.customer_id AS "customerId", c.name AS "customerName", cc.name, cc.email,
              coalesce(cc.language, c.language) AS language
         FROM customer_contacts cc JOIN customers c ON c.id = cc.customer_id
        WHERE cc.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.contactId, r]));
  }
}
