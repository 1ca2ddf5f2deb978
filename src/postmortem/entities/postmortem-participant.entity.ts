import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffMember } from '../../staff/staff-member.entity';

/** Someone taking part in the analysis; pre-filled from every participant of the incident. */
@Entity('postmortem_participants')
export class PostmortemParticipant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('uuid', { name: 'staff_member_id' })
  staffMemberId: string;

  @ManyToOne(() => StaffMember)
  @JoinColumn({ name: 'staff_member_id' })
  staffMember?: StaffMember;

  /** The role held on the incident (commander, sme, ...), or `reviewer` for people added later. */
  @Column('text')
  role: string;
}
