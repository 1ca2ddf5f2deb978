import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { isLate } from '../common/lateness';
import { DuePass } from '../common/ticker';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Incident } from '../incident/entities/incident.entity';
import { appendTimeline, SYSTEM_ACTOR } from '../incident/timeline';
import { NoticesService } from './notices.service';
import { Notification } from './notification.entity';
import { sqlRows } from '../common/sql';
import { StaffAlerts } from './staff-alerts';

/**
 * The guard rails of the notice clock and the update cadence, driven from database rows:
 * at the target (+20) the notice team is reminded; at the auto-send mark (+25) the default
 * first notice goes out by itself; at the deadline (+30) the commander hears of any customer
 * not yet notified; when an update is due and none was written, a holding update goes out.
 * Each incident is handled under its row lock (SKIP LOCKED), so instances never double up,
 * and whatever is overdue is acted on whenever the tick runs — late, and marked late.
 */
@Injectable()
export class NotificationTicks extends DuePass {
  private readonly logger = new Logger(NotificationTicks.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly notices: NoticesService,
    private readonly alerts: StaffAlerts,
    registry: SchedulerRegistry,
  ) {
    super('notification-guards', registry, config);
  }

  /** One pass over everything due now. Returns how many incidents were acted on. */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    let acted = 0;
    for (const id of await this.due(now)) {
      try {
        if (await this.db.transaction((em) => this.handle(em, id, now))) acted += 1;
      } catch (error) {
        // One incident's failure must not stop the others; it is retried on the next tick.
        this.logger.error({ err: error, incidentId: id }, 'notification guard failed');
      }
    }
    return acted;
  }

  private async due(now: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT i.id FROM incidents i
        WHERE i.status IN ('declared','investigating','identified','monitoring') AND i.impact_defined_at IS NOT NULL
          AND (
            (i.next_update_due_at IS NOT NULL AND i.next_update_due_at <= $1)
            OR EXISTS (SELECT 1 FROM impacted_customers ic WHERE ic.incident_id = i.id
                         AND ((ic.reminded_at IS NULL AND ic.notify_target_at <= $1)
                           OR (ic.deadline_alerted_at IS NULL AND ic.notify_deadline_at <= $1)
                           OR ic.notify_autosend_at <= $1 AND EXISTS (
                                SELECT 1 FROM notifications n WHERE n.incident_id = i.id AND n.kind = 'initial' AND n.status = 'draft'))))
        ORDER BY i.declared_at`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  private async handle(em: EntityManager, incidentId: string, now: Date): Promise<boolean> {
    const incident = await em
      .getRepository(Incident)
      .createQueryBuilder('i')
      .where('i.id = :id', { id: incidentId })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
    if (!incident || !incident.impactDefinedAt) return false;
    const initial = await em.getRepository(Notification).findOneByOrFail({ incidentId, kind: 'initial' });

    if (initial.status === 'draft') {
      await this.remindAtTarget(em, incident, now);
      await this.autosend(em, incident, initial, now);
    } else {
      await this.warnAtTarget(em, incident, now);
    }
    await this.checkDeadline(em, incident, now);
    await this.holdingUpdate(em, incident, now);
    return true;
  }

  private async remindAtTarget(em: EntityManager, incident: Incident, now: Date): Promise<void> {
    const rows = await sqlRows<{ target: Date }>(
      em,
      `UPDATE impacted_customers SET reminded_at = $2
        WHERE incident_id = $1 AND reminded_at IS NULL AND notify_target_at <= $2
        RETURNING notify_target_at AS target`,
      [incident.id, now],
    );
    if (rows.length === 0) return;
    const target = new Date(Math.min(...rows.map((r) => new Date(r.target).getTime())));
    const deadline = new Date(
      target.getTime() + (this.config.notice.deadlineMinutes - this.config.notice.targetMinutes) * 60_000,
    );
    await this.alerts.send(
      em,
      incident,
      {
        key: `reminder:notice-target:${incident.id}:${target.toISOString()}`,
        headline: 'First notice not approved: the notice target has passed',
        lines: [
          `${rows.length} impacted customer(s) have not been sent the first notice.`,
          `Approve it now (POST …/notifications/{id}/approve). Without approval, the default text is sent automatically at the auto-send mark.`,
        ],
        dueAt: deadline,
        audience: 'notice-team',
      },
      now,
    );
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'notification.reminder_sent',
      at: now,
      actor: SYSTEM_ACTOR,
      data: {
        reason: 'notice_target_passed',
        customers: rows.length,
        targetAt: target,
        late: isLate(target, now),
      },
    });
  }

  /**
   * The notice was approved but, at the target, some customer's mails are still not accepted
   * (relay down or throttling): the commander hears that the deadline is at risk while there is
   * still time to act. Marking `reminded_at` also stops the incident from being picked again
   * by every tick until it is resolved.
   */
  private async warnAtTarget(em: EntityManager, incident: Incident, now: Date): Promise<void> {
    const rows = await sqlRows<{ customer_id: string; target: Date; deadline: Date; notified: boolean }>(
      em,
      `UPDATE impacted_customers ic SET reminded_at = $2
        WHERE ic.incident_id = $1 AND ic.reminded_at IS NULL AND ic.notify_target_at <= $2
        RETURNING ic.customer_id, ic.notify_target_at AS target, ic.notify_deadline_at AS deadline, NOT EXISTS (
          SELECT 1 FROM customer_contacts cc WHERE cc.customer_id = ic.customer_id AND cc.receives_notices
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.incident_id = ic.incident_id AND d.contact_id = cc.id
                               AND d.kind = 'initial' AND d.status = 'accepted')) AS notified`,
      [incident.id, now],
    );
    const pending = rows.filter((r) => !r.notified);
    if (pending.length === 0) return;
    const target = new Date(Math.min(...pending.map((r) => new Date(r.target).getTime())));
    const deadline = new Date(Math.min(...pending.map((r) => new Date(r.deadline).getTime())));
    await this.alerts.send(
      em,
      incident,
      {
        key: `alert:notice-at-risk:${incident.id}:${target.toISOString()}`,
        headline: 'Notice deadline at risk: first notice not yet accepted by the mail relay',
        lines: [
          `${pending.length} impacted customer(s) have not all received the approved first notice at the notice target.`,
          'See GET …/deliveries?status=retrying,failed for the relay’s answers.',
        ],
        dueAt: deadline,
        audience: 'commander',
      },
      now,
    );
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'notification.deadline_at_risk',
      at: now,
      actor: SYSTEM_ACTOR,
      data: {
        customers: pending.map((r) => r.customer_id),
        targetAt: target,
        deadlineAt: deadline,
        late: isLate(target, now),
      },
    });
  }

  private async autosend(
    em: EntityManager,
    incident: Incident,
    initial: Notification,
    now: Date,
  ): Promise<void> {
    const [due] = await em.query(
      `SELECT min(notify_autosend_at) AS at FROM impacted_customers WHERE incident_id = $1 AND notify_autosend_at <= $2`,
      [incident.id, now],
    );
    if (!due?.at) return;
    await this.notices.approveAndSend(em, incident, initial, SYSTEM_ACTOR, now);
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'notification.auto_send_reason',
      at: now,
      actor: SYSTEM_ACTOR,
      data: {
        reason:
          'no approval by the auto-send mark: the default first notice was sent so the deadline is not missed',
        autosendAt: due.at,
        late: isLate(new Date(due.at), now),
      },
    });
  }

  /** At the deadline, the commander hears about every customer whose contacts are not all accepted. */
  private async checkDeadline(em: EntityManager, incident: Incident, now: Date): Promise<void> {
    const rows = await sqlRows<{ customer_id: string; deadline: Date; notified: boolean }>(
      em,
      `UPDATE impacted_customers ic SET deadline_alerted_at = $2
        WHERE ic.incident_id = $1 AND ic.deadline_alerted_at IS NULL AND ic.notify_deadline_at <= $2
        RETURNING ic.customer_id, ic.notify_deadline_at AS deadline, NOT EXISTS (
          SELECT 1 FROM customer_contacts cc WHERE cc.customer_id = ic.customer_id AND cc.receives_notices
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.incident_id = ic.incident_id AND d.contact_id = cc.id
                               AND d.kind = 'initial' AND d.status = 'accepted' AND d.accepted_at <= ic.notify_deadline_at)) AS notified`,
      [incident.id, now],
    );
    const missed = rows.filter((r) => !r.notified);
    if (missed.length === 0) return;
    const deadline = new Date(Math.min(...missed.map((r) => new Date(r.deadline).getTime())));
    await this.alerts.send(
      em,
      incident,
      {
        key: `alert:notice-deadline:${incident.id}:${deadline.toISOString()}`,
        headline: 'Notice deadline missed: customers not yet notified',
        lines: [
          `${missed.length} impacted customer(s) had not received the first notice by the 30-minute deadline.`,
          'See GET …/sla for who is pending and why (GET …/deliveries?status=retrying,failed).',
        ],
        dueAt: deadline,
        audience: 'commander',
      },
      now,
    );
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'notification.deadline_missed',
      at: now,
      actor: SYSTEM_ACTOR,
      data: {
        customers: missed.map((r) => r.customer_id),
        deadlineAt: deadline,
        late: isLate(deadline, now),
      },
    });
  }

  /** An update was promised and none was written: a holding update keeps the promise. */
  private async holdingUpdate(em: EntityManager, incident: Incident, now: Date): Promise<void> {
    const dueAt = incident.nextUpdateDueAt;
    if (!dueAt || dueAt > now) return;
    const holding = await this.notices.insert(em, incident, 'holding', {}, SYSTEM_ACTOR, now);
    await this.notices.approveAndSend(em, incident, holding, SYSTEM_ACTOR, now);
    await this.alerts.send(
      em,
      incident,
      {
        key: `reminder:update-due:${incident.id}:${dueAt.toISOString()}`,
        headline: 'Status update was due: a holding update was sent',
        lines: [
          'Customers received a holding update because none was written in time.',
          'Post a real update (POST …/updates) as soon as you can.',
        ],
        dueAt,
        audience: 'commander',
      },
      now,
    );
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'notification.holding_sent',
      at: now,
      actor: SYSTEM_ACTOR,
      data: { notificationId: holding.id, dueAt, late: isLate(dueAt, now) },
    });
  }
}
