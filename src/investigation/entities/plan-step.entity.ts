import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffMember } from '../../staff/staff-member.entity';
import type { PlanStepStatus } from '../domain/plan-step-status';

/** One step of an incident's resolution plan, at a position (1…n) in the plan. */
@Entity('plan_steps')
export class PlanStep {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('integer')
  position: number;

  @Column('text')
  title: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('uuid', { name: 'owner_id', nullable: true })
  ownerId: string | null;

  @ManyToOne(() => StaffMember)
  @JoinColumn({ name: 'owner_id' })
  owner?: StaffMember | null;

  @Column('text')
  status: PlanStepStatus;

  @Column('timestamptz', { nullable: true })
  eta: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
