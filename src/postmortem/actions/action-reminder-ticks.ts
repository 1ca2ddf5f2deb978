import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { sqlRows } from '../../common/sql';
import { DuePass } from '../../common/ticker';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DeliveryLedger } from '../../delivery/delivery-ledger';
import { MailRenderer } from '../../delivery/templates/mail-renderer';
import { Incident } from '../../incident/entities/incident.entity';
import { appendTimeline, SYSTEM_ACTOR } from '../../incident/timeline';
import { ActionItem } from '../entities/action-item.entity';
import { businessToday, daysOverdue } from './domain/overdue';

/** Overdue, owner still active, and not reminded within the interval (`$1` today, `$2` cutoff). */
const DUE = `a.status IN ('open','in_progress') AND a.due_on < $1::date
   AND (a.last_reminded_at IS NULL OR a.last_reminded_at <= $2)
   AND EXISTS (SELECT 1 FROM staff_members s WHERE s.id = a.owner_id AND s.active)`;

/**
 * Mails the owner of each overdue action item, at most once per ACTION_REMINDER_INTERVAL_HOURS.
 * Each item is handled under its row lock (SKIP LOCKED) and re-checked there, and the mail and
 * `last_reminded_at` commit together; the ledger key counts the item's reminders, so a second
 * instance or a retried tick never mails the same reminder twice.
 */
@Injectable()
export class ActionReminderTicks extends DuePass {
  private readonly logger = new Logger(ActionReminderTicks.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly renderer: MailRenderer,
    private readonly ledger: DeliveryLedger,
    registry: SchedulerRegistry,
  ) {
    super('action-reminders', registry, config);
  }

  /** Reminds every owner whose item is due a reminder now; returns how many reminders were queued. */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    const today = businessToday(now, this.config.businessCalendar.timezone);
    const cutoff = new Date(now.getTime() - this.config.actionReminderIntervalHours * 3_600_000);
    const due = await sqlRows<{ id: string }>(
      this.db,
      `SELECT a.id FROM postmortem_action_items a WHERE ${DUE} ORDER BY a.due_on, a.id`,
      [today, cutoff],
    );
    let sent = 0;
    for (const { id } of due) {
      try {
        if (await this.db.transaction((em) => this.remind(em, id, today, cutoff, now))) sent += 1;
      } catch (error) {
        // One item's failure must not stop the others; it is retried on the next tick.
        this.logger.error({ err: error, actionId: id }, 'action reminder failed');
      }
    }
    return sent;
  }

  private async remind(
    em: EntityManager,
    id: string,
    today: string,
    cutoff: Date,
    now: Date,
  ): Promise<boolean> {
    const locked = await sqlRows(
      em,
      `SELECT a.id FROM postmortem_action_items a WHERE a.id = $3 AND ${DUE} FOR UPDATE OF a SKIP LOCKED`,
      [today, cutoff, id],
    );
    if (locked.length === 0) return false;
    const item = await em
      .getRepository(ActionItem)
      .findOneOrFail({ where: { id }, relations: { owner: true } });
    const owner = item.owner!;
    const incident = await em.getRepository(Incident).findOneByOrFail({ id: item.incidentId });
    const [{ count }] = await sqlRows<{ count: number }>(
      em,
      // Narrowed by incident and kind first: that is what deliveries are indexed on.
      `SELECT count(*)::int AS count FROM deliveries
        WHERE incident_id = $1 AND kind = 'reminder' AND idempotency_key LIKE $2`,
      [item.incidentId, `action-reminder:${id}:%`],
    );
    const reminder = count + 1;
    const overdueDays = daysOverdue(item.dueOn, today);

    const mail = this.renderer.render('action-reminder', 'en', {
      ownerName: owner.name,
      title: item.title,
      description: item.description,
      dueOn: item.dueOn,
      daysOverdue: overdueDays,
      status: item.status,
      trackerUrl: item.trackerUrl,
      reference: incident.reference,
      // A breach's title stays in Tocsin; the reference is enough to find it.
      incidentTitle: incident.confidential ? null : incident.title,
      intervalHours: this.config.actionReminderIntervalHours,
      actionsUrl: `${this.config.publicBaseUrl}/api/v1/incidents/${incident.reference}/postmortem/actions`,
    });
    const contentId = await this.ledger.storeContent(em, 'action-reminder', mail);
    await this.ledger.enqueue(em, {
      kind: 'reminder',
      incidentId: incident.id,
      contentId,
      at: now,
      entries: [
        {
          recipient: { type: 'staff', staffMemberId: owner.id, address: owner.email, name: owner.name },
          idempotencyKey: `action-reminder:${id}:${reminder}`,
        },
      ],
    });
    await em.query(`UPDATE postmortem_action_items SET last_reminded_at = $2 WHERE id = $1`, [id, now]);
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'postmortem.action_reminder_sent',
      at: now,
      actor: SYSTEM_ACTOR,
      data: {
        actionId: id,
        title: item.title,
        ownerId: owner.id,
        dueOn: item.dueOn,
        daysOverdue: overdueDays,
        reminder,
      },
    });
    return true;
  }
}
