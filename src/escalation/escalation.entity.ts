import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { EscalationReason } from './domain/escalation-policy';

/** One rung of the escalation chain (handbook annex A), in order from 1. */
@Entity('escalation_levels')
export class EscalationLevel {
  @PrimaryColumn('integer')
  level: number;

  /** The role, e.g. "Support supervisor". */
  @Column('text')
  title: string;

  @Column('text')
  name: string;

  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}

/** A level reached by an incident or a support request: who was called, why, when, by whom. */
@Entity('escalations')
export class Escalation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The incident escalated, or null when it is a support request. */
  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId: string | null;

  @Column('uuid', { name: 'support_request_id', nullable: true })
  supportRequestId: string | null;

  @Column('integer')
  level: number;

  @Column('text', { name: 'level_title' })
  levelTitle: string;

  @Column('text', { name: 'contact_name' })
  contactName: string;

  @Column('text', { name: 'contact_email' })
  contactEmail: string;

  @Column('text')
  reason: EscalationReason;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('uuid', { name: 'requested_by_id', nullable: true })
  requestedById: string | null;

  @Column('text', { name: 'requested_by_name' })
  requestedByName: string;

  /** When the automatic condition became due (null for manual escalations). */
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  /** Raised more than a minute after it was due (a missed tick, a restart). */
  @Column('boolean')
  late: boolean;
}
