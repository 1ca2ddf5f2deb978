import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page, PageQuery } from '../common/pagination';
import type { Actor } from '../auth/roles';
import { Clock } from '../common/clock';
import { isLate } from '../common/lateness';
import { ConflictError, NotFoundError, ValidationError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryLedger } from '../delivery/delivery-ledger';
import { MailRenderer } from '../delivery/templates/mail-renderer';
import { Incident } from '../incident/entities/incident.entity';
import { IncidentStore } from '../incident/incident-store';
import { appendTimeline, ContactActor, SYSTEM_ACTOR } from '../incident/timeline';
import {
  EscalationTarget,
  loadTargets,
  recordOnSubject,
  SUBJECT_COLUMN,
  SUBJECT_TABLE,
  SubjectKind,
} from './escalation-subject';
import type { EscalationReason } from './domain/escalation-policy';
import { UUID_PATTERN } from '../common/query-params';
import { Escalation, EscalationLevel } from './escalation.entity';

const REASON_TEXT: Record<EscalationReason, string> = {
  response_target_missed: 'response target missed without a first response',
  resolution_at_risk: 'resolution target at risk',
  resolution_breached: 'resolution target breached',
  manual: 'escalated by staff',
  customer: 'escalated at the customer’s request',
};

export interface ChainLevelInput {
  level: number;
  title: string;
  name: string;
  email: string;
  phone?: string | null;
}

/**
 * The escalation chain and the act of escalating an incident or a support request: the next
 * level (never a skipped one) gets an e-mail through the delivery ledger, the escalation is
 * recorded once per level (UNIQUE), and the subject's record says who, why, and whether late.
 */
