import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError, ValidationError } from '../../common/domain-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { requireActiveStaff } from '../../staff/active-staff';
import { resolveServices } from '../catalogue/catalogue.service';
import { assertTransition, isOpen } from '../domain/incident-status';
import { severityTargets } from '../domain/severity-targets';
import { ServiceEntity } from '../catalogue/service.entity';
import { Incident } from '../entities/incident.entity';
import { IncidentParticipant } from '../entities/incident-participant.entity';
import { UpdateIncidentDto } from '../incident.dto';
import { IncidentQueries } from '../incident-queries';
import { IncidentView } from '../incident.view';
import { IncidentStore } from '../incident-store';
import { appendTimeline } from '../timeline';

/**
 * PATCH of an incident: text, severity (targets recomputed), working status, affected
 * services, commander. Each kind of change gets its own timeline entry.
 */
@Injectable()
export class UpdateIncident {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly queries: IncidentQueries,
  ) {}

  execute(idOrReference: string, input: UpdateIncidentDto, actor: Actor): Promise<IncidentView> {
    const { note, ...changes } = input;
    if (Object.values(changes).every((value) => value === undefined)) {
      throw ValidationError.field('body', 'nonEmpty', 'Give at least one field to change');
    }
    return this.db.transaction(async (em) => {
      const incident = await this.store.get(em, idOrReference, actor, { lock: true });
      if (incident.status === 'closed')
        throw new ConflictError('incident.closed', `${incident.reference} is closed`);
      const at = this.clock.now();
      const record = (type: string, data: Record<string, unknown>) =>
        appendTimeline(em, {
          incidentId: incident.id,
          type,
          at,
          actor,
          data: note ? { ...data, note } : data,
        });

      // A status change out of resolved is refused by assertTransition below, with its stable code.
      const needsOpen = input.severity !== undefined || input.serviceIds !== undefined;
      if (needsOpen && !isOpen(incident.status)) {
        throw new ConflictError(
          'incident.not_open',
          `${incident.reference} is ${incident.status}: its severity and services no longer change`,
        );
      }

      const text: Record<string, { from: string; to: string }> = {};
      for (const field of ['title', 'summary'] as const) {
        const value = input[field];
        if (value !== undefined && value !== incident[field]) {
          text[field] = { from: incident[field], to: value };
          incident[field] = value;
        }
      }
      if (Object.keys(text).length) await record('incident.updated', { changes: text });

      if (input.status !== undefined && input.status !== incident.status) {
        assertTransition(incident.status, input.status);
        await record('incident.status_changed', { from: incident.status, to: input.status });
        incident.status = input.status;
      }

      if (input.severity !== undefined && input.severity !== incident.severity) {
        const targets = severityTargets(
          incident.declaredAt,
          input.severity,
          this.config.businessCalendar,
          this.config.severityTargets,
        );
        await record('incident.severity_changed', {
          from: incident.severity,
          to: input.severity,
          responseDueAt: { from: incident.responseDueAt, to: targets.responseDueAt },
          resolutionDueAt: { from: incident.resolutionDueAt, to: targets.resolutionDueAt },
        });
        Object.assign(incident, { severity: input.severity }, targets);
      }

      if (input.serviceIds !== undefined) await this.replaceServices(em, incident, input.serviceIds, record);

      if (input.commanderId !== undefined && input.commanderId !== incident.commanderId) {
        await this.handOverCommand(em, incident, input.commanderId, at);
        await record('incident.commander_changed', { from: incident.commanderId, to: input.commanderId });
        incident.commanderId = input.commanderId;
      }

      incident.updatedAt = at;
      await em.getRepository(Incident).save(incident);
      return this.queries.viewWritten(em, incident.id);
    });
  }

  private async replaceServices(
    em: EntityManager,
    incident: Incident,
    serviceIds: string[],
    record: (type: string, data: Record<string, unknown>) => Promise<void>,
  ): Promise<void> {
    const services = await resolveServices(em, serviceIds);
    const current = await em
      .createQueryBuilder()
      .relation(Incident, 'services')
      .of(incident.id)
      .loadMany<ServiceEntity>();
    const added = services.filter((s) => !current.some((c) => c.id === s.id)).map((s) => s.id);
    const removed = current.filter((c) => !services.some((s) => s.id === c.id)).map((c) => c.id);
    if (added.length || removed.length) await record('incident.services_changed', { added, removed });
    incident.services = services;
  }

  /** The old commander's command ends (the row is kept); the new one joins as commander. */
  private async handOverCommand(
    em: EntityManager,
    incident: Incident,
    commanderId: string,
    at: Date,
  ): Promise<void> {
    await requireActiveStaff(em, commanderId, 'commanderId');
    await em
      .getRepository(IncidentParticipant)
      .update({ incidentId: incident.id, role: 'commander', leftAt: IsNull() }, { leftAt: at });
    await em.getRepository(IncidentParticipant).insert({
      incidentId: incident.id,
      staffMemberId: commanderId,
      role: 'commander',
      joinedAt: at,
    });
  }
}
