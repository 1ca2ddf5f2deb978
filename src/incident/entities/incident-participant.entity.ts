import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { StaffMember } from '../../staff/staff-member.entity';
import type { Incident } from './incident.entity';

export const PARTICIPANT_ROLES = ['commander', 'investigation_lead', 'sme', 'communications_lead'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** A staff member on an incident with their incident role; leaving keeps the row (leftAt). */
@Entity('incident_participants')
export class IncidentParticipant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @ManyToOne('Incident', (incident: Incident) => incident.participants)
  @JoinColumn({ name: 'incident_id' })
  incident?: Relation<Incident>;

  @Column('uuid', { name: 'staff_member_id' })
  staffMemberId: string;

  @ManyToOne(() => StaffMember)
  @JoinColumn({ name: 'staff_member_id' })
  staffMember?: StaffMember;

  @Column('text')
  role: ParticipantRole;

  /** The subject-matter domain of an SME (e.g. "AS2 protocol"). */
  @Column('text', { nullable: true })
  domain: string | null;

  @Column('timestamptz', { name: 'joined_at' })
  joinedAt: Date;

  @Column('timestamptz', { name: 'left_at', nullable: true })
  leftAt: Date | null;
}
