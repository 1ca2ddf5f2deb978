import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DELIVERY_PRIORITY, DeliveryKind, MailContent } from './delivery.entity';
import { sqlRows } from '../common/sql';
import type { RenderedMail } from './templates/mail-renderer';

export type Recipient =
  | { type: 'contact'; customerId: string; contactId: string; address: string; name: string }
  /** A staff member, or an escalation-chain level that is not one (staffMemberId null). */
  | { type: 'staff'; staffMemberId: string | null; address: string; name: string }
  /** Someone who wrote to support and is not (yet) a known contact. */
  | { type: 'requester'; customerId: string | null; address: string; name: string };

/** A file sent with a mail (the RCA PDF): stored once per content, composed once per content. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface LedgerEntry {
  recipient: Recipient;
  /** Deterministic, e.g. `notice:<notificationId>:<contactId>`: a second enqueue is a no-op. */
  idempotencyKey: string;
  /** Message-ID of the recipient's first mail about this incident, for threading. */
  threadId?: string | null;
}

export interface EnqueueRequest {
  kind: DeliveryKind;
  incidentId?: string | null;
  notificationId?: string | null;
  contentId: string;
  entries: LedgerEntry[];
  at: Date;
}

const CHUNK = 5000;

/**
 * Writing to the ledger: called inside the transaction of the act that causes the mail, so
 * the act and its deliveries commit together. Sending happens later, from these rows.
 */
@Injectable()
export class DeliveryLedger {
  private readonly messageIdDomain: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.messageIdDomain = /@([^>\s]+)>?\s*$/.exec(config.mail.from)?.[1] ?? 'tocsin.invalid';
  }

  /** Stores one rendered mail (and its attachments, once) for every recipient that will share it. */
  async storeContent(
    em: EntityManager,
    template: string,
    mail: RenderedMail,
    attachments: MailAttachment[] = [],
  ): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO mail_contents (template, language, subject, html, text, attachment_count)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [template, mail.language, mail.subject, mail.html, mail.text, attachments.length],
    );
    for (const [position, attachment] of attachments.entries()) {
      // Bytes stored once per hash: the contacts of one customer share their RCA PDF.
      const sha256 = createHash('sha256').update(attachment.content).digest();
      await em.query(
        `INSERT INTO mail_attachment_blobs (sha256, data) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`,
        [sha256, attachment.content],
      );
      await em.query(
        `INSERT INTO mail_attachments (content_id, position, filename, content_type, sha256) VALUES ($1, $2, $3, $4, $5)`,
        [
          row.id,
          position,
          // Header safety: the filename ends up in Content-Disposition.
          attachment.filename.replace(/[\r\n"\\/]+/g, '_'),
          attachment.contentType.replace(/[\r\n]+/g, ''),
          sha256,
        ],
      );
    }
    return row.id;
  }

  async content(em: EntityManager, id: string): Promise<MailContent> {
    return em.getRepository(MailContent).findOneByOrFail({ id });
  }

  /** Inserts one row per entry (existing idempotency keys are skipped); returns how many were new. */
  async enqueue(em: EntityManager, request: EnqueueRequest): Promise<number> {
    let inserted = 0;
    for (let start = 0; start < request.entries.length; start += CHUNK) {
      inserted += await this.insertChunk(em, request, request.entries.slice(start, start + CHUNK));
    }
    return inserted;
  }

  private async insertChunk(
    em: EntityManager,
    request: EnqueueRequest,
    entries: LedgerEntry[],
  ): Promise<number> {
    const ids = entries.map(() => randomUUID());
    const contact = (e: LedgerEntry) => (e.recipient.type === 'contact' ? e.recipient : undefined);
    const customerOf = (e: LedgerEntry) => (e.recipient.type === 'staff' ? null : e.recipient.customerId);
    const staff = (e: LedgerEntry) => (e.recipient.type === 'staff' ? e.recipient : undefined);
    const result: { id: string }[] = await em.query(
      `INSERT INTO deliveries (id, idempotency_key, kind, priority, incident_id, notification_id, content_id,
          recipient_type, customer_id, contact_id, staff_member_id, to_address, to_name, message_id, thread_id,
          created_at, next_attempt_at)
       SELECT r.id, r.key, $1, $2, $3, $4, $5, r.rtype, r.customer_id, r.contact_id, r.staff_id, r.address, r.name,
          r.message_id, r.thread_id, $6, $6
       FROM unnest($7::uuid[], $8::text[], $9::text[], $10::uuid[], $11::uuid[], $12::uuid[], $13::text[], $14::text[],
                   $15::text[], $16::text[]) WITH ORDINALITY
            AS r(id, key, rtype, customer_id, contact_id, staff_id, address, name, message_id, thread_id, n)
       ORDER BY r.n
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        request.kind,
        DELIVERY_PRIORITY[request.kind],
        request.incidentId ?? null,
        request.notificationId ?? null,
        request.contentId,
        request.at,
        ids,
        entries.map((e) => e.idempotencyKey),
        entries.map((e) => e.recipient.type),
        entries.map(customerOf),
        entries.map((e) => contact(e)?.contactId ?? null),
        entries.map((e) => staff(e)?.staffMemberId ?? null),
        entries.map((e) => e.recipient.address),
        // Header safety: a display name never carries a line break into the To header.
        entries.map((e) => e.recipient.name.replace(/[\r\n]+/g, ' ')),
        ids.map((id) => `<${id}@${this.messageIdDomain}>`),
        entries.map((e) => e.threadId ?? null),
      ],
    );
    return result.length;
  }

  /**
   * A newer update makes older ones that have not left yet pointless: they are marked
   * superseded (kept as a record), never sent after the newer one.
   */
  async supersedePendingUpdates(em: EntityManager, incidentId: string, at: Date): Promise<number> {
    const rows = await sqlRows(
      em,
      `UPDATE deliveries SET status = 'superseded', superseded_at = $2, locked_until = NULL
       WHERE incident_id = $1 AND kind IN ('update', 'holding') AND status IN ('pending', 'retrying')
       RETURNING id`,
      [incidentId, at],
    );
    return rows.length;
  }

  /** Message-ID of each contact's first notice about the incident: the root of their thread. */
  async threadRoots(em: EntityManager, incidentId: string): Promise<Map<string, string>> {
    const rows: { contact_id: string; message_id: string }[] = await em.query(
      `SELECT contact_id, message_id FROM deliveries WHERE incident_id = $1 AND kind = 'initial' AND contact_id IS NOT NULL`,
      [incidentId],
    );
    return new Map(rows.map((r) => [r.contact_id, r.message_id]));
  }
}

/** The attachments of the given contents, in order, keyed by content id. */
export async function mailAttachments(
  em: EntityManager,
  contentIds: string[],
): Promise<Map<string, MailAttachment[]>> {
  const byContent = new Map<string, MailAttachment[]>();
  if (contentIds.length === 0) return byContent;
  const rows: { content_id: string; filename: string; content_type: string; data: Buffer }[] = await em.query(
    `SELECT a.content_id, a.filename, a.content_type, b.data
       FROM mail_attachments a JOIN mail_attachment_blobs b ON b.sha256 = a.sha256
      WHERE a.content_id = ANY($1::uuid[]) ORDER BY a.content_id, a.position`,
    [contentIds],
  );
  for (const r of rows) {
    const list = byContent.get(r.content_id) ?? [];
    list.push({ filename: r.filename, contentType: r.content_type, content: r.data });
    byContent.set(r.content_id, list);
  }
  return byContent;
}
