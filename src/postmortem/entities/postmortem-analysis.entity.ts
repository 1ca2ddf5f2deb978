import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

export const ANALYSIS_STATUSES = ['draft', 'in_review', 'approved'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

/** The major problem analysis of one resolved incident; keyed by the incident. */
@Entity('postmortem_analyses')
export class PostmortemAnalysis {
  @PrimaryColumn('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('text')
  status: AnalysisStatus;

  /** What succeeded in how the incident was handled. */
  @Column('text', { name: 'went_well' })
  wentWell: string;

  /** What failed in how the incident was handled. */
  @Column('text', { name: 'went_badly' })
  wentBadly: string;

  /** Why those failures happened. */
  @Column('text', { name: 'failure_causes' })
  failureCauses: string;

  @Column('text', { name: 'root_causes' })
  rootCauses: string;

  @Column('text', { name: 'contributing_factors' })
  contributingFactors: string;

  /** Breach specifics (vector, indicators); never in the customer edition. */
  @Column('text', { name: 'security_details' })
  securityDetails: string;

  /** Team-only remarks; never in the customer edition. */
  @Column('text', { name: 'internal_notes' })
  internalNotes: string;

  @Column('timestamptz', { name: 'opened_at' })
  openedAt: Date;

  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt: Date | null;

  @Column('timestamptz', { name: 'approved_at', nullable: true })
  approvedAt: Date | null;

  @Column('uuid', { name: 'approved_by_id', nullable: true })
  approvedById: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
