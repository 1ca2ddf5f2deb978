import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';

export interface RcaPublishedEvent {
  /** The publishing transaction: whatever a handler writes commits or rolls back with it. */
  em: EntityManager;
  incidentId: string;
  version: number;
  /** The publisher chose to send the customer edition to every impacted customer now. */
  sendToImpactedCustomers: boolean;
  actor: Actor;
  at: Date;
}

type PublishedHandler = (event: RcaPublishedEvent) => Promise<void>;

/**
 * Lets the RCA copy requests act on a publication inside the same transaction (waiting
 * requests fulfilled, proactive copies queued) without the report code knowing about them.
 */
@Injectable()
export class RcaPublication {
  private readonly handlers: PublishedHandler[] = [];

  onPublished(handler: PublishedHandler): void {
    this.handlers.push(handler);
  }

  async published(event: RcaPublishedEvent): Promise<void> {
    for (const handler of this.handlers) await handler(event);
  }
}

export type RcaFormat = 'html' | 'pdf' | 'md';

export interface RenderedRca {
  content: Buffer;
  contentType: string;
  /** e.g. `INC-2026-00042-rca-v2-fr.pdf` */
  filename: string;
}

/**
 * The customer edition of a published RCA version, rendered for one customer in one language:
 * no internal notes, no other customer's name, no security detail of a breach.
 */
export abstract class RcaCustomerEdition {
  abstract render(
    em: EntityManager,
    request: { incidentId: string; version: number; customerId: string; language: string; format: RcaFormat },
  ): Promise<RenderedRca>;

  /** The latest published version of the incident's RCA, or null while none is published. */
  abstract latestPublishedVersion(em: EntityManager, incidentId: string): Promise<number | null>;
}
