import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DeliveryLedger, Recipient } from '../delivery/delivery-ledger';
import { MailRenderer } from '../delivery/templates/mail-renderer';
import type { SupportReply, SupportRequest } from './support-request.entity';

/**
 * Mails to the requester, through the delivery ledger inside the caller's transaction: the
 * confirmation of a new request (kind `confirmation`) and each reply (kind `support_reply`),
 * in the matched contact's language (English otherwise), threaded under the confirmation.
 */
@Injectable()
export class SupportMail {
  constructor(
    private readonly renderer: MailRenderer,
    private readonly ledger: DeliveryLedger,
  ) {}

  async confirm(em: EntityManager, request: SupportRequest, at: Date): Promise<void> {
    const language = await this.language(em, request);
    const mail = this.renderer.render('support-confirmation', language, {
      reference: request.reference,
      contactName: request.contactName,
      company: request.company,
      submissionMethod: request.submissionMethod,
      createdAt: request.createdAt,
      eventAt: request.eventAt,
      jobNumbers: request.jobNumbers,
      description: request.description,
      responseDueAt: request.responseDueAt,
    });
    const contentId = await this.ledger.storeContent(em, 'support-confirmation', mail);
    await this.ledger.enqueue(em, {
      kind: 'confirmation',
      contentId,
      at,
      entries: [{ recipient: this.recipient(request), idempotencyKey: confirmationKey(request.id) }],
    });
  }

  async reply(em: EntityManager, request: SupportRequest, reply: SupportReply): Promise<void> {
    const language = await this.language(em, request);
    const mail = this.renderer.render('support-reply', language, {
      reference: request.reference,
      contactName: request.contactName,
      body: reply.body,
      authorName: reply.authorName,
      repliedAt: reply.at,
    });
    const contentId = await this.ledger.storeContent(em, 'support-reply', mail);
    const [root] = (await em.query(`SELECT message_id FROM deliveries WHERE idempotency_key = $1`, [
      confirmationKey(request.id),
    ])) as { message_id: string }[];
    await this.ledger.enqueue(em, {
      kind: 'support_reply',
      contentId,
      at: reply.at,
      entries: [
        {
          recipient: this.recipient(request),
          idempotencyKey: `sr-reply:${reply.id}`,
          threadId: root?.message_id ?? null,
        },
      ],
    });
  }

  /** A known contact is addressed as such; anyone else as a requester. */
  private recipient(request: SupportRequest): Recipient {
    const base = { address: request.contactEmail, name: request.contactName };
    return request.customerId && request.contactId
      ? { type: 'contact', customerId: request.customerId, contactId: request.contactId, ...base }
      : { type: 'requester', customerId: request.customerId, ...base };
  }

  /** The matched contact's language, else its customer's, else English. */
  private async language(em: EntityManager, request: SupportRequest): Promise<string> {
    if (!request.contactId) return 'en';
    const [row] = (await em.query(
      `SELECT coalesce(cc.language, c.language) AS language
         FROM customer_contacts cc JOIN customers c ON c.id = cc.customer_id WHERE cc.id = $1`,
      [request.contactId],
    )) as { language: string }[];
    return row?.language ?? 'en';
  }
}

export const confirmationKey = (requestId: string) => `sr-confirmation:${requestId}`;
