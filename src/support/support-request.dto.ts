import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { commaList } from '../common/query-params';
import { IntegerField, IsOptionalNotNull, IsoDateTime, QueryIntegerList } from '../common/validation';
import type { Severity } from '../incident/domain/severity-targets';
import { DeclareIncidentDto } from '../incident/incident.dto';
import {
  SUBMISSION_METHODS,
  SubmissionMethod,
  SUPPORT_PRIORITIES,
  SupportPriority,
} from './domain/intake-defaults';
import {
  SETTABLE_STATUSES,
  SettableStatus,
  SUPPORT_REQUEST_STATUSES,
  SupportRequestStatus,
} from './domain/support-request-status';

export class CreateSupportRequestDto {
  @ApiProperty({ example: 'Example Logistics SA' })
  @IsString()
  @Length(1, 200)
  company: string;

  @ApiProperty({ example: 'EDI operations manager' })
  @IsString()
  @Length(1, 200)
  contactName: string;

  @ApiPropertyOptional({ example: '+33 1 23 45 67 89' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/^\+?[0-9 ().-]{3,40}$/, { message: 'contactPhone must be a phone number' })
  contactPhone?: string;

  @ApiProperty({ example: 'edi-ops@logistics.example.com', description: 'Receives the confirmation' })
  @IsEmail()
  @Length(3, 320)
  contactEmail: string;

  @ApiPropertyOptional({ description: "The requester's user id on the platform", example: 'EXLOG-0042' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  userId?: string;

  @ApiProperty({
    enum: SUBMISSION_METHODS,
    description:
      'e-mail: lower priority and severity 4 by default; portal: severity 3; phone: severity required',
  })
  @IsIn(SUBMISSION_METHODS)
  submissionMethod: SubmissionMethod;

  @ApiPropertyOptional({ description: 'Job number or transaction ids', example: 'JOB-778812, TX 99120-4' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  jobNumbers?: string;

  @ApiPropertyOptional({ description: 'When it happened, as precisely as known (not in the future)' })
  @IsOptionalNotNull()
  @IsoDateTime({ example: '2026-03-02T08:30:00Z' })
  eventAt?: Date;

  @ApiProperty({ description: 'Detailed description of the problem' })
  @IsString()
  @Length(1, 20000)
  description: string;

  @ApiPropertyOptional({ description: 'Error messages, notifications or alerts the customer collected' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 20000)
  errorMessages?: string;

  @ApiPropertyOptional({ description: 'Required for phone requests (the agent sets it)' })
  @IsOptionalNotNull()
  @IntegerField({ min: 1, max: 4 })
  severity?: Severity;
}

export class TriageSupportRequestDto {
  @ApiProperty({ description: 'Recomputes the response and resolution targets' })
  @IntegerField({ min: 1, max: 4 })
  severity: Severity;

  @ApiPropertyOptional({ description: 'The team with the right expertise', example: 'AS2 specialists' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  assignedTeam?: string;

  @ApiPropertyOptional({ enum: SUPPORT_PRIORITIES })
  @IsOptionalNotNull()
  @IsIn(SUPPORT_PRIORITIES)
  priority?: SupportPriority;

  @ApiPropertyOptional({ description: 'Why: recorded in the history' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class ChangeSupportRequestStatusDto {
  @ApiProperty({
    enum: SETTABLE_STATUSES,
    description: 'triaged and answered are reached with POST …/triage and POST …/replies',
  })
  @IsIn(SETTABLE_STATUSES, {
    message: 'status must be one of in_progress, closed (use /triage or /replies for the others)',
  })
  status: SettableStatus;

  @ApiPropertyOptional({ description: 'Why: recorded in the history' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class ReplyToSupportRequestDto {
  @ApiProperty({ description: 'What the requester reads' })
  @IsString()
  @Length(1, 20000)
  body: string;
}

export class LinkSupportRequestDto {
  @ApiProperty({ description: 'Incident id (UUID) or reference (INC-2026-00042)' })
  @IsString()
  @Length(1, 100)
  incidentId: string;
}

export class DeclareFromSupportRequestsDto extends DeclareIncidentDto {
  @ApiProperty({
    type: [String],
    description: 'Support request references or ids',
    example: ['SR-2026-000001'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  requestRefs: string[];
}

export class SupportRequestQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'new,triaged' })
  @IsOptionalNotNull()
  @Transform(commaList)
  @IsIn(SUPPORT_REQUEST_STATUSES, { each: true })
  status?: SupportRequestStatus[];

  @ApiPropertyOptional({ description: 'Comma-separated severities', example: [1, 2] })
  @IsOptionalNotNull()
  @QueryIntegerList({ min: 1, max: 4 })
  severity?: number[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Requests linked to this incident' })
  @IsOptionalNotNull()
  @IsUUID()
  incidentId?: string;

  @ApiPropertyOptional({ description: 'Reference, company, contact name or e-mail contains' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  q?: string;
}
