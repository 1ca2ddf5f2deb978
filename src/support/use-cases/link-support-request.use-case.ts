import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError } from '../../common/domain-error';
import type { Incident } from '../../incident/entities/incident.entity';
import { IncidentStore } from '../../incident/incident-store';
import { appendTimeline } from '../../incident/timeline';
import { SupportRequest } from '../support-request.entity';
import { SupportRequestStore } from '../support-request-store';

/**
 * Links a request to the incident that explains it, or undoes that; recorded both in the
 * request's history and on the incident's timeline. A request belongs to one incident at a time.
 */
@Injectable()
export class LinkSupportRequest {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: SupportRequestStore,
    private readonly incidents: IncidentStore,
  ) {}

  link(idOrReference: string, incidentIdOrReference: string, actor: Actor): Promise<SupportRequest> {
    return this.db.transaction(async (em) => {
      const request = await this.store.get(em, idOrReference, { lock: true });
      const incident = await this.incidents.get(em, incidentIdOrReference, actor);
      if (request.incidentId === incident.id) return request;
      await this.linkIn(em, request, incident, actor, this.clock.now());
      return request;
    });
  }

  unlink(idOrReference: string, actor: Actor): Promise<SupportRequest> {
    return this.db.transaction(async (em) => {
      const request = await this.store.get(em, idOrReference, { lock: true });
      if (!request.incidentId) {
        throw new ConflictError(
          'support_request.not_linked',
          `${request.reference} is not linked to an incident`,
        );
      }
      const incident = await this.incidents.get(em, request.incidentId, actor);
      const now = this.clock.now();
      request.incidentId = null;
      request.updatedAt = now;
      await em.getRepository(SupportRequest).save(request);
      await this.record(em, 'support_request.unlinked', request, incident, actor, now);
      return request;
    });
  }

  /** Inside the caller's transaction, on a request it has locked. */
  async linkIn(
    em: EntityManager,
    request: SupportRequest,
    incident: Incident,
    actor: Actor,
    now: Date,
  ): Promise<void> {
    if (request.incidentId && request.incidentId !== incident.id) {
      throw new ConflictError(
        'support_request.already_linked',
        `${request.reference} is already linked to another incident: unlink it first`,
        { reference: request.reference, incidentId: request.incidentId },
      );
    }
    request.incidentId = incident.id;
    request.updatedAt = now;
    await em.getRepository(SupportRequest).save(request);
    await this.record(em, 'support_request.linked', request, incident, actor, now);
  }

  private async record(
    em: EntityManager,
    type: string,
    request: SupportRequest,
    incident: Incident,
    actor: Actor,
    at: Date,
  ): Promise<void> {
    await this.store.appendEvent(em, {
      requestId: request.id,
      type,
      at,
      actor,
      data: { incidentId: incident.id, incidentReference: incident.reference },
    });
    await appendTimeline(em, {
      incidentId: incident.id,
      type,
      at,
      actor,
      data: {
        supportRequestId: request.id,
        reference: request.reference,
        company: request.company,
        customerId: request.customerId,
      },
    });
  }
}
