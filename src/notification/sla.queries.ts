import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/roles';
import { Clock } from '../common/clock';
import { Page } from '../common/pagination';
import { Delivery, DeliveryKind, DeliveryStatus } from '../delivery/delivery.entity';
import { IncidentStore } from '../incident/incident-store';

export type NoticeOutcome =
  'before_target' | 'before_deadline' | 'late' | 'pending' | 'failed' | 'no_contacts';

export interface CustomerSla {
  customerId: string;
  name: string;
  addedAt: Date;
  notifyTargetAt: Date;
  notifyDeadlineAt: Date;
  /** When the last of its contacts' first notices was accepted (the customer counts as notified). */
  notifiedAt: Date | null;
  outcome: NoticeOutcome;
  /** Still pending and past the deadline. */
  overdue: boolean;
  contacts: {
    contactId: string;
    email: string;
    status: DeliveryStatus | 'not_queued';
    acceptedAt: Date | null;
    attempts: number;
    lastError: string | null;
  }[];
}

/**
 * The proof, read from the ledger: per impacted customer, when the first notice was accepted
 * by the relay for every one of its contacts, against its own target and deadline.
 */
@Injectable()
export class SlaQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: IncidentStore,
    private readonly clock: Clock,
  ) {}

  async sla(idOrReference: string, actor: Actor) {
    const incident = await this.store.get(this.db.manager, idOrReference, actor);
    const rows: {
      customer_id: string;
      name: string;
      added_at: Date;
      notify_target_at: Date;
      notify_deadline_at: Date;
      contacts:
        | {
            contactId: string;
            email: string;
            status: DeliveryStatus | null;
            acceptedAt: string | null;
            attempts: number | null;
            lastError: string | null;
          }[]
        | null;
    }[] = await this.db.query(
      `SELECT ic.customer_id, c.name, ic.added_at, ic.notify_target_at, ic.notify_deadline_at,
              json_agg(json_build_object('contactId', cc.id, 'email', cc.email, 'status', d.status, 'acceptedAt', d.accepted_at,
                                         'attempts', d.attempts, 'lastError', d.last_error) ORDER BY cc.email)
                FILTER (WHERE cc.id IS NOT NULL) AS contacts
         FROM impacted_customers ic
         JOIN customers c ON c.id = ic.customer_id
         LEFT JOIN customer_contacts cc ON cc.customer_id = ic.customer_id AND cc.receives_notices
         LEFT JOIN deliveries d ON d.incident_id = ic.incident_id AND d.contact_id = cc.id AND d.kind = 'initial'
        WHERE ic.incident_id = $1
        GROUP BY ic.customer_id, c.name, ic.added_at, ic.notify_target_at, ic.notify_deadline_at
        ORDER BY c.name`,
      [incident.id],
    );
    const now = this.clock.now();
    const customers: CustomerSla[] = rows.map((r) => {
      const contacts = (r.contacts ?? []).map((c) => ({
        contactId: c.contactId,
        email: c.email,
        status: c.status ?? ('not_queued' as const),
        acceptedAt: c.acceptedAt ? new Date(c.acceptedAt) : null,
        attempts: c.attempts ?? 0,
        lastError: c.lastError,
      }));
      const target = new Date(r.notify_target_at);
      const deadline = new Date(r.notify_deadline_at);
      const allAccepted = contacts.length > 0 && contacts.every((c) => c.acceptedAt);
      const notifiedAt = allAccepted
        ? new Date(Math.max(...contacts.map((c) => c.acceptedAt!.getTime())))
        : null;
      const outcome: NoticeOutcome =
        contacts.length === 0
          ? 'no_contacts'
          : notifiedAt
            ? notifiedAt <= target
              ? 'before_target'
              : notifiedAt <= deadline
                ? 'before_deadline'
                : 'late'
            : contacts.some((c) => c.status === 'failed')
              ? 'failed'
              : 'pending';
      return {
        customerId: r.customer_id,
        name: r.name,
        addedAt: new Date(r.added_at),
        notifyTargetAt: target,
        notifyDeadlineAt: deadline,
        notifiedAt,
        outcome,
        overdue: !notifiedAt && now > deadline,
        contacts,
      };
    });
    const summary: Record<NoticeOutcome, number> = {
      before_target: 0,
      before_deadline: 0,
      late: 0,
      pending: 0,
      failed: 0,
      no_contacts: 0,
    };
    for (const c of customers) summary[c.outcome] += 1;
    return {
      incidentId: incident.id,
      reference: incident.reference,
      impactDefinedAt: incident.impactDefinedAt,
      firstResponseAt: incident.firstResponseAt,
      summary,
      customers,
    };
  }

  async deliveries(
    idOrReference: string,
    actor: Actor,
    filter: {
      status?: DeliveryStatus[];
      kind?: DeliveryKind[];
      customerId?: string;
      limit: number;
      offset: number;
    },
  ): Promise<Page<Delivery>> {
    const incident = await this.store.get(this.db.manager, idOrReference, actor);
    const qb = this.db
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .where('d.incident_id = :id', { id: incident.id });
    if (filter.status?.length) qb.andWhere('d.status IN (:...status)', { status: filter.status });
    if (filter.kind?.length) qb.andWhere('d.kind IN (:...kind)', { kind: filter.kind });
    if (filter.customerId) qb.andWhere('d.customer_id = :customerId', { customerId: filter.customerId });
    const [items, total] = await qb
      .orderBy('d.seq', 'ASC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { items, total, limit: filter.limit, offset: filter.offset };
  }
}
