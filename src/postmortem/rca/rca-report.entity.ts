import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RcaModel } from './rca-model';

/** One version of an incident's RCA report: the frozen report model and its publication. */
@Entity('rca_reports')
export class RcaReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('integer')
  version: number;

  /** Snapshot taken at generation; the database refuses any later change to it. */
  @Column('jsonb')
  content: RcaModel;

  /** Why this version replaces the previous one (versions after the first). */
  @Column('text', { name: 'correction_note', nullable: true })
  correctionNote: string | null;

  @Column('timestamptz', { name: 'generated_at' })
  generatedAt: Date;

  @Column('uuid', { name: 'generated_by_id', nullable: true })
  generatedById: string | null;

  @Column('text', { name: 'generated_by_name' })
  generatedByName: string;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  @Column('uuid', { name: 'published_by_id', nullable: true })
  publishedById: string | null;

  @Column('text', { name: 'published_by_name', nullable: true })
  publishedByName: string | null;

  /** The publisher's choice to send the customer edition to every impacted customer. */
  @Column('boolean', { name: 'sent_to_impacted_customers', nullable: true })
  sentToImpactedCustomers: boolean | null;
}
