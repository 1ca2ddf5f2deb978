import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import type { Incident } from '../../incident/entities/incident.entity';
import { IncidentQueries } from '../../incident/incident-queries';
import type { IncidentView } from '../../incident/incident.view';
import { appendTimeline } from '../../incident/timeline';
import { DeclareIncident } from '../../incident/use-cases/declare-incident.use-case';
import { SupportRequest } from '../support-request.entity';
import { DeclareFromSupportRequestsDto } from '../support-request.dto';
import { SupportRequestStore } from '../support-request-store';
import { LinkSupportRequest } from './link-support-request.use-case';

export interface ProposedCustomer {
  customerId: string;
  name: string;
  reason: string;
}

export interface DeclaredFromSupportRequests {
  /** Read in the same transaction, like every write's response. */
  incident: IncidentView;
  requests: SupportRequest[];
  proposedCustomers: ProposedCustomer[];
}

/**
 * Several customers report the same problem: one call declares the incident, links the
 * requests, and proposes their customers as impacted (manual `add` adjustments, each with the
 * requests as reason), all in one transaction. Impact is still defined by the notification team.
 */
@Injectable()
export class DeclareIncidentFromSupportRequests {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: SupportRequestStore,
    private readonly declare: DeclareIncident,
    private readonly links: LinkSupportRequest,
    private readonly incidents: IncidentQueries,
  ) {}

  execute(input: DeclareFromSupportRequestsDto, actor: Actor): Promise<DeclaredFromSupportRequests> {
    const { requestRefs, ...declaration } = input;
    return this.db.transaction(async (em) => {
      const requests = await this.lockAll(em, requestRefs);
      const incident = await this.declare.executeIn(em, declaration, actor);
      const now = this.clock.now();
      for (const request of requests) await this.links.linkIn(em, request, incident, actor, now);
      const proposedCustomers = await this.propose(em, incident, requests, actor, now);
      return { incident: await this.incidents.viewWritten(em, incident.id), requests, proposedCustomers };
    });
  }

  /** Locks in id order, so two calls sharing requests cannot deadlock; unknown ones are 404. */
  private async lockAll(em: EntityManager, refs: string[]): Promise<SupportRequest[]> {
    const found: SupportRequest[] = [];
    for (const ref of refs) found.push(await this.store.get(em, ref));
    const unique = [...new Map(found.map((r) => [r.id, r])).values()].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    const locked = new Map<string, SupportRequest>();
    for (const request of unique)
      locked.set(request.id, await this.store.get(em, request.id, { lock: true }));
    // In the caller's order, each request once (a reference and its id name the same one).
    return [...new Set(found.map((r) => r.id))].map((id) => locked.get(id)!);
  }

  private async propose(
    em: EntityManager,
    incident: Incident,
    requests: SupportRequest[],
    actor: Actor,
    at: Date,
  ): Promise<ProposedCustomer[]> {
    const byCustomer = new Map<string, string[]>();
    for (const r of requests) {
      if (!r.customerId) continue;
      const refs = byCustomer.get(r.customerId) ?? [];
      if (!refs.includes(r.reference)) refs.push(r.reference);
      byCustomer.set(r.customerId, refs);
    }
    if (byCustomer.size === 0) return [];
    const customers: { id: string; name: string }[] = await em.query(
      `SELECT id, name FROM customers WHERE id = ANY($1::uuid[]) ORDER BY name`,
      [[...byCustomer.keys()]],
    );
    const proposed: ProposedCustomer[] = [];
    for (const customer of customers) {
      const refs = byCustomer.get(customer.id)!;
      const reason = `linked support request${refs.length > 1 ? 's' : ''} ${refs.join(', ')}`;
      await em.query(
        `INSERT INTO impact_adjustments (incident_id, customer_id, action, reason, actor_id, actor_name, created_at)
         VALUES ($1, $2, 'add', $3, $4, $5, $6)`,
        [incident.id, customer.id, reason, actor.staffMemberId, actor.name, at],
      );
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'impact.adjusted',
        at,
        actor,
        data: { customerId: customer.id, customer: customer.name, action: 'add', reason },
      });
      proposed.push({ customerId: customer.id, name: customer.name, reason });
    }
    return proposed;
  }
}
