import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { NotFoundError } from '../../common/domain-error';
import { appendTimeline, SYSTEM_ACTOR } from '../../incident/timeline';
import { RcaCustomerEdition } from '../rca-publication';
import { RcaCopyBatch, RcaCopyMailer } from './rca-copy-mailer';
import { RcaEntitlement } from './rca-entitlement';
import { RcaRequest } from './rca-request.entity';

export interface RcaCopyRequestInput {
  /** As the customer gave it: `INC-2026-00042` (case and spaces forgiven) or the incident id. */
  incidentReference: string;
  contactId: string;
  /** Defaults to the contact's language, else its customer's. */
  language?: string;
  note?: string;
}

/**
 * Who asks: a support agent recording a phone call or an e-mail, or the contact itself through
 * the customer portal (its signed link names the customer and the contact).
 */
export type RcaRequestOrigin =
  { channel: 'email' | 'phone'; recordedBy: Actor } | { channel: 'portal'; customerId: string };

/**
 * Records a request for an RCA copy and decides it at once: refused (`not_entitled`) when the
 * reference names no incident or the contact's customer is neither impacted nor granted, the
 * two cases being indistinguishable to the caller; otherwise fulfilled now if a version is
 * published, or waiting for the publication, which fulfils it in its own transaction.
 */
@Injectable()
export class RequestRcaCopy {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly entitlement: RcaEntitlement,
    private readonly edition: RcaCustomerEdition,
    private readonly mailer: RcaCopyMailer,
  ) {}

  execute(input: RcaCopyRequestInput, origin: RcaRequestOrigin): Promise<RcaRequest> {
    const reference = normaliseReference(input.incidentReference);
    return this.db.transaction(async (em) => {
      const contact = await this.entitlement.contact(em, input.contactId);
      if (!contact || (origin.channel === 'portal' && contact.customerId !== origin.customerId)) {
        throw new NotFoundError('contact', input.contactId);
      }
      const incident = await this.entitlement.findIncident(em, reference);
      // A share lock on the incident row, which the publication holds exclusively: either the
      // publication sees this request as waiting, or it has committed before the version is read.
      if (incident) await em.query(`SELECT 1 FROM incidents WHERE id = $1 FOR SHARE`, [incident.id]);
      const entitled = incident
        ? await this.entitlement.isEntitled(em, incident.id, contact.customerId)
        : false;
      const now = this.clock.now();
      const recordedBy = origin.channel === 'portal' ? null : origin.recordedBy;
      const request = await em.getRepository(RcaRequest).save({
        incidentReference: reference,
        incidentId: incident?.id ?? null,
        customerId: contact.customerId,
        contactId: contact.contactId,
        channel: origin.channel,
        recordedById: recordedBy?.staffMemberId ?? null,
        recordedByName: recordedBy?.name ?? null,
        note: input.note ?? null,
        language: this.mailer.language(input.language ?? contact.language),
        status: entitled ? 'waiting' : 'refused',
        refusalReason: entitled ? null : 'not_entitled',
        requestedAt: now,
        decidedAt: now,
        fulfilledAt: null,
        fulfilledVersion: null,
      });
      if (!incident) return request;
      const version = entitled ? await this.edition.latestPublishedVersion(em, incident.id) : null;
      if (version !== null) {
        await this.mailer.send(em, new RcaCopyBatch(incident, version, now), contact, [request]);
      }
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'rca.copy_requested',
        at: now,
        // A portal request has no staff actor: the platform records it for the contact (in data).
        actor: recordedBy ?? SYSTEM_ACTOR,
        data: {
          requestId: request.id,
          channel: request.channel,
          customerId: request.customerId,
          contactId: request.contactId,
          status: request.status,
          refusalReason: request.refusalReason,
          version: request.fulfilledVersion,
        },
      });
      return request;
    });
  }
}

/** `inc-2026-00042 ` → `INC-2026-00042`; anything else is kept as typed (trimmed). */
export function normaliseReference(reference: string): string {
  const trimmed = reference.trim();
  return /^inc-\d{4}-\d+$/i.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}
