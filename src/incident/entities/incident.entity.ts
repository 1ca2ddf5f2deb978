import {
  Column,
  Entity,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  VersionColumn,
} from 'typeorm';
import { StaffMember } from '../../staff/staff-member.entity';
import { ServiceEntity } from '../catalogue/service.entity';
import type { IncidentStatus } from '../domain/incident-status';
import type { Severity } from '../domain/severity-targets';
import { IncidentParticipant } from './incident-participant.entity';

export type IncidentKind = 'service_disruption' | 'security_breach';
export const INCIDENT_KINDS: readonly IncidentKind[] = ['service_disruption', 'security_breach'];

/** The aggregate root shared by the notification, investigation and post-mortem teams. */
@Entity('incidents')
export class Incident {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `INC-YYYY-NNNNN`, sequential per year of declaration. */
  @Column('text')
  reference: string;

  @Column('text')
  title: string;

  @Column('text')
  summary: string;

  @Column('text')
  kind: IncidentKind;

  @Column('smallint')
  severity: Severity;

  @Column('text')
  status: IncidentStatus;

  @Column('uuid', { name: 'commander_id' })
  commanderId: string;

  @ManyToOne(() => StaffMember)
  @JoinColumn({ name: 'commander_id' })
  commander?: StaffMember;

  @ManyToMany(() => ServiceEntity)
  @JoinTable({
    name: 'incident_services',
    joinColumn: { name: 'incident_id' },
    inverseJoinColumn: { name: 'service_id' },
  })
  services?: ServiceEntity[];

  @OneToMany(() => IncidentParticipant, (participant) => participant.incident)
  participants?: IncidentParticipant[];

  @Column('timestamptz', { name: 'declared_at' })
  declaredAt: Date;

  @Column('timestamptz', { name: 'response_due_at' })
  responseDueAt: Date;

  @Column('timestamptz', { name: 'resolution_due_at' })
  resolutionDueAt: Date;

  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt: Date | null;

  @Column('text', { name: 'resolution_summary', nullable: true })
  resolutionSummary: string | null;

  /** Set by the post-mortem team when the major problem analysis is approved; unlocks closing. */
  @Column('timestamptz', { name: 'postmortem_approved_at', nullable: true })
  postmortemApprovedAt: Date | null;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Column('text', { name: 'close_reason', nullable: true })
  closeReason: string | null;

  /** When the notification team confirmed the impacted customers: starts the notice clock. */
  @Column('timestamptz', { name: 'impact_defined_at', nullable: true })
  impactDefinedAt: Date | null;

  /** First notice accepted by the relay for any impacted contact (the handbook's first response). */
  @Column('timestamptz', { name: 'first_response_at', nullable: true })
  firstResponseAt: Date | null;

  /** Per-incident status-update cadence; null → the severity's default. */
  @Column('numeric', {
    name: 'update_cadence_minutes',
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  updateCadenceMinutes: number | null;

  @Column('timestamptz', { name: 'next_update_due_at', nullable: true })
  nextUpdateDueAt: Date | null;

  /** Highest level of the escalation chain reached so far (0 = not escalated). */
  @Column('integer', { name: 'escalation_level', default: 0 })
  escalationLevel: number;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @VersionColumn()
  version: number;

  /** Security breaches are confidential: only their participants and admins see them. */
  get confidential(): boolean {
    return this.kind === 'security_breach';
  }
}
