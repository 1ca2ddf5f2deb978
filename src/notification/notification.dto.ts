import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { commaList } from '../common/query-params';
import { IsOptionalNotNull, Nullable } from '../common/validation';
import {
  Delivery,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  DeliveryKind,
  DeliveryStatus,
} from '../delivery/delivery.entity';
import { Notification, NOTIFICATION_KINDS, NotificationKind } from './notification.entity';

export class AdjustImpactDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  customerId: string;

  @ApiProperty({
    enum: ['add', 'remove'],
    description: 'After impact is defined, only add (with its own clock)',
  })
  @IsIn(['add', 'remove'])
  action: 'add' | 'remove';

  @ApiProperty({ example: 'Uses the AS2 gateway through a partner connection' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

/** Customer-facing texts; omitted or null → the template's wording in each contact's language. */
export class NoticeTextsDto {
  @ApiPropertyOptional({ type: String, description: 'What customers may observe' })
  @Nullable()
  @IsString()
  @Length(1, 5000)
  observed?: string | null;

  @ApiPropertyOptional({ type: String, description: 'What we are doing' })
  @Nullable()
  @IsString()
  @Length(1, 5000)
  actions?: string | null;

  @ApiPropertyOptional({ type: String, description: 'The news of this notice' })
  @Nullable()
  @IsString()
  @Length(1, 5000)
  message?: string | null;
}

/** The same texts (Nullable() on `message` is inherited: an update may keep the template's wording). */
export class PostUpdateDto extends NoticeTextsDto {
  @ApiPropertyOptional({ type: String, description: 'The news of this update' })
  declare message?: string | null;
}

export class CadenceDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    minimum: 0,
    maximum: 7 * 24 * 60,
    description: 'Minutes between updates; 0 = on change only; null = severity default',
  })
  @ValidateIf((_, value) => value !== null)
  @IsNumber()
  @Min(0)
  @Max(7 * 24 * 60)
  minutes: number | null;
}

export class DeliveryQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'retrying,failed' })
  @IsOptionalNotNull()
  @Transform(commaList)
  @IsIn(DELIVERY_STATUSES, { each: true })
  status?: DeliveryStatus[];

  @ApiPropertyOptional({ description: 'Comma-separated kinds', example: 'initial' })
  @IsOptionalNotNull()
  @Transform(commaList)
  @IsIn(DELIVERY_KINDS, { each: true })
  kind?: DeliveryKind[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  customerId?: string;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() sequence: number;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty({ enum: ['draft', 'approved'] }) status: 'draft' | 'approved';
  @ApiProperty({ nullable: true, type: String }) observed: string | null;
  @ApiProperty({ nullable: true, type: String }) actions: string | null;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'Promised time of the next update' })
  nextUpdateAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() createdBy: string;
  @ApiProperty({ nullable: true, type: Date }) approvedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) approvedBy: string | null;
  @ApiProperty({ description: 'Sent by the platform (auto-send or holding update)' }) autoApproved: boolean;

  static of(n: Notification): NotificationView {
    return {
      id: n.id,
      sequence: n.sequence,
      kind: n.kind,
      status: n.status,
      observed: n.observed,
      actions: n.actions,
      message: n.message,
      nextUpdateAt: n.nextUpdateAt,
      createdAt: n.createdAt,
      createdBy: n.createdByName,
      approvedAt: n.approvedAt,
      approvedBy: n.approvedByName,
      autoApproved: n.autoApproved,
    };
  }
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DELIVERY_KINDS }) kind: DeliveryKind;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty({ enum: ['contact', 'staff', 'requester'] }) recipientType: 'contact' | 'staff' | 'requester';
  @ApiProperty({ nullable: true, type: String }) customerId: string | null;
  @ApiProperty({ nullable: true, type: String }) contactId: string | null;
  @ApiProperty({ nullable: true, type: String }) staffMemberId: string | null;
  @ApiProperty() to: string;
  @ApiProperty() messageId: string;
  @ApiProperty() attempts: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() nextAttemptAt: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'When the relay answered 250' })
  acceptedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) smtpResponse: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;

  static of(d: Delivery): DeliveryView {
    return {
      id: d.id,
      kind: d.kind,
      status: d.status,
      recipientType: d.recipientType,
      customerId: d.customerId,
      contactId: d.contactId,
      staffMemberId: d.staffMemberId,
      to: d.toAddress,
      messageId: d.messageId,
      attempts: d.attempts,
      createdAt: d.createdAt,
      nextAttemptAt: d.nextAttemptAt,
      acceptedAt: d.acceptedAt,
      smtpResponse: d.smtpResponse,
      lastError: d.lastError,
    };
  }
}
