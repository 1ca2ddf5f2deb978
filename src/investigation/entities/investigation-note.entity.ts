import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An internal note of the investigation team; never sent to customers. */
@Entity('investigation_notes')
export class InvestigationNote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('timestamptz')
  at: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('text', { name: 'actor_name' })
  actorName: string;

  @Column('text')
  text: string;
}
