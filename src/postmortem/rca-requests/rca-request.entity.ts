import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const RCA_REQUEST_CHANNELS = ['portal', 'email', 'phone', 'proactive'] as const;
export type RcaRequestChannel = (typeof RCA_REQUEST_CHANNELS)[number];

export const RCA_REQUEST_STATUSES = ['waiting', 'fulfilled', 'refused'] as const;
export type RcaRequestStatus = (typeof RCA_REQUEST_STATUSES)[number];

/** The one refusal reason: it covers an unknown reference too, so a refusal reveals nothing. */
export const RCA_REFUSAL_REASONS = ['not_entitled'] as const;
export type RcaRefusalReason = (typeof RCA_REFUSAL_REASONS)[number];

/** A customer contact's request for the RCA of an incident, with the decision taken on it. */
@Entity('rca_requests')
export class RcaRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** As the customer gave it (normalised), whether or not such an incident exists. */
  @Column('text', { name: 'incident_reference' })
  incidentReference: string;

  @Column('uuid', { name: 'incident_id', nullable: true })
  incidentId: string | null;

  @Column('uuid', { name: 'customer_id' })
  customerId: string;

  @Column('uuid', { name: 'contact_id' })
  contactId: string;

  @Column('text')
  channel: RcaRequestChannel;

  /** The support agent who took a phone or e-mail request, or the publisher of a proactive send. */
  @Column('uuid', { name: 'recorded_by_id', nullable: true })
  recordedById: string | null;

  @Column('text', { name: 'recorded_by_name', nullable: true })
  recordedByName: string | null;

  @Column('text', { nullable: true })
  note: string | null;

  /** The language the copy is sent in (mail and PDF). */
  @Column('text')
  language: string;

  @Column('text')
  status: RcaRequestStatus;

  @Column('text', { name: 'refusal_reason', nullable: true })
  refusalReason: RcaRefusalReason | null;

  @Column('timestamptz', { name: 'requested_at' })
  requestedAt: Date;

  /** When entitlement was decided (at request time; again at publication for a waiting one). */
  @Column('timestamptz', { name: 'decided_at' })
  decidedAt: Date;

  @Column('timestamptz', { name: 'fulfilled_at', nullable: true })
  fulfilledAt: Date | null;

  /** The latest RCA version sent for this request (a correction raises it). */
  @Column('integer', { name: 'fulfilled_version', nullable: true })
  fulfilledVersion: number | null;
}

/** An admin's explicit entitlement of a customer that was not impacted. */
@Entity('rca_grants')
export class RcaGrant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'incident_id' })
  incidentId: string;

  @Column('uuid', { name: 'customer_id' })
  customerId: string;

  @Column('text')
  reason: string;

  @Column('uuid', { name: 'granted_by_id', nullable: true })
  grantedById: string | null;

  @Column('text', { name: 'granted_by_name' })
  grantedByName: string;

  @Column('timestamptz', { name: 'granted_at' })
  grantedAt: Date;

  @Column('uuid', { name: 'revoked_by_id', nullable: true })
  revokedById: string | null;

  @Column('text', { name: 'revoked_by_name', nullable: true })
  revokedByName: string | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}

/** One copy sent: which RCA version went out for which request, through which delivery. */
@Entity('rca_copies')
export class RcaCopy {
  @PrimaryColumn('uuid', { name: 'request_id' })
  requestId: string;

  @PrimaryColumn('integer')
  version: number;

  @Column('uuid', { name: 'delivery_id' })
  deliveryId: string;

  @Column('timestamptz', { name: 'sent_at' })
  sentAt: Date;
}

export const RCA_REQUEST_ENTITIES = [RcaRequest, RcaGrant, RcaCopy];