@Injectable()
export class EscalationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly renderer: MailRenderer,
    private readonly ledger: DeliveryLedger,
  ) {}

  chain(em: EntityManager = this.db.manager): Promise<EscalationLevel[]> {
    return em.getRepository(EscalationLevel).find({ order: { level: 'ASC' } });
  }

  /** Replaces the whole chain; levels must run 1, 2, 3 … without gaps or repeats. */
  replaceChain(levels: ChainLevelInput[]): Promise<EscalationLevel[]> {
    const sorted = [...levels].sort((a, b) => a.level - b.level);
    sorted.forEach((entry, i) => {
      if (entry.level !== i + 1) {
        const index = levels.indexOf(entry);
        throw ValidationError.field(
          `levels[${index}].level`,
          'contiguous',
          `levels must be numbered 1 to ${levels.length} without gaps or repeats (found ${entry.level} where ${i + 1} was expected)`,
        );
      }
    });
    return this.db.transaction(async (em) => {
      const at = this.clock.now();
      await em.query('DELETE FROM escalation_levels');
      await em.getRepository(EscalationLevel).insert(
        sorted.map((l) => ({
          level: l.level,
          title: l.title,
          name: l.name,
          email: l.email,
          phone: l.phone ?? null,
          updatedAt: at,
        })),
      );
      return this.chain(em);
    });
  }

  list(
    kind: SubjectKind,
    idOrReference: string,
    actor: Actor,
    { limit, offset }: PageQuery,
  ): Promise<Page<Escalation>> {
    return this.db.transaction(async (em) => {
      const target = await this.find(em, kind, idOrReference, actor, false);
      const [items, total] = await em.getRepository(Escalation).findAndCount({
        where: kind === 'incident' ? { incidentId: target.id } : { supportRequestId: target.id },
        order: { level: 'ASC', id: 'ASC' },
        take: limit,
        skip: offset,
      });
      return { items, total, limit, offset };
    });
  }

  /** "You can escalate at any moment": staff, or support on a customer's behalf. */
  escalateByHand(
    kind: SubjectKind,
    idOrReference: string,
    input: { reason: string; onBehalfOfCustomer?: string },
    actor: Actor,
  ): Promise<Escalation> {
    return this.db.transaction(async (em) => {
      const target = await this.find(em, kind, idOrReference, actor, true);
      if (target.resolvedAt || target.status === 'resolved' || target.status === 'closed') {
        throw new ConflictError(
          `${kind}.not_open`,
          `${target.reference} is ${target.status}: it no longer escalates`,
        );
      }
      const note = input.onBehalfOfCustomer
        ? `On behalf of ${input.onBehalfOfCustomer}: ${input.reason}`
        : input.reason;
      const escalation = await this.escalate(
        em,
        target,
        input.onBehalfOfCustomer ? 'customer' : 'manual',
        actor,
        note,
        null,
      );
      if (!escalation) {
        throw new ConflictError(
          'escalation.top_reached',
          `${target.reference} is already at the top of the escalation chain`,
        );
      }
      return escalation;
    });
  }

  /**
   * A customer contact escalates an incident that impacted its customer from the portal ("a
   * customer may escalate at any time"): the next level, like a manual escalation, with the
   * contact as the requester on the escalation, its mail and the timeline. At the top of the
   * chain nothing climbs, but the request is still put on the timeline for the incident team.
   * The caller has checked that the incident impacted the contact's customer.
   */
  escalateForContact(
    incidentId: string,
    contact: ContactActor,
    reason: string,
  ): Promise<{ escalation: Escalation | null }> {
    return this.db.transaction(async (em) => {
      await em.query(`SELECT 1 FROM incidents WHERE id = $1 FOR UPDATE`, [incidentId]);
      const [target] = await loadTargets(em, 'incident', { id: incidentId });
      if (!target) throw new NotFoundError('incident', incidentId);
      if (target.resolvedAt || target.status === 'resolved' || target.status === 'closed') {
        throw new ConflictError(
          'incident.not_open',
          `${target.reference} is ${target.status}: it no longer escalates`,
        );
      }
      const escalation = await this.escalate(em, target, 'customer', contact, reason, null);
      if (!escalation) {
        await appendTimeline(em, {
          incidentId,
          type: 'incident.escalation_requested',
          at: this.clock.now(),
          actor: contact,
          data: {
            reason: 'customer',
            note: reason,
            topReached: true,
            requestedBy: { customerId: contact.customerId, contactId: contact.contactId },
          },
        });
      }
      return { escalation };
    });
  }

  /**
   * Escalates the locked subject one level. Returns null when the chain's top is reached or
   * the level was already recorded (another instance got there first).
   */
  async escalate(
    em: EntityManager,
    target: EscalationTarget,
    reason: EscalationReason,
    actor: Pick<Actor, 'staffMemberId' | 'name'> | typeof SYSTEM_ACTOR | ContactActor,
    note: string | null,
    dueAt: Date | null,
  ): Promise<Escalation | null> {
    const level = target.level + 1;
    const rung = await em.getRepository(EscalationLevel).findOneBy({ level });
    if (!rung) return null;
    const at = this.clock.now();
    const late = dueAt !== null && isLate(dueAt, at);
    const inserted = await em.query(
      `INSERT INTO escalations (${SUBJECT_COLUMN[target.kind]}, level, level_title, contact_name, contact_email, reason, note,
                                requested_by_id, requested_by_name, due_at, created_at, late)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        target.id,
        level,
        rung.title,
        rung.name,
        rung.email,
        reason,
        note,
        actor.staffMemberId,
        actor.name,
        dueAt,
        at,
        late,
      ],
    );
    if (inserted.length === 0) return null;
    await em.query(`UPDATE ${SUBJECT_TABLE[target.kind]} SET escalation_level = $2 WHERE id = $1`, [
      target.id,
      level,
    ]);
    target.level = level;
    const byContact = 'contactId' in actor;
    await this.mail(em, target, rung, reason, actor.staffMemberId || byContact ? actor.name : null, note, at);
    await recordOnSubject(em, target, at, actor, {
      level,
      title: rung.title,
      contact: rung.name,
      reason,
      note,
      dueAt,
      late,
      ...(byContact ? { requestedBy: { customerId: actor.customerId, contactId: actor.contactId } } : {}),
    });
    return em.getRepository(Escalation).findOneByOrFail({ id: inserted[0].id });
  }

  /** The incident (visibility applied) or support request, as an escalation target. */
  private async find(
    em: EntityManager,
    kind: SubjectKind,
    idOrReference: string,
    actor: Actor,
    lock: boolean,
  ) {
    let id: string;
    if (kind === 'incident') {
      id = (await this.store.get(em, idOrReference, actor, { lock })).id;
    } else {
      const [row] = await em.query(
        `SELECT id FROM support_requests WHERE ${UUID_PATTERN.test(idOrReference) ? 'id = $1::uuid' : 'reference = $1'}${lock ? ' FOR UPDATE' : ''}`,
        [idOrReference],
      );
      if (!row) throw new NotFoundError('support_request', idOrReference);
      id = row.id;
    }
    const [target] = await loadTargets(em, kind, { id });
    return target;
  }

  /** First response when no customer is impacted: the commander's explicit acknowledgement. */
  acknowledge(idOrReference: string, actor: Actor): Promise<Incident> {
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      if (incident.firstResponseAt) {
        throw new ConflictError(
          'incident.already_responded',
          `${incident.reference} had its first response at ${incident.firstResponseAt.toISOString()}`,
        );
      }
      const at = this.clock.now();
      await em.update(Incident, incident.id, { firstResponseAt: at });
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'incident.acknowledged',
        at,
        actor,
        data: { responseDueAt: incident.responseDueAt, late: at > incident.responseDueAt },
      });
      return em.getRepository(Incident).findOneByOrFail({ id: incident.id });
    });
  }

  private async mail(
    em: EntityManager,
    target: EscalationTarget,
    rung: EscalationLevel,
    reason: EscalationReason,
    requestedBy: string | null,
    note: string | null,
    at: Date,
  ): Promise<void> {
    const path = target.kind === 'incident' ? 'incidents' : 'support-requests';
    const mail = this.renderer.render('escalation-alert', 'en', {
      subjectLabel: target.kind === 'incident' ? 'Incident' : 'Support request',
      reference: target.reference,
      title: target.title,
      level: rung.level,
      levelTitle: rung.title,
      reasonText: REASON_TEXT[reason],
      severity: target.severity,
      status: target.status,
      owner: target.owner,
      declaredAt: target.openedAt,
      responseDueAt: target.responseDueAt,
      resolutionDueAt: target.resolutionDueAt,
      firstResponseAt: target.firstResponseAt,
      requestedBy,
      note,
      apiUrl: `${this.config.publicBaseUrl}/api/v1/${path}/${target.reference}`,
    });
    const contentId = await this.ledger.storeContent(em, 'escalation-alert', mail);
    await this.ledger.enqueue(em, {
      kind: 'escalation',
      incidentId: target.kind === 'incident' ? target.id : null,
      contentId,
      at,
      entries: [
        {
          recipient: {
            type: 'staff',
            staffMemberId: null,
            address: rung.email,
            name: `${rung.name} (${rung.title})`,
          },
          idempotencyKey: `escalation:${target.kind}:${target.id}:${rung.level}`,
        },
      ],
    });
  }
}
