import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_STATUSES, DeliveryStatus } from '../delivery/delivery.entity';
import type { NoticeOutcome } from './sla.queries';

/**
 * The documented shapes of GET …/impact and GET …/sla. The services build plain objects; the
 * controllers declare these classes as their return type, so the compiler holds the two together.
 */

export class ImpactAdjustmentView {
  @ApiProperty({ enum: ['add', 'remove'] }) action: 'add' | 'remove';
  @ApiProperty() reason: string;
}

export class ImpactCustomerView {
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'fr' }) language: string;
  @ApiProperty({ description: 'Subscribed to an affected service' }) subscribed: boolean;
  @ApiProperty({ type: [String], description: 'The affected services it subscribes to, by name' })
  services: string[];
  @ApiProperty({ description: 'Contacts that receive notices' }) contacts: number;
  @ApiProperty({ type: ImpactAdjustmentView, nullable: true, description: 'The latest correction by hand' })
  adjustment: ImpactAdjustmentView | null;
  @ApiProperty() impacted: boolean;
  // The frozen set only (after POST …/impact): each customer's own clock.
  @ApiPropertyOptional({ enum: ['subscription', 'manual'], description: 'After definition only' })
  source?: 'subscription' | 'manual';
  @ApiPropertyOptional({ description: 'After definition only' }) addedAt?: Date;
  @ApiPropertyOptional({ description: 'After definition only' }) notifyTargetAt?: Date;
  @ApiPropertyOptional({ description: 'After definition only' }) notifyAutosendAt?: Date;
  @ApiPropertyOptional({ description: 'After definition only' }) notifyDeadlineAt?: Date;
}

export class IncidentImpactView {
  @ApiProperty({ format: 'uuid' }) incidentId: string;
  @ApiProperty({ example: 'INC-2026-00042' }) reference: string;
  @ApiProperty({ nullable: true, type: Date }) impactDefinedAt: Date | null;
  @ApiProperty({
    type: [ImpactCustomerView],
    description: 'Before definition: the derived preview; after: the frozen set with each clock',
  })
  impacted: ImpactCustomerView[];
  @ApiProperty({ type: [ImpactCustomerView], description: 'Candidates left out' })
  excluded: ImpactCustomerView[];
}

const OUTCOMES = [
  'before_target',
  'before_deadline',
  'late',
  'pending',
  'failed',
  'no_contacts',
] satisfies NoticeOutcome[];

export class SlaContactView {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: [...DELIVERY_STATUSES, 'not_queued'] }) status: DeliveryStatus | 'not_queued';
  @ApiProperty({ nullable: true, type: Date }) acceptedAt: Date | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
}

export class CustomerSlaView {
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty() name: string;
  @ApiProperty() addedAt: Date;
  @ApiProperty() notifyTargetAt: Date;
  @ApiProperty() notifyDeadlineAt: Date;
  @ApiProperty({
    nullable: true,
    type: Date,
    description: "When the last of its contacts' first notices was accepted",
  })
  notifiedAt: Date | null;
  @ApiProperty({ enum: OUTCOMES }) outcome: NoticeOutcome;
  @ApiProperty({ description: 'Still pending and past the deadline' }) overdue: boolean;
  @ApiProperty({ type: [SlaContactView] }) contacts: SlaContactView[];
}

export class SlaSummaryView {
  @ApiProperty() before_target: number;
  @ApiProperty() before_deadline: number;
  @ApiProperty() late: number;
  @ApiProperty() pending: number;
  @ApiProperty() failed: number;
  @ApiProperty() no_contacts: number;
}

export class IncidentSlaView {
  @ApiProperty({ format: 'uuid' }) incidentId: string;
  @ApiProperty({ example: 'INC-2026-00042' }) reference: string;
  @ApiProperty({ nullable: true, type: Date }) impactDefinedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) firstResponseAt: Date | null;
  @ApiProperty({ type: SlaSummaryView, description: 'Impacted customers by outcome' })
  summary: SlaSummaryView;
  @ApiProperty({ type: [CustomerSlaView], description: 'By name' }) customers: CustomerSlaView[];
}
