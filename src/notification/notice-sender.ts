import { Injectable } from '@nestjs/common';
import { Language, supportedLanguage } from '../common/languages';
import type { EntityManager } from 'typeorm';
import { DeliveryLedger, LedgerEntry } from '../delivery/delivery-ledger';
import { RECIPIENT_LINK } from '../delivery/smtp/prepared-mail';
import { MailRenderer } from '../delivery/templates/mail-renderer';
import type { Incident } from '../incident/entities/incident.entity';
import type { Notification } from './notification.entity';

export interface NoticeRecipient {
  customerId: string;
  contactId: string;
  email: string;
  name: string;
  language: string;
}

/** Severity words as the mails write them ("Severity: 1 (critical)"), agreeing with each language's noun. */
const SEVERITY_LABELS: Record<Language, Record<number, string>> = {
  en: { 1: 'critical', 2: 'major', 3: 'moderate', 4: 'minor' },
  fr: { 1: 'critique', 2: 'majeure', 3: 'modérée', 4: 'mineure' },
  de: { 1: 'kritisch', 2: 'schwerwiegend', 3: 'mittel', 4: 'gering' },
  it: { 1: 'critica', 2: 'grave', 3: 'moderata', 4: 'lieve' },
  es: { 1: 'crítica', 2: 'grave', 3: 'moderada', 4: 'leve' },
};

/**
 * Fans an approved notice out to contacts: rendered once per language (not per contact), one
 * ledger row per contact with key `notice:<notificationId>:<contactId>`, threaded under each
 * contact's first notice. Security breaches use their own templates, which carry only the
 * approved texts: no title, no services, no internal detail.
 */
@Injectable()
export class NoticeSender {
  constructor(
    private readonly renderer: MailRenderer,
    private readonly ledger: DeliveryLedger,
  ) {}

  async send(
    em: EntityManager,
    incident: Incident,
    notification: Notification,
    recipients: NoticeRecipient[],
    at: Date,
  ): Promise<number> {
    if (recipients.length === 0) return 0;
    const template = incident.kind === 'security_breach' ? 'breach-notice' : 'notice';
    const byLanguage = new Map<string, NoticeRecipient[]>();
    for (const recipient of recipients) {
      const language = this.renderer.languageFor(template, recipient.language);
      const group = byLanguage.get(language);
      if (group) group.push(recipient);
      else byLanguage.set(language, [recipient]);
    }
    const roots =
      notification.kind === 'initial'
        ? new Map<string, string>()
        : await this.ledger.threadRoots(em, incident.id);
    let queued = 0;
    for (const [language, group] of byLanguage) {
      const mail = this.renderer.render(
        template,
        language,
        this.context(incident, notification, language, at),
      );
      const contentId = await this.ledger.storeContent(em, template, mail);
      const entries: LedgerEntry[] = group.map((r) => ({
        recipient: {
          type: 'contact',
          customerId: r.customerId,
          contactId: r.contactId,
          address: r.email,
          name: r.name,
        },
        idempotencyKey: `notice:${notification.id}:${r.contactId}`,
        threadId: roots.get(r.contactId) ?? null,
      }));
      queued += await this.ledger.enqueue(em, {
        kind: notification.kind,
        incidentId: incident.id,
        notificationId: notification.id,
        contentId,
        entries,
        at,
      });
    }
    return queued;
  }

  private context(incident: Incident, notification: Notification, language: string, at: Date) {
    return {
      kind: notification.kind,
      reference: incident.reference,
      title: incident.title,
      severity: incident.severity,
      severityLabel: SEVERITY_LABELS[supportedLanguage(language)][incident.severity],
      services: (incident.services ?? []).map((s) => s.name).sort(),
      startedAt: incident.declaredAt,
      resolvedAt: notification.kind === 'resolution' ? incident.resolvedAt : null,
      observed: notification.observed,
      actions: notification.actions,
      message: notification.message,
      nextUpdateAt: notification.kind === 'resolution' ? null : notification.nextUpdateAt,
      sentAt: at,
      // Each contact's own signed link, put in by the delivery worker at send time.
      portalUrl: RECIPIENT_LINK,
    };
  }
}
