import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One assessment of the problem's scope; a revision is never rewritten, the next one replaces it. */
@Entity('scope_revisions')
export class ScopeRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  /** 1, 2, 3… per incident; the highest is the current scope. */
  @Column('integer')
  revision: number;

  /** Affected platforms and applications. */
  @Column('uuid', { name: 'service_ids', array: true })
  serviceIds: string[];

  @Column('uuid', { name: 'customer_ids', array: true })
  customerIds: string[];

  /** Affected jobs or transaction ids, as the team knows them. */
  @Column('text', { nullable: true })
  transactions: string | null;

  /** When the problem started, which may be before the incident was declared. */
  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('text', { nullable: true })
  symptoms: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text', { name: 'actor_name' })
  actorName: string;
}
