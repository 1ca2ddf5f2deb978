import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of an incident's append-only record (a trigger refuses UPDATE and DELETE). */
@Entity('incident_timeline')
export class TimelineEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  /** Null when the platform itself acted (a tick, an automatic send). */
  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text', { name: 'actor_name' })
  actorName: string;

  /** Dotted event name, e.g. `incident.declared`, `incident.severity_changed`. */
  @Column('text')
  type: string;

  @Column('jsonb')
  data: Record<string, unknown>;
}
