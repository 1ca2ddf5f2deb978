import { ApiProperty } from '@nestjs/swagger';
import {
  RCA_REFUSAL_REASONS,
  RCA_REQUEST_CHANNELS,
  RCA_REQUEST_STATUSES,
  RcaGrant,
  RcaRefusalReason,
  RcaRequest,
  RcaRequestChannel,
  RcaRequestStatus,
} from './rca-request.entity';
import type { RcaCopySent } from './rca-request-queries';

export class StaffRef {
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) id: string | null;
  @ApiProperty() name: string;
}

export class RcaRequestView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'INC-2026-00042', description: 'As the customer gave it' })
  incidentReference: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The incident, when visible to the caller; always null on a refusal',
  })
  incidentId: string | null;
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: RCA_REQUEST_CHANNELS }) channel: RcaRequestChannel;
  @ApiProperty({ type: StaffRef, nullable: true, description: 'Null for a portal request' })
  recordedBy: StaffRef | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ example: 'fr', description: 'Language of the copy (mail and PDF)' }) language: string;
  @ApiProperty({ enum: RCA_REQUEST_STATUSES }) status: RcaRequestStatus;
  @ApiProperty({
    enum: RCA_REFUSAL_REASONS,
    nullable: true,
    description: 'not_entitled: no such incident, or the customer was neither impacted nor granted',
  })
  refusalReason: RcaRefusalReason | null;
  @ApiProperty() requestedAt: Date;
  @ApiProperty() decidedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) fulfilledAt: Date | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Latest RCA version sent' })
  fulfilledVersion: number | null;

  static of(r: RcaRequest): RcaRequestView {
    return {
      id: r.id,
      incidentReference: r.incidentReference,
      // A refusal looks the same whether or not the incident exists.
      incidentId: r.status === 'refused' ? null : r.incidentId,
      customerId: r.customerId,
      contactId: r.contactId,
      channel: r.channel,
      recordedBy: r.recordedByName ? { id: r.recordedById, name: r.recordedByName } : null,
      note: r.note,
      language: r.language,
      status: r.status,
      refusalReason: r.refusalReason,
      requestedAt: r.requestedAt,
      decidedAt: r.decidedAt,
      fulfilledAt: r.fulfilledAt,
      fulfilledVersion: r.fulfilledVersion,
    };
  }
}

export class RcaCopyView {
  @ApiProperty() version: number;
  @ApiProperty({ format: 'uuid' }) deliveryId: string;
  @ApiProperty() sentAt: Date;
  @ApiProperty({ example: 'accepted', description: 'Status of the delivery in the ledger' })
  deliveryStatus: string;
  @ApiProperty({ nullable: true, type: Date, description: 'When the mail server accepted it' })
  acceptedAt: Date | null;
}

export class RcaRequestDetailView extends RcaRequestView {
  @ApiProperty({ type: [RcaCopyView], description: 'Each RCA version sent for this request' })
  copies: RcaCopyView[];

  static detail(r: RcaRequest, copies: RcaCopySent[]): RcaRequestDetailView {
    return { ...RcaRequestView.of(r), copies };
  }
}

export class RcaRequestPage {
  @ApiProperty({ type: [RcaRequestView] }) items: RcaRequestView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class RcaGrantView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) incidentId: string;
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: StaffRef }) grantedBy: StaffRef;
  @ApiProperty() grantedAt: Date;
  @ApiProperty({ type: StaffRef, nullable: true }) revokedBy: StaffRef | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;

  static of(g: RcaGrant): RcaGrantView {
    return {
      id: g.id,
      incidentId: g.incidentId,
      customerId: g.customerId,
      reason: g.reason,
      grantedBy: { id: g.grantedById, name: g.grantedByName },
      grantedAt: g.grantedAt,
      revokedBy: g.revokedByName ? { id: g.revokedById, name: g.revokedByName } : null,
      revokedAt: g.revokedAt,
    };
  }
}
