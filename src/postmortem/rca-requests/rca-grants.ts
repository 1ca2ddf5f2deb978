import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError } from '../../common/domain-error';
import { IncidentStore } from '../../incident/incident-store';
import { appendTimeline } from '../../incident/timeline';
import { RcaGrant } from './rca-request.entity';

/**
 * Admins entitle a customer that was not impacted (a partner, a customer found affected
 * afterwards) to RCA copies of one incident. A grant does not send anything by itself: the
 * customer asks, as any entitled customer does. Revoking keeps the grant as a record.
 */
@Injectable()
export class RcaGrants {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly incidents: IncidentStore,
  ) {}

  grant(incidentRef: string, input: { customerId: string; reason: string }, actor: Actor): Promise<RcaGrant> {
    return this.db.transaction(async (em) => {
      const incident = await this.incidents.get(em, incidentRef, actor, { lock: true });
      const [customer] = (await em.query(`SELECT id, name FROM customers WHERE id = $1`, [
        input.customerId,
      ])) as {
        id: string;
        name: string;
      }[];
      if (!customer) throw new NotFoundError('customer', input.customerId);
      const existing = await em
        .getRepository(RcaGrant)
        .findOneBy({ incidentId: incident.id, customerId: customer.id, revokedAt: IsNull() });
      if (existing) {
        throw new ConflictError(
          'rca_grant.exists',
          'This customer already has a grant in force for this incident',
          {
            grantId: existing.id,
          },
        );
      }
      const now = this.clock.now();
      const grant = await em.getRepository(RcaGrant).save({
        incidentId: incident.id,
        customerId: customer.id,
        reason: input.reason,
        grantedById: actor.staffMemberId,
        grantedByName: actor.name,
        grantedAt: now,
        revokedById: null,
        revokedByName: null,
        revokedAt: null,
      });
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'rca.granted',
        at: now,
        actor,
        data: {
          grantId: grant.id,
          customerId: customer.id,
          customerName: customer.name,
          reason: input.reason,
        },
      });
      return grant;
    });
  }

  async list(incidentRef: string, actor: Actor): Promise<RcaGrant[]> {
    const incident = await this.incidents.get(this.db.manager, incidentRef, actor);
    return this.db.getRepository(RcaGrant).find({
      where: { incidentId: incident.id },
      order: { grantedAt: 'ASC', id: 'ASC' },
    });
  }

  revoke(incidentRef: string, grantId: string, actor: Actor): Promise<RcaGrant> {
    return this.db.transaction(async (em) => {
      const incident = await this.incidents.get(em, incidentRef, actor, { lock: true });
      const grant = await em.getRepository(RcaGrant).findOneBy({ id: grantId, incidentId: incident.id });
      if (!grant) throw new NotFoundError('rca_grant', grantId);
      if (grant.revokedAt) throw new ConflictError('rca_grant.revoked', 'This grant was already revoked');
      const now = this.clock.now();
      Object.assign(grant, { revokedAt: now, revokedById: actor.staffMemberId, revokedByName: actor.name });
      await em.getRepository(RcaGrant).save(grant);
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'rca.grant_revoked',
        at: now,
        actor,
        data: { grantId: grant.id, customerId: grant.customerId },
      });
      return grant;
    });
  }
}
