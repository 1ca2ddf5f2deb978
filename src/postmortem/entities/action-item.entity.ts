import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffMember } from '../../staff/staff-member.entity';

export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/** One measure of the action plan that reduces the risk of recurrence. */
@Entity('postmortem_action_items')
export class ActionItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('text')
  title: string;

  @Column('text')
  description: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @ManyToOne(() => StaffMember)
  @JoinColumn({ name: 'owner_id' })
  owner?: StaffMember;

  /** A calendar date (`YYYY-MM-DD`): overdue from the day after, in the business time zone. */
  @Column('date', { name: 'due_on' })
  dueOn: string;

  @Column('text')
  status: ActionItemStatus;

  @Column('text', { name: 'tracker_url', nullable: true })
  trackerUrl: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'done_at', nullable: true })
  doneAt: Date | null;

  @Column('timestamptz', { name: 'last_reminded_at', nullable: true })
  lastRemindedAt: Date | null;
}
