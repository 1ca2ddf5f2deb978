import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DELIVERY_KINDS = [
  'initial',
  'update',
  'holding',
  'resolution',
  'reminder',
  'escalation',
  'rca_copy',
  'confirmation',
  'support_reply',
] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'accepted',
  'retrying',
  'failed',
  'superseded',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Lower drains first: first notices before anything else when a backlog builds up. */
export const DELIVERY_PRIORITY: Record<DeliveryKind, number> = {
  initial: 0,
  escalation: 1,
  reminder: 1,
  resolution: 2,
  update: 3,
  holding: 3,
  confirmation: 4,
  support_reply: 4,
  rca_copy: 5,
};

/** One outgoing mail to one recipient: the queue entry and, once accepted, the proof. */
@Entity('deliveries')
export class Delivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Creation order; per contact and incident, mails go out in this order. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column('text', { name: 'idempotency_key' })
  idempotencyKey: string;

  @Column('text')
  kind: DeliveryKind;

  @Column('smallint')
  priority: number;

  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId: string | null;

  @Column('uuid', { name: 'notification_id', nullable: true })
  notificationId: string | null;

  @Column('uuid', { name: 'content_id' })
  contentId: string;

  @Column('text', { name: 'recipient_type' })
  /** A customer contact, a staff member (or an escalation-chain level), or a support requester. */
  recipientType: 'contact' | 'staff' | 'requester';

  @Column('uuid', { name: 'customer_id', nullable: true })
  customerId: string | null;

  @Column('uuid', { name: 'contact_id', nullable: true })
  contactId: string | null;

  @Column('uuid', { name: 'staff_member_id', nullable: true })
  staffMemberId: string | null;

  @Column('text', { name: 'to_address' })
  toAddress: string;

  @Column('text', { name: 'to_name' })
  toName: string;

  /** Fixed at creation from the row id, so a resend after a crash is recognisable downstream. */
  @Column('text', { name: 'message_id' })
  messageId: string;

  /** Message-ID of the first mail of this recipient's thread (In-Reply-To / References). */
  @Column('text', { name: 'thread_id', nullable: true })
  threadId: string | null;

  @Column('text')
  status: DeliveryStatus;

  @Column('integer')
  attempts: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt: Date;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @Column('text', { name: 'locked_by', nullable: true })
  lockedBy: string | null;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt: Date | null;

  @Column('text', { name: 'smtp_response', nullable: true })
  smtpResponse: string | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'failed_at', nullable: true })
  failedAt: Date | null;

  @Column('timestamptz', { name: 'superseded_at', nullable: true })
  supersededAt: Date | null;
}

/** A rendered mail (subject, HTML, text, attachments) shared by every recipient of one notice in one language. */
@Entity('mail_contents')
export class MailContent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  template: string;

  @Column('text')
  language: string;

  @Column('text')
  subject: string;

  @Column('text')
  html: string;

  @Column('text')
  text: string;

  /** Rows in mail_attachments (the RCA PDF); 0 for every notice, so the worker skips the lookup. */
  @Column({ type: 'smallint', name: 'attachment_count', insert: false, update: false })
  attachmentCount: number;

  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false })
  createdAt: Date;
}
