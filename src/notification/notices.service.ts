import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page, PageQuery } from '../common/pagination';
import type { Actor } from '../auth/roles';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryLedger } from '../delivery/delivery-ledger';
import { isOpen } from '../incident/domain/incident-status';
import { Incident } from '../incident/entities/incident.entity';
import { IncidentLifecycle, IncidentResolvedEvent } from '../incident/incident-lifecycle';
import { IncidentStore } from '../incident/incident-store';
import { appendTimeline, SYSTEM_ACTOR } from '../incident/timeline';
import { NoticeSender } from './notice-sender';
import { cadenceMinutes, nextUpdateAt } from './notice-window';
import { Notification, NotificationKind } from './notification.entity';
import { impactedContacts } from './recipients';

export interface NoticeTexts {
  observed?: string | null;
  actions?: string | null;
  message?: string | null;
}

type Approver = Actor | typeof SYSTEM_ACTOR;

/**
 * The customer-facing notices of an incident: the first notice (drafted when impact is
 * defined, edited, approved — approval sends), status updates, holding updates and the
 * resolution notice. Every send goes to the impacted contacts through the ledger.
 */
@Injectable()
export class NoticesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly sender: NoticeSender,
    private readonly ledger: DeliveryLedger,
    private readonly lifecycle: IncidentLifecycle,
  ) {}

  onModuleInit(): void {
    this.lifecycle.onResolved((event) => this.sendResolution(event));
  }

  async list(idOrReference: string, actor: Actor, { limit, offset }: PageQuery): Promise<Page<Notification>> {
    const incident = await this.store.get(this.db.manager, idOrReference, actor);
    const [items, total] = await this.db.getRepository(Notification).findAndCount({
      where: { incidentId: incident.id },
      order: { sequence: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  /** A new update draft for the team to edit and approve. */
  draftUpdate(idOrReference: string, texts: NoticeTexts, actor: Actor): Promise<Notification> {
    return this.db.transaction(async (em) => {
      const incident = await this.lockNotifiable(em, idOrReference, actor);
      await this.requireInitialSent(em, incident);
      return this.insert(em, incident, 'update', texts, actor, this.clock.now());
    });
  }

  editDraft(
    idOrReference: string,
    notificationId: string,
    texts: NoticeTexts,
    actor: Actor,
  ): Promise<Notification> {
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      const notification = await this.draftOf(em, incident, notificationId);
      Object.assign(notification, pickTexts(texts));
      await em.getRepository(Notification).save(notification);
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'notification.edited',
        at: this.clock.now(),
        actor,
        data: { notificationId, kind: notification.kind, ...pickTexts(texts) },
      });
      return notification;
    });
  }

  approve(idOrReference: string, notificationId: string, actor: Actor): Promise<Notification> {
    return this.db.transaction(async (em) => {
      const incident = await this.lockNotifiable(em, idOrReference, actor);
      const notification = await this.draftOf(em, incident, notificationId);
      if (notification.kind !== 'initial') await this.requireInitialSent(em, incident);
      return this.approveAndSend(em, incident, notification, actor, this.clock.now());
    });
  }

  /** `POST …/updates`: write and send a status update in one call. */
  postUpdate(idOrReference: string, texts: NoticeTexts, actor: Actor): Promise<Notification> {
    return this.db.transaction(async (em) => {
      const incident = await this.lockNotifiable(em, idOrReference, actor);
      await this.requireInitialSent(em, incident);
      const at = this.clock.now();
      const draft = await this.insert(em, incident, 'update', texts, actor, at);
      return this.approveAndSend(em, incident, draft, actor, at);
    });
  }

  setCadence(idOrReference: string, minutes: number | null, actor: Actor): Promise<Incident> {
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      if (!isOpen(incident.status))
        throw new ConflictError('incident.not_open', `${incident.reference} is ${incident.status}`);
      const at = this.clock.now();
      const effective = cadenceMinutes(incident.severity, minutes, this.config.notice);
      const last = await em.getRepository(Notification).findOne({
        where: { incidentId: incident.id, status: 'approved' },
        order: { sequence: 'DESC' },
      });
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'notification.cadence_changed',
        at,
        actor,
        data: { from: incident.updateCadenceMinutes, to: minutes, effectiveMinutes: effective },
      });
      incident.updateCadenceMinutes = minutes;
      if (last?.approvedAt) incident.nextUpdateDueAt = nextUpdateAt(last.approvedAt, effective);
      incident.updatedAt = at;
      return em.getRepository(Incident).save(incident);
    });
  }

  /**
   * Approves and fans out. Also used by the ticks (auto-send at +25 min, holding updates),
   * with the platform as approver. Returns the approved notice.
   */
  async approveAndSend(
    em: EntityManager,
    incident: Incident,
    notification: Notification,
    approver: Approver,
    at: Date,
  ): Promise<Notification> {
    const minutes = cadenceMinutes(incident.severity, incident.updateCadenceMinutes, this.config.notice);
    const superseded =
      notification.kind === 'initial' ? 0 : await this.ledger.supersedePendingUpdates(em, incident.id, at);
    Object.assign(notification, {
      status: 'approved',
      approvedAt: at,
      approvedById: approver.staffMemberId,
      approvedByName: approver.name,
      autoApproved: approver === SYSTEM_ACTOR,
      nextUpdateAt: notification.kind === 'resolution' ? null : nextUpdateAt(at, minutes),
    });
    await em.getRepository(Notification).save(notification);
    const withServices = await em
      .getRepository(Incident)
      .findOneOrFail({ where: { id: incident.id }, relations: { services: true } });
    const queued = await this.sender.send(
      em,
      withServices,
      notification,
      await impactedContacts(em, incident.id),
      at,
    );
    await em.update(Incident, incident.id, { nextUpdateDueAt: notification.nextUpdateAt, updatedAt: at });
    await appendTimeline(em, {
      incidentId: incident.id,
      type: approver === SYSTEM_ACTOR ? 'notification.auto_sent' : 'notification.approved',
      at,
      actor: approver,
      data: {
        notificationId: notification.id,
        kind: notification.kind,
        recipients: queued,
        supersededDeliveries: superseded,
        nextUpdateAt: notification.nextUpdateAt,
      },
    });
    return notification;
  }

  async insert(
    em: EntityManager,
    incident: Incident,
    kind: NotificationKind,
    texts: NoticeTexts,
    author: Approver,
    at: Date,
  ): Promise<Notification> {
    const [{ next }] = await em.query(
      `SELECT COALESCE(max(sequence), 0) + 1 AS next FROM notifications WHERE incident_id = $1`,
      [incident.id],
    );
    return em.getRepository(Notification).save({
      incidentId: incident.id,
      sequence: next,
      kind,
      status: 'draft',
      observed: null,
      actions: null,
      message: null,
      ...pickTexts(texts),
      nextUpdateAt: null,
      createdAt: at,
      createdById: author.staffMemberId,
      createdByName: author.name,
      autoApproved: false,
    });
  }

  /** Resolving sends the resolution notice (with how to get the RCA) to every impacted contact. */
  private async sendResolution({
    em,
    incident,
    actor,
    customerMessage,
  }: IncidentResolvedEvent): Promise<void> {
    if (!incident.impactDefinedAt) return;
    const at = incident.resolvedAt ?? this.clock.now();
    const notice = await this.insert(em, incident, 'resolution', { message: customerMessage }, actor, at);
    await this.approveAndSend(em, incident, notice, actor, at);
  }

  private async lockNotifiable(em: EntityManager, idOrReference: string, actor: Actor): Promise<Incident> {
    const incident = await this.store.get(em, idOrReference, actor, { lock: true });
    if (!isOpen(incident.status)) {
      throw new ConflictError(
        'incident.not_open',
        `${incident.reference} is ${incident.status}: no more notices`,
      );
    }
    if (!incident.impactDefinedAt) {
      throw new ConflictError(
        'impact.not_defined',
        `Define the impact of ${incident.reference} first (POST …/impact)`,
      );
    }
    return incident;
  }

  private async requireInitialSent(em: EntityManager, incident: Incident): Promise<void> {
    const sent = await em
      .getRepository(Notification)
      .existsBy({ incidentId: incident.id, kind: 'initial', status: 'approved' });
    if (!sent) {
      throw new ConflictError(
        'notification.initial_not_sent',
        'Approve the first notice before sending updates',
      );
    }
  }

  private async draftOf(
    em: EntityManager,
    incident: Incident,
    notificationId: string,
  ): Promise<Notification> {
    const notification = await em
      .getRepository(Notification)
      .findOneBy({ id: notificationId, incidentId: incident.id });
    if (!notification) throw new NotFoundError('notification', notificationId);
    if (notification.status !== 'draft') {
      throw new ConflictError('notification.not_draft', `This ${notification.kind} notice was already sent`);
    }
    return notification;
  }
}

function pickTexts(texts: NoticeTexts): NoticeTexts {
  const picked: NoticeTexts = {};
  for (const key of ['observed', 'actions', 'message'] as const)
    if (texts[key] !== undefined) picked[key] = texts[key];
  return picked;
}
