import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryLedger } from '../delivery/delivery-ledger';
import { MailRenderer } from '../delivery/templates/mail-renderer';
import type { Incident } from '../incident/entities/incident.entity';

export interface StaffAlert {
  /** Base of the idempotency keys: the same alert is never mailed twice to one person. */
  key: string;
  headline: string;
  lines: string[];
  dueAt: Date | null;
  /** `commander` only, or the commander and the people who write notices. */
  audience: 'commander' | 'notice-team';
}

/** Reminders and alerts to staff about an incident, through the ledger (kind `reminder`). */
@Injectable()
export class StaffAlerts {
  constructor(
    private readonly renderer: MailRenderer,
    private readonly ledger: DeliveryLedger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async send(em: EntityManager, incident: Incident, alert: StaffAlert, at: Date): Promise<number> {
    const staff = await this.recipients(em, incident, alert.audience);
    if (staff.length === 0) return 0;
    const mail = this.renderer.render('staff-alert', 'en', {
      headline: alert.headline,
      lines: alert.lines,
      reference: incident.reference,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      dueAt: alert.dueAt,
      incidentUrl: `${this.config.publicBaseUrl}/api/v1/incidents/${incident.reference}`,
    });
    const contentId = await this.ledger.storeContent(em, 'staff-alert', mail);
    return this.ledger.enqueue(em, {
      kind: 'reminder',
      incidentId: incident.id,
      contentId,
      at,
      entries: staff.map((s) => ({
        recipient: { type: 'staff', staffMemberId: s.id, address: s.email, name: s.name },
        idempotencyKey: `${alert.key}:${s.id}`,
      })),
    });
  }

  /**
   * The commander; for the notice team also the incident's communications leads and every
   * active staff member holding a notifier token (for a confidential incident, participants only).
   */
  private recipients(em: EntityManager, incident: Incident, audience: StaffAlert['audience']) {
    return em.query(
      `SELECT DISTINCT s.id, s.email, s.name FROM staff_members s
        WHERE s.active AND (
          s.id = $1
          OR ($3 AND EXISTS (SELECT 1 FROM incident_participants p WHERE p.incident_id = $2 AND p.staff_member_id = s.id
                               AND p.role = 'communications_lead' AND p.left_at IS NULL))
          OR ($3 AND $4 AND EXISTS (SELECT 1 FROM api_tokens t WHERE t.staff_member_id = s.id AND 'notifier' = ANY(t.roles)
                               AND t.revoked_at IS NULL)))
        ORDER BY s.email`,
      [incident.commanderId, incident.id, audience === 'notice-team', !incident.confidential],
    ) as Promise<{ id: string; email: string; name: string }[]>;
  }
}
