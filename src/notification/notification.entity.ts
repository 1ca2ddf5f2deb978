import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const NOTIFICATION_KINDS = ['initial', 'update', 'holding', 'resolution'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A customer-facing notice of an incident: drafted, edited, approved (approval sends it). */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  /** Order of notices within the incident (1 = the first notice). */
  @Column('integer')
  sequence: number;

  @Column('text')
  kind: NotificationKind;

  @Column('text')
  status: 'draft' | 'approved';

  /** Customer-facing texts; null → the template's default wording in the contact's language. */
  @Column('text', { nullable: true })
  observed: string | null;

  @Column('text', { nullable: true })
  actions: string | null;

  @Column('text', { nullable: true })
  message: string | null;

  /** The promise made in this notice: when the next update comes (null = on change only). */
  @Column('timestamptz', { name: 'next_update_at', nullable: true })
  nextUpdateAt: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('uuid', { name: 'created_by_id', nullable: true })
  createdById: string | null;

  @Column('text', { name: 'created_by_name' })
  createdByName: string;

  @Column('timestamptz', { name: 'approved_at', nullable: true })
  approvedAt: Date | null;

  @Column('uuid', { name: 'approved_by_id', nullable: true })
  approvedById: string | null;

  @Column('text', { name: 'approved_by_name', nullable: true })
  approvedByName: string | null;

  /** Sent by the platform at the auto-send mark because nobody had approved it. */
  @Column('boolean', { name: 'auto_approved' })
  autoApproved: boolean;
}

/** A customer in an incident's frozen impacted set, with its own notice clock. */
@Entity('impacted_customers')
export class ImpactedCustomer {
  @PrimaryColumn('uuid', { name: 'incident_id' })
  incidentId: string;

  @PrimaryColumn('uuid', { name: 'customer_id' })
  customerId: string;

  @Column('text')
  source: 'subscription' | 'manual';

  @Column('timestamptz', { name: 'added_at' })
  addedAt: Date;

  @Column('timestamptz', { name: 'notify_target_at' })
  notifyTargetAt: Date;

  @Column('timestamptz', { name: 'notify_autosend_at' })
  notifyAutosendAt: Date;

  @Column('timestamptz', { name: 'notify_deadline_at' })
  notifyDeadlineAt: Date;

  @Column('timestamptz', { name: 'reminded_at', nullable: true })
  remindedAt: Date | null;

  @Column('timestamptz', { name: 'deadline_alerted_at', nullable: true })
  deadlineAlertedAt: Date | null;
}
