import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError } from '../../common/domain-error';
import type { Incident } from '../../incident/entities/incident.entity';
import { IncidentStore } from '../../incident/incident-store';
import { appendTimeline } from '../../incident/timeline';
import { PostmortemRecord } from '../analysis/postmortem-record';
import { RcaPublication } from '../rca-publication';
import { buildRcaModel } from './build-rca-model';
import { nextVersion, versionToPublish } from './domain/rca-versions';
import { RcaReport } from './rca-report.entity';

/**
 * The versions of an incident's RCA report: generating the next one from the approved
 * analysis and the incident record, listing them, publishing one.
 */
@Injectable()
export class RcaReports {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly postmortem: PostmortemRecord,
    private readonly publication: RcaPublication,
  ) {}

  /** `POST …/rca`: the next version; a version after the first is a correction and says why. */
  generate(idOrReference: string, correctionNote: string | null, actor: Actor): Promise<RcaReport> {
    return this.db.transaction(async (em) => {
      // The incident row lock serialises version numbers (UNIQUE backs it up).
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      const record = await this.postmortem.get(em, incident.id);
      if (!record || record.analysis.status !== 'approved') {
        throw new ConflictError(
          'rca.analysis_not_approved',
          `${incident.reference}: the RCA report is generated from the approved analysis (it is ${record?.analysis.status ?? 'not opened'})`,
        );
      }
      const version = nextVersion(await this.versions(em, incident.id), correctionNote);
      const at = this.clock.now();
      const report = em.getRepository(RcaReport).create({
        incidentId: incident.id,
        version,
        content: await buildRcaModel(em, incident, record),
        correctionNote,
        generatedAt: at,
        generatedById: actor.staffMemberId,
        generatedByName: actor.name,
        publishedAt: null,
        publishedById: null,
        publishedByName: null,
        sentToImpactedCustomers: null,
      });
      await em.getRepository(RcaReport).insert(report);
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'rca.generated',
        at,
        actor,
        data: { version, correctionNote },
      });
      return report;
    });
  }

  async list(idOrReference: string, actor: Actor): Promise<{ incident: Incident; versions: RcaReport[] }> {
    const incident = await this.store.get(this.db.manager, idOrReference, actor);
    const versions = await this.db
      .getRepository(RcaReport)
      .find({ where: { incidentId: incident.id }, order: { version: 'ASC' } });
    return { incident, versions };
  }

  /**
   * `POST …/rca/publish`: makes a version (the latest by default) available to customers, and
   * lets the RCA copy requests act on it in the same transaction.
   */
  publish(
    idOrReference: string,
    request: { version?: number; sendToImpactedCustomers: boolean },
    actor: Actor,
  ): Promise<RcaReport> {
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      const report = versionToPublish(
        incident.reference,
        await this.versions(em, incident.id),
        request.version,
      );
      const at = this.clock.now();
      await em.getRepository(RcaReport).update(
        { id: report.id },
        {
          publishedAt: at,
          publishedById: actor.staffMemberId,
          publishedByName: actor.name,
          sentToImpactedCustomers: request.sendToImpactedCustomers,
        },
      );
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'rca.published',
        at,
        actor,
        data: { version: report.version, sendToImpactedCustomers: request.sendToImpactedCustomers },
      });
      await this.publication.published({
        em,
        incidentId: incident.id,
        version: report.version,
        sendToImpactedCustomers: request.sendToImpactedCustomers,
        actor,
        at,
      });
      return em.getRepository(RcaReport).findOneByOrFail({ id: report.id });
    });
  }

  /** Every version, oldest first (the content stays unread: the rules need numbers and dates). */
  private versions(em: EntityManager, incidentId: string): Promise<RcaReport[]> {
    return em.getRepository(RcaReport).find({
      select: { id: true, incidentId: true, version: true, publishedAt: true },
      where: { incidentId },
      order: { version: 'ASC' },
    });
  }
}
