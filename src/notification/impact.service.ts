import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../auth/roles';
import { Clock } from '../common/clock';
import { ConflictError, ValidationError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Customer } from '../incident/catalogue/customer.entity';
import { isOpen } from '../incident/domain/incident-status';
import { Incident } from '../incident/entities/incident.entity';
import { IncidentStore } from '../incident/incident-store';
import { appendTimeline } from '../incident/timeline';
import { NoticeSender } from './notice-sender';
import { noticeWindow } from './notice-window';
import { ImpactedCustomer, Notification } from './notification.entity';
import { impactedContacts } from './recipients';

export interface ImpactCandidate {
  customerId: string;
  name: string;
  language: string;
  /** Subscribed to an affected service. */
  subscribed: boolean;
  services: string[];
  contacts: number;
  adjustment: { action: 'add' | 'remove'; reason: string } | null;
  impacted: boolean;
}

export interface ImpactView {
  incidentId: string;
  reference: string;
  impactDefinedAt: Date | null;
  /** Before definition: the derived preview; after: the frozen set with each customer's clock. */
  impacted: (ImpactCandidate &
    Partial<
      Pick<
        ImpactedCustomer,
        'addedAt' | 'notifyTargetAt' | 'notifyAutosendAt' | 'notifyDeadlineAt' | 'source'
      >
    >)[];
  excluded: ImpactCandidate[];
}

/**
 * Which customers an incident impacts: derived from its affected services and the customers'
 * subscriptions, corrected by hand (each correction with a reason), then frozen by the explicit
 * act of defining impact, which starts every customer's 20/25/30-minute notice clock.
 */
