import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { requireActiveStaff } from '../../staff/active-staff';
import { resolveServices } from '../catalogue/catalogue.service';
import { severityTargets } from '../domain/severity-targets';
import { Incident } from '../entities/incident.entity';
import { IncidentParticipant } from '../entities/incident-participant.entity';
import { DeclareIncidentDto } from '../incident.dto';
import { IncidentQueries } from '../incident-queries';
import { IncidentView } from '../incident.view';
import { IncidentStore } from '../incident-store';
import { appendTimeline } from '../timeline';

/** Opens an incident: reference, severity targets, commander as first participant, timeline entry. */
@Injectable()
export class DeclareIncident {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly queries: IncidentQueries,
  ) {}

  /** Declares and answers with the incident's view, read in the same transaction. */
  execute(input: DeclareIncidentDto, actor: Actor): Promise<IncidentView> {
    return this.db.transaction(async (em) => {
      const incident = await this.executeIn(em, input, actor);
      return this.queries.viewWritten(em, incident.id);
    });
  }

  /** The same, inside the caller's transaction (declaring together with other changes). */
  async executeIn(em: EntityManager, input: DeclareIncidentDto, actor: Actor): Promise<Incident> {
    const now = this.clock.now();
    const services = await resolveServices(em, input.serviceIds ?? []);
    const commanderId = input.commanderId ?? actor.staffMemberId;
    await requireActiveStaff(em, commanderId, 'commanderId');
    const targets = severityTargets(
      now,
      input.severity,
      this.config.businessCalendar,
      this.config.severityTargets,
    );

    const incident = await em.getRepository(Incident).save({
      reference: await this.store.nextReference(em, now.getUTCFullYear()),
      title: input.title,
      summary: input.summary ?? '',
      kind: input.kind,
      severity: input.severity,
      status: 'declared',
      commanderId,
      services,
      declaredAt: now,
      ...targets,
      updatedAt: now,
    });
    await em.getRepository(IncidentParticipant).insert({
      incidentId: incident.id,
      staffMemberId: commanderId,
      role: 'commander',
      joinedAt: now,
    });
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'incident.declared',
      at: now,
      actor,
      data: {
        reference: incident.reference,
        title: incident.title,
        kind: incident.kind,
        severity: incident.severity,
        serviceIds: services.map((s) => s.id),
        commanderId,
        responseDueAt: targets.responseDueAt,
        resolutionDueAt: targets.resolutionDueAt,
      },
    });
    return incident;
  }
}
