import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { commaList } from '../common/query-params';
import {
  EDITABLE_STATUSES,
  EditableStatus,
  INCIDENT_STATUSES,
  IncidentStatus,
} from './domain/incident-status';
import type { Severity } from './domain/severity-targets';
import { INCIDENT_KINDS, IncidentKind } from './entities/incident.entity';
import { PARTICIPANT_ROLES, ParticipantRole } from './entities/incident-participant.entity';
import { IsOptionalNotNull } from '../common/validation';

export class DeclareIncidentDto {
  @ApiProperty({ example: 'AS2 gateway rejects inbound messages' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ example: 'Inbound AS2 messages fail with MDN errors since 09:12 UTC.' })
  @IsOptional()
  @IsString()
  @Length(0, 10000)
  summary?: string;

  @ApiProperty({ enum: INCIDENT_KINDS })
  @IsIn(INCIDENT_KINDS)
  kind: IncidentKind;

  @ApiProperty({ minimum: 1, maximum: 4, description: 'Handbook table 1: 1 is the most severe' })
  @IsInt()
  @Min(1)
  @Max(4)
  severity: Severity;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Affected services' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  serviceIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Incident commander; defaults to the caller' })
  @IsOptional()
  @IsUUID()
  commanderId?: string;
}

export class UpdateIncidentDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(0, 10000) summary?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 4,
    description: 'Recomputes the response and resolution targets',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(4)
  severity?: Severity;

  @ApiPropertyOptional({
    enum: EDITABLE_STATUSES,
    description: 'resolved and closed are reached with POST …/resolve and POST …/close',
  })
  @IsOptionalNotNull()
  @IsIn(EDITABLE_STATUSES, {
    message:
      'status must be one of investigating, identified, monitoring (use /resolve or /close for the others)',
  })
  status?: EditableStatus;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the affected services' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  serviceIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Hands command to another staff member' })
  @IsOptionalNotNull()
  @IsUUID()
  commanderId?: string;

  @ApiPropertyOptional({ description: 'Why: recorded on the timeline' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class ResolveIncidentDto {
  @ApiProperty({ description: 'What fixed it, in a few lines (internal)' })
  @IsString()
  @Length(1, 5000)
  summary: string;

  @ApiPropertyOptional({
    description: 'What impacted customers read in the resolution notice; defaults to a standard text',
  })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  customerMessage?: string;
}

export class CloseIncidentDto {
  @ApiPropertyOptional({ description: 'Required when an admin closes without an approved post-mortem' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class IncidentQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'declared,investigating' })
  @IsOptional()
  @Transform(commaList)
  @IsIn(INCIDENT_STATUSES, { each: true })
  status?: IncidentStatus[];

  @ApiPropertyOptional({ description: 'true: only open incidents (not resolved or closed)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ description: 'Comma-separated severities', example: '1,2' })
  @IsOptional()
  @Transform(({ value }) => {
    // `1,2` or, as OpenAPI clients send arrays, `severity=1&severity=2`.
    const list = commaList({ value });
    return Array.isArray(list) ? list.map(Number) : list;
  })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(4, { each: true })
  severity?: number[];

  @ApiPropertyOptional({ enum: INCIDENT_KINDS })
  @IsOptional()
  @IsIn(INCIDENT_KINDS)
  kind?: IncidentKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  serviceId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  commanderId?: string;

  @ApiPropertyOptional({ description: 'Title or reference contains' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Declared at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  declaredFrom?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Declared before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  declaredTo?: Date;
}

export class AddParticipantDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  staffMemberId: string;

  @ApiProperty({
    enum: PARTICIPANT_ROLES.filter((r) => r !== 'commander'),
    description: 'Command changes through PATCH commanderId',
  })
  @IsIn(PARTICIPANT_ROLES.filter((r) => r !== 'commander'), {
    message:
      'role must be one of investigation_lead, sme, communications_lead (hand over command with PATCH commanderId)',
  })
  role: Exclude<ParticipantRole, 'commander'>;

  @ApiPropertyOptional({ description: 'Subject-matter domain of an SME', example: 'AS2 protocol' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  domain?: string;
}
