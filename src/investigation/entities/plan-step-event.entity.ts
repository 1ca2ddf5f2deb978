import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PlanStepStatus } from '../domain/plan-step-status';

/** A change to a plan step: its creation, a status change, an edit, a move, or a progress note. */
@Entity('plan_step_events')
export class PlanStepEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'step_id' })
  stepId: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('timestamptz')
  at: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text', { name: 'actor_name' })
  actorName: string;

  /** Null when the step was created. */
  @Column('text', { name: 'from_status', nullable: true })
  fromStatus: PlanStepStatus | null;

  /** Null when the status did not change. */
  @Column('text', { name: 'to_status', nullable: true })
  toStatus: PlanStepStatus | null;

  /** Other fields that changed: `{title: {from, to}, position: {from, to}, …}`. */
  @Column('jsonb')
  changes: Record<string, { from: unknown; to: unknown }>;

  @Column('text', { nullable: true })
  note: string | null;
}