@Injectable()
export class ImpactService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly sender: NoticeSender,
  ) {}

  async view(idOrReference: string, actor: Actor): Promise<ImpactView> {
    const incident = await this.store.get(this.db.manager, idOrReference, actor);
    return this.describe(this.db.manager, incident);
  }

  adjust(
    idOrReference: string,
    input: { customerId: string; action: 'add' | 'remove'; reason: string },
    actor: Actor,
  ) {
    return this.db.transaction(async (em) => {
      const incident = await this.lockOpen(em, idOrReference, actor);
      const customer = await em.getRepository(Customer).findOneBy({ id: input.customerId });
      if (!customer)
        throw ValidationError.field(
          'customerId',
          'exists',
          `customerId ${input.customerId} is not a customer`,
        );
      const at = this.clock.now();
      if (incident.impactDefinedAt) await this.adjustDefined(em, incident, customer, input, at);
      await em.query(
        `INSERT INTO impact_adjustments (incident_id, customer_id, action, reason, actor_id, actor_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [incident.id, customer.id, input.action, input.reason, actor.staffMemberId, actor.name, at],
      );
      await appendTimeline(em, {
        incidentId: incident.id,
        type: incident.impactDefinedAt ? 'impact.customer_added' : 'impact.adjusted',
        at,
        actor,
        data: {
          customerId: customer.id,
          customer: customer.name,
          action: input.action,
          reason: input.reason,
        },
      });
      return this.describe(em, incident);
    });
  }

  /** `POST …/impact`: freezes the impacted set, starts the clocks and drafts the first notice. */
  define(idOrReference: string, actor: Actor): Promise<ImpactView> {
    return this.db.transaction(async (em) => {
      const incident = await this.lockOpen(em, idOrReference, actor);
      if (incident.impactDefinedAt) {
        throw new ConflictError(
          'impact.already_defined',
          `Impact of ${incident.reference} was defined at ${incident.impactDefinedAt.toISOString()}`,
        );
      }
      const at = this.clock.now();
      const window = noticeWindow(at, this.config.notice);
      const impacted = (await this.candidates(em, incident.id)).filter((c) => c.impacted);
      await this.insertImpacted(
        em,
        incident.id,
        impacted.map((c) => ({ customerId: c.customerId, source: c.subscribed ? 'subscription' : 'manual' })),
        at,
      );
      incident.impactDefinedAt = at;
      incident.updatedAt = at;
      await em.getRepository(Incident).save(incident);
      await em.getRepository(Notification).insert({
        incidentId: incident.id,
        sequence: 1,
        kind: 'initial',
        status: 'draft',
        observed: null,
        actions: null,
        message: null,
        nextUpdateAt: null,
        createdAt: at,
        createdById: actor.staffMemberId,
        createdByName: actor.name,
        autoApproved: false,
      });
      const contacts = (await impactedContacts(em, incident.id)).length;
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'impact.defined',
        at,
        actor,
        data: { customers: impacted.length, contacts, ...window },
      });
      return this.describe(em, incident);
    });
  }

  private async adjustDefined(
    em: EntityManager,
    incident: Incident,
    customer: Customer,
    input: { action: 'add' | 'remove' },
    at: Date,
  ): Promise<void> {
    if (input.action === 'remove') {
      throw new ConflictError(
        'impact.already_defined',
        'Impact is defined: customers can be added (with their own clock) but no longer removed',
      );
    }
    const already = await em
      .getRepository(ImpactedCustomer)
      .existsBy({ incidentId: incident.id, customerId: customer.id });
    if (already)
      throw new ConflictError('impact.customer_already_impacted', `${customer.name} is already impacted`);
    await this.insertImpacted(em, incident.id, [{ customerId: customer.id, source: 'manual' }], at);
    // If the first notice already went out, the newcomer gets it now; otherwise with everyone at approval.
    const initial = await em
      .getRepository(Notification)
      .findOneBy({ incidentId: incident.id, kind: 'initial', status: 'approved' });
    if (initial) {
      const withServices = await em
        .getRepository(Incident)
        .findOneOrFail({ where: { id: incident.id }, relations: { services: true } });
      await this.sender.send(
        em,
        withServices,
        initial,
        await impactedContacts(em, incident.id, [customer.id]),
        at,
      );
    }
  }

  private async insertImpacted(
    em: EntityManager,
    incidentId: string,
    customers: { customerId: string; source: 'subscription' | 'manual' }[],
    at: Date,
  ): Promise<void> {
    if (customers.length === 0) return;
    const window = noticeWindow(at, this.config.notice);
    await em.query(
      `INSERT INTO impacted_customers (incident_id, customer_id, source, added_at, notify_target_at, notify_autosend_at, notify_deadline_at)
       SELECT $1, c.id, c.source, $2, $3, $4, $5 FROM unnest($6::uuid[], $7::text[]) AS c(id, source)`,
      [
        incidentId,
        at,
        window.notifyTargetAt,
        window.notifyAutosendAt,
        window.notifyDeadlineAt,
        customers.map((c) => c.customerId),
        customers.map((c) => c.source),
      ],
    );
  }

  private async lockOpen(em: EntityManager, idOrReference: string, actor: Actor): Promise<Incident> {
    const incident = await this.store.get(em, idOrReference, actor, { lock: true });
    if (!isOpen(incident.status)) {
      throw new ConflictError(
        'incident.not_open',
        `${incident.reference} is ${incident.status}: its impact no longer changes`,
      );
    }
    return incident;
  }

  private async describe(em: EntityManager, incident: Incident): Promise<ImpactView> {
    const candidates = await this.candidates(em, incident.id);
    if (!incident.impactDefinedAt) {
      return {
        incidentId: incident.id,
        reference: incident.reference,
        impactDefinedAt: null,
        impacted: candidates.filter((c) => c.impacted),
        excluded: candidates.filter((c) => !c.impacted),
      };
    }
    const frozen = await em
      .getRepository(ImpactedCustomer)
      .find({ where: { incidentId: incident.id }, order: { addedAt: 'ASC' } });
    const byId = new Map(candidates.map((c) => [c.customerId, c]));
    const customers = frozen.length
      ? await em.getRepository(Customer).findBy({ id: In(frozen.map((f) => f.customerId)) })
      : [];
    return {
      incidentId: incident.id,
      reference: incident.reference,
      impactDefinedAt: incident.impactDefinedAt,
      impacted: frozen.map((f) => {
        const customer = customers.find((c) => c.id === f.customerId)!;
        const candidate = byId.get(f.customerId) ?? {
          customerId: f.customerId,
          name: customer.name,
          language: customer.language,
          subscribed: false,
          services: [],
          contacts: 0,
          adjustment: null,
          impacted: true,
        };
        return {
          ...candidate,
          impacted: true,
          source: f.source,
          addedAt: f.addedAt,
          notifyTargetAt: f.notifyTargetAt,
          notifyAutosendAt: f.notifyAutosendAt,
          notifyDeadlineAt: f.notifyDeadlineAt,
        };
      }),
      excluded: candidates.filter((c) => !frozen.some((f) => f.customerId === c.customerId)),
    };
  }

  /** Subscribers of the affected services plus manual additions, minus manual removals. */
  private async candidates(em: EntityManager, incidentId: string): Promise<ImpactCandidate[]> {
    const rows: {
      id: string;
      name: string;
      language: string;
      services: string[] | null;
      contacts: number;
      action: 'add' | 'remove' | null;
      reason: string | null;
    }[] = await em.query(
      `WITH latest AS (
         SELECT DISTINCT ON (customer_id) customer_id, action, reason
           FROM impact_adjustments WHERE incident_id = $1 ORDER BY customer_id, created_at DESC, id DESC),
       matched AS (
         SELECT s.customer_id, array_agg(sv.name ORDER BY sv.name) AS services
           FROM customer_subscriptions s
           JOIN incident_services i ON i.service_id = s.service_id AND i.incident_id = $1
           JOIN services sv ON sv.id = s.service_id
          GROUP BY s.customer_id)
       SELECT c.id, c.name, c.language, m.services, l.action, l.reason,
              (SELECT count(*)::int FROM customer_contacts cc WHERE cc.customer_id = c.id AND cc.receives_notices) AS contacts
         FROM customers c
         LEFT JOIN matched m ON m.customer_id = c.id
         LEFT JOIN latest l ON l.customer_id = c.id
        WHERE m.customer_id IS NOT NULL OR l.customer_id IS NOT NULL
        ORDER BY c.name`,
      [incidentId],
    );
    return rows.map((r) => {
      const subscribed = r.services !== null;
      return {
        customerId: r.id,
        name: r.name,
        language: r.language,
        subscribed,
        services: r.services ?? [],
        contacts: r.contacts,
        adjustment: r.action ? { action: r.action, reason: r.reason ?? '' } : null,
        impacted: r.action ? r.action === 'add' : subscribed,
      };
    });
  }
}
