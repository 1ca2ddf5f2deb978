import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import { Clock } from '../common/clock';
import { ConflictError, ValidationError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryLedger } from '../delivery/delivery-ledger';
import { MailRenderer } from '../delivery/templates/mail-renderer';
import { isOpen } from '../incident/domain/incident-status';
import { Incident } from '../incident/entities/incident.entity';
import { IncidentStore } from '../incident/incident-store';
import { appendTimeline, SYSTEM_ACTOR } from '../incident/timeline';
import type { EscalationReason } from './domain/escalation-policy';
import { Escalation, EscalationLevel } from './escalation.entity';

const REASON_TEXT: Record<EscalationReason, string> = {
  response_target_missed: 'response target missed without a first response',
  resolution_at_risk: 'resolution target at risk',
  resolution_breached: 'resolution target breached',
  manual: 'escalated by staff',
  customer: 'escalated at the customer’s request',
};

/** A guard that fires more than this after its due time is recorded as late. */
const LATE_AFTER_MS = 60_000;

export interface ChainLevelInput {
  level: number;
  title: string;
  name: string;
  email: string;
  phone?: string | null;
}

/**
 * The escalation chain and the act of escalating: the next level (never a skipped one) gets an
 * e-mail through the delivery ledger, the escalation is recorded once per level (UNIQUE), and
 * the timeline says who, why, and whether it came late.
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

  list(idOrReference: string, actor: Actor): Promise<Escalation[]> {
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor);
      return em
        .getRepository(Escalation)
        .find({ where: { incidentId: incident.id }, order: { level: 'ASC' } });
    });
  }

  /** "You can escalate at any moment": staff, or support on a customer's behalf. */
  escalateByHand(
    idOrReference: string,
    input: { reason: string; onBehalfOfCustomer?: string },
    actor: Actor,
  ) {
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      if (!isOpen(incident.status)) {
        throw new ConflictError(
          'incident.not_open',
          `${incident.reference} is ${incident.status}: it no longer escalates`,
        );
      }
      const note = input.onBehalfOfCustomer
        ? `On behalf of ${input.onBehalfOfCustomer}: ${input.reason}`
        : input.reason;
      const escalation = await this.escalate(
        em,
        incident,
        input.onBehalfOfCustomer ? 'customer' : 'manual',
        actor,
        note,
        null,
      );
      if (!escalation) {
        throw new ConflictError(
          'escalation.top_reached',
          `${incident.reference} is already at the top of the escalation chain`,
        );
      }
      return escalation;
    });
  }

  /**
   * Escalates the locked incident one level. Returns null when the chain's top is reached or
   * the level was already recorded (another instance got there first).
   */
  async escalate(
    em: EntityManager,
    incident: Incident,
    reason: EscalationReason,
    actor: Pick<Actor, 'staffMemberId' | 'name'> | typeof SYSTEM_ACTOR,
    note: string | null,
    dueAt: Date | null,
  ): Promise<Escalation | null> {
    const level = incident.escalationLevel + 1;
    const rung = await em.getRepository(EscalationLevel).findOneBy({ level });
    if (!rung) return null;
    const at = this.clock.now();
    const late = dueAt !== null && at.getTime() - dueAt.getTime() > LATE_AFTER_MS;
    const inserted = await em.query(
      `INSERT INTO escalations (incident_id, level, level_title, contact_name, contact_email, reason, note,
                                requested_by_id, requested_by_name, due_at, created_at, late)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (incident_id, level) DO NOTHING RETURNING id`,
      [
        incident.id,
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
    await em.update(Incident, incident.id, { escalationLevel: level });
    incident.escalationLevel = level;
    await this.mail(em, incident, rung, reason, actor.staffMemberId ? actor.name : null, note, at);
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'incident.escalated',
      at,
      actor,
      data: { level, title: rung.title, contact: rung.name, reason, note, dueAt, late },
    });
    return em.getRepository(Escalation).findOneByOrFail({ id: inserted[0].id });
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
    incident: Incident,
    rung: EscalationLevel,
    reason: EscalationReason,
    requestedBy: string | null,
    note: string | null,
    at: Date,
  ): Promise<void> {
    const commander = await em.query('SELECT name FROM staff_members WHERE id = $1', [incident.commanderId]);
    const mail = this.renderer.render('escalation-alert', 'en', {
      reference: incident.reference,
      title: incident.title,
      level: rung.level,
      levelTitle: rung.title,
      reasonText: REASON_TEXT[reason],
      severity: incident.severity,
      status: incident.status,
      commander: commander[0]?.name ?? '',
      declaredAt: incident.declaredAt,
      responseDueAt: incident.responseDueAt,
      resolutionDueAt: incident.resolutionDueAt,
      firstResponseAt: incident.firstResponseAt,
      requestedBy,
      note,
      incidentUrl: `${this.config.publicBaseUrl}/api/v1/incidents/${incident.reference}`,
    });
    const contentId = await this.ledger.storeContent(em, 'escalation-alert', mail);
    await this.ledger.enqueue(em, {
      kind: 'escalation',
      incidentId: incident.id,
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
          idempotencyKey: `escalation:${incident.id}:${rung.level}`,
        },
      ],
    });
  }
}
