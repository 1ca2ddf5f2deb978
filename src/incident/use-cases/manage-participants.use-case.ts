import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError, NotFoundError } from '../../common/domain-error';
import { requireActiveStaff } from '../../staff/active-staff';
import { Incident } from '../entities/incident.entity';
import { IncidentParticipant } from '../entities/incident-participant.entity';
import { AddParticipantDto } from '../incident.dto';
import { IncidentStore } from '../incident-store';
import { appendTimeline } from '../timeline';

/**
 * Who is on an incident. The investigation team's "gather experts" goes through here too,
 * because participation decides who may see a confidential incident (README, "Roles and permissions").
 */
@Injectable()
export class ManageParticipants {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
  ) {}

  add(idOrReference: string, input: AddParticipantDto, actor: Actor): Promise<IncidentParticipant> {
    return this.db.transaction(async (em) => {
      const incident = await this.lockOpenRecord(em, idOrReference, actor);
      const staff = await requireActiveStaff(em, input.staffMemberId, 'staffMemberId');
      const already = await em.getRepository(IncidentParticipant).existsBy({
        incidentId: incident.id,
        staffMemberId: staff.id,
        role: input.role,
        leftAt: IsNull(),
      });
      if (already) {
        throw new ConflictError(
          'participant.already_active',
          `${staff.name} is already ${input.role} on ${incident.reference}`,
        );
      }
      const at = this.clock.now();
      const participant = await em.getRepository(IncidentParticipant).save({
        incidentId: incident.id,
        staffMemberId: staff.id,
        role: input.role,
        domain: input.domain ?? null,
        joinedAt: at,
      });
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'participant.joined',
        at,
        actor,
        data: {
          participantId: participant.id,
          staffMemberId: staff.id,
          name: staff.name,
          role: input.role,
          domain: input.domain ?? null,
        },
      });
      participant.staffMember = staff;
      return participant;
    });
  }

  remove(idOrReference: string, participantId: string, actor: Actor): Promise<IncidentParticipant> {
    return this.db.transaction(async (em) => {
      const incident = await this.lockOpenRecord(em, idOrReference, actor);
      const participant = await em
        .getRepository(IncidentParticipant)
        .findOne({ where: { id: participantId, incidentId: incident.id }, relations: { staffMember: true } });
      if (!participant) throw new NotFoundError('participant', participantId);
      if (participant.leftAt)
        throw new ConflictError('participant.already_left', 'This participant has already left');
      if (participant.role === 'commander') {
        throw new ConflictError(
          'participant.is_commander',
          'Hand over command (PATCH commanderId) before the commander leaves',
        );
      }
      const at = this.clock.now();
      participant.leftAt = at;
      await em.getRepository(IncidentParticipant).save(participant);
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'participant.left',
        at,
        actor,
        data: { participantId, staffMemberId: participant.staffMemberId, role: participant.role },
      });
      return participant;
    });
  }

  private async lockOpenRecord(em: EntityManager, idOrReference: string, actor: Actor): Promise<Incident> {
    const incident = await this.store.get(em, idOrReference, actor, { lock: true });
    if (incident.status === 'closed')
      throw new ConflictError('incident.closed', `${incident.reference} is closed`);
    return incident;
  }
}
