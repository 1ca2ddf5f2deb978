import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Severity } from '../incident/domain/severity-targets';
import type { SubmissionMethod, SupportPriority } from './domain/intake-defaults';
import type { SupportRequestStatus } from './domain/support-request-status';

/** A customer's problem report (handbook, "Support requests"), addressed by its reference. */
@Entity('support_requests')
export class SupportRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `SR-YYYY-NNNNNN`, sequential per year of creation. */
  @Column('text')
  reference: string;

  @Column('text')
  company: string;

  @Column('text', { name: 'contact_name' })
  contactName: string;

  @Column('text', { name: 'contact_phone', nullable: true })
  contactPhone: string | null;

  @Column('text', { name: 'contact_email' })
  contactEmail: string;

  /** The requester's user id on the platform. */
  @Column('text', { name: 'user_id', nullable: true })
  userId: string | null;

  @Column('text', { name: 'submission_method' })
  submissionMethod: SubmissionMethod;

  /** Job number or transaction ids, as the customer gave them. */
  @Column('text', { name: 'job_numbers', nullable: true })
  jobNumbers: string | null;

  /** When the problem happened, as precisely as the customer knows. */
  @Column('timestamptz', { name: 'event_at', nullable: true })
  eventAt: Date | null;

  @Column('text')
  description: string;

  /** Error messages, notifications or alerts the customer collected. */
  @Column('text', { name: 'error_messages', nullable: true })
  errorMessages: string | null;

  @Column('text')
  status: SupportRequestStatus;

  @Column('smallint')
  severity: Severity;

  @Column('text')
  priority: SupportPriority;

  /** Matched from the contact e-mail to a known customer contact, when there is one. */
  @Column('uuid', { name: 'customer_id', nullable: true })
  customerId: string | null;

  @Column('uuid', { name: 'contact_id', nullable: true })
  contactId: string | null;

  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId: string | null;

  /** The team with the right expertise, once handed over. */
  @Column('text', { name: 'assigned_team', nullable: true })
  assignedTeam: string | null;

  /** Handbook table 1, from `createdAt` and the current severity. */
  @Column('timestamptz', { name: 'response_due_at' })
  responseDueAt: Date;

  @Column('timestamptz', { name: 'resolution_due_at' })
  resolutionDueAt: Date;

  /** The first reply recorded to the requester. */
  @Column('timestamptz', { name: 'first_response_at', nullable: true })
  firstResponseAt: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('uuid', { name: 'created_by_id', nullable: true })
  createdById: string | null;

  @Column('text', { name: 'created_by_name' })
  createdByName: string;
}

/** One line of a request's append-only history (a trigger refuses UPDATE and DELETE). */
@Entity('support_request_events')
export class SupportRequestEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'request_id' })
  requestId: string;

  @Column('timestamptz')
  at: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text', { name: 'actor_name' })
  actorName: string;

  /** Dotted event name, e.g. `support_request.created`, `support_request.triaged`. */
  @Column('text')
  type: string;

  @Column('jsonb')
  data: Record<string, unknown>;
}

/** A specialist's answer to the requester, mailed to them. */
@Entity('support_replies')
export class SupportReply {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'request_id' })
  requestId: string;

  @Column('timestamptz')
  at: Date;

  @Column('uuid', { name: 'author_id', nullable: true })
  authorId: string | null;

  @Column('text', { name: 'author_name' })
  authorName: string;

  @Column('text')
  body: string;
}
