import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { commaList } from '../../common/query-params';
import { IsOptionalNotNull } from '../../common/validation';
import {
  RCA_REQUEST_CHANNELS,
  RCA_REQUEST_STATUSES,
  RcaRequestChannel,
  RcaRequestStatus,
} from './rca-request.entity';

export const STAFF_CHANNELS = ['email', 'phone'] as const;

export class CreateRcaRequestDto {
  @ApiProperty({
    description: 'The incident reference as the customer gave it (an unknown one is refused like any other)',
    example: 'INC-2026-00042',
  })
  @IsString()
  @Length(1, 100)
  incidentReference: string;

  @ApiProperty({ format: 'uuid', description: 'The customer contact who asks (receives the copy)' })
  @IsUUID()
  contactId: string;

  @ApiProperty({ enum: STAFF_CHANNELS, description: 'How the customer asked' })
  @IsIn(STAFF_CHANNELS)
  channel: (typeof STAFF_CHANNELS)[number];

  @ApiPropertyOptional({
    description: "Language of the copy (ISO 639-1); default: the contact's, else its customer's",
    example: 'fr',
  })
  @IsOptionalNotNull()
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO 639-1 code such as fr or en' })
  language?: string;

  @ApiPropertyOptional({ description: 'What the customer said, for the record' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class RcaRequestQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'waiting,refused' })
  @IsOptionalNotNull()
  @Transform(commaList)
  @IsIn(RCA_REQUEST_STATUSES, { each: true })
  status?: RcaRequestStatus[];

  @ApiPropertyOptional({ description: 'Comma-separated channels', example: 'phone,email' })
  @IsOptionalNotNull()
  @Transform(commaList)
  @IsIn(RCA_REQUEST_CHANNELS, { each: true })
  channel?: RcaRequestChannel[];

  @ApiPropertyOptional({ description: 'Incident id (UUID) or reference (INC-2026-00042)' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  incident?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Requests from contacts of this customer' })
  @IsOptionalNotNull()
  @IsUUID()
  customer?: string;
}

export class CreateRcaGrantDto {
  @ApiProperty({ format: 'uuid', description: 'The customer entitled to RCA copies of this incident' })
  @IsUUID()
  customerId: string;

  @ApiProperty({ description: 'Why, for the record', example: 'Partner whose own customers were affected' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class RcaLinkQuery {
  @ApiPropertyOptional({ enum: ['pdf', 'html'], default: 'pdf' })
  @IsOptionalNotNull()
  @IsIn(['pdf', 'html'])
  format?: 'pdf' | 'html';
}
