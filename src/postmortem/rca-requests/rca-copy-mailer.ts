import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DeliveryLedger } from '../../delivery/delivery-ledger';
import { MailRenderer } from '../../delivery/templates/mail-renderer';
import { SignedLinks } from '../../links/signed-links';
import { RcaCustomerEdition, RenderedRca } from '../rca-publication';
import type { RcaContact, RcaIncident } from './rca-entitlement';
import type { RcaRequest } from './rca-request.entity';

export const RCA_COPY_TEMPLATE = 'rca-copy';

/** Deterministic: one mail per request and RCA version, whatever path or retry queues it. */
export const rcaCopyKey = (requestId: string, version: number) => `rca-copy:${requestId}:v${version}`;

/**
 * One sending occasion (a request, a publication): the PDF is rendered once per customer and
 * language, and the contacts' notice threads are read once.
 */
export class RcaCopyBatch {
  readonly pdfs = new Map<string, Promise<RenderedRca>>();
  threadRoots?: Map<string, string>;

  constructor(
    readonly incident: RcaIncident,
    readonly version: number,
    readonly at: Date,
  ) {}
}

/**
 * Sends the customer edition of one published RCA version to one contact, for one or more of
 * its requests: the PDF attached, a signed link that expires, through the delivery ledger in
 * the caller's transaction. Requests that already had this version are left alone, so calling
 * it again (a retried publication, a second drain) sends nothing more.
 */
@Injectable()
export class RcaCopyMailer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly renderer: MailRenderer,
    private readonly ledger: DeliveryLedger,
    private readonly links: SignedLinks,
    private readonly edition: RcaCustomerEdition,
  ) {}

  /** The language a contact's copy is in: theirs when both mail and report have it, else English. */
  language(requested: string): string {
    return this.renderer.languageFor(RCA_COPY_TEMPLATE, requested);
  }

  /** Returns the number of requests this call fulfilled with `batch.version`. */
  async send(
    em: EntityManager,
    batch: RcaCopyBatch,
    contact: RcaContact,
    requests: RcaRequest[],
  ): Promise<number> {
    const sent: { request_id: string }[] = requests.length
      ? await em.query(
          `SELECT request_id FROM rca_copies WHERE request_id = ANY($1::uuid[]) AND version = $2`,
          [requests.map((r) => r.id), batch.version],
        )
      : [];
    const done = new Set(sent.map((r) => r.request_id));
    const pending = requests.filter((r) => !done.has(r.id));
    if (pending.length === 0) return 0;
    // The newest request names the mail (its key, its language); the others share that mail.
    const primary = [...pending].sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime())[0];
    const language = primary.language;
    const { incident, version, at } = batch;

    const pdf = await this.pdf(em, batch, contact.customerId, language);
    const token = this.links.sign(
      {
        purpose: 'rca',
        customerId: contact.customerId,
        contactId: contact.contactId,
        incidentId: incident.id,
        version,
        language,
      },
      this.config.links.rcaTtlDays,
    );
    const correction = pending.some((r) => r.fulfilledVersion !== null && r.fulfilledVersion < version);
    const mail = this.renderer.render(RCA_COPY_TEMPLATE, language, {
      contactName: contact.name,
      customerName: contact.customerName,
      reference: incident.reference,
      // A breach's title may carry internal detail: its mails name the reference only.
      title: incident.kind === 'security_breach' ? null : incident.title,
      version,
      correction,
      proactive: pending.every((r) => r.channel === 'proactive'),
      link: `${this.config.publicBaseUrl}/rca/${token}`,
      linkExpiresAt: new Date(at.getTime() + this.config.links.rcaTtlDays * 86_400_000),
      filename: pdf.filename,
    });
    const contentId = await this.ledger.storeContent(em, RCA_COPY_TEMPLATE, mail, [
      { filename: pdf.filename, contentType: pdf.contentType, content: pdf.content },
    ]);
    batch.threadRoots ??= await this.ledger.threadRoots(em, incident.id);
    const key = rcaCopyKey(primary.id, version);
    await this.ledger.enqueue(em, {
      kind: 'rca_copy',
      incidentId: incident.id,
      contentId,
      at,
      entries: [
        {
          recipient: {
            type: 'contact',
            customerId: contact.customerId,
            contactId: contact.contactId,
            address: contact.email,
            name: contact.name,
          },
          idempotencyKey: key,
          threadId: batch.threadRoots.get(contact.contactId) ?? null,
        },
      ],
    });
    const [delivery] = (await em.query(`SELECT id FROM deliveries WHERE idempotency_key = $1`, [key])) as {
      id: string;
    }[];
    const ids = pending.map((r) => r.id);
    await em.query(
      `INSERT INTO rca_copies (request_id, version, delivery_id, sent_at)
       SELECT unnest($1::uuid[]), $2, $3, $4 ON CONFLICT DO NOTHING`,
      [ids, version, delivery.id, at],
    );
    await em.query(
      `UPDATE rca_requests SET status = 'fulfilled', fulfilled_at = coalesce(fulfilled_at, $3),
              fulfilled_version = greatest(coalesce(fulfilled_version, 0), $2)
        WHERE id = ANY($1::uuid[])`,
      [ids, version, at],
    );
    for (const r of pending) {
      r.status = 'fulfilled';
      r.fulfilledAt ??= at;
      r.fulfilledVersion = Math.max(r.fulfilledVersion ?? 0, version);
    }
    return pending.length;
  }

  private pdf(
    em: EntityManager,
    batch: RcaCopyBatch,
    customerId: string,
    language: string,
  ): Promise<RenderedRca> {
    const key = `${customerId}:${language}`;
    let rendered = batch.pdfs.get(key);
    if (!rendered) {
      rendered = this.edition.render(em, {
        incidentId: batch.incident.id,
        version: batch.version,
        customerId,
        language,
        format: 'pdf',
      });
      batch.pdfs.set(key, rendered);
    }
    return rendered;
  }
}
