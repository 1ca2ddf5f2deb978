import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, IsUUID, Length } from 'class-validator';
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
import { IntegerField, IsOptionalNotNull, IsoDateTime, QueryIntegerList } from '../common/validation';

export class DeclareIncidentDto {
  @ApiProperty({ example: 'AS2 gateway rejects inbound messages' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ example: 'Inbound AS2 messages fail with MDN errors since 09:12 UTC.' })
  @IsOptionalNotNull()
  @IsString()
  @Length(0, 10000)
  summary?: string;

  @ApiProperty({ enum: INCIDENT_KINDS })
  @IsIn(INCIDENT_KINDS)
  kind: IncidentKind;

  @ApiProperty({ description: 'Handbook table 1: 1 is the most severe' })
  @IntegerField({ min: 1, max: 4 })
  severity: Severity;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Affected services' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  serviceIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Incident commander; defaults to the caller' })
  @IsOptionalNotNull()
  @IsUUID()
  commanderId?: string;
}

export class UpdateIncidentDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(0, 10000) summary?: string;

  @ApiPropertyOptional({ description: 'Recomputes the response and resolution targets' })
  @IsOptionalNotNull()
  @IntegerField({ min: 1, max: 4 })
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
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 5000)
  customerMessage?: string;
}

export class CloseIncidentDto {
  @ApiPropertyOptional({ description: 'Required when an admin closes without an approved post-mortem' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class IncidentQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'declared,investigating' })
  @IsOptionalNotNull()
  @Transform(commaList)
  @IsIn(INCIDENT_STATUSES, { each: true })
  status?: IncidentStatus[];

  @ApiPropertyOptional({ description: 'true: only open incidents (not resolved or closed)' })
  @IsOptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ description: 'Comma-separated severities', example: [1, 2] })
  @IsOptionalNotNull()
  @QueryIntegerList({ min: 1, max: 4 })
  severity?: number[];

  @ApiPropertyOptional({ enum: INCIDENT_KINDS })
  @IsOptionalNotNull()
  @IsIn(INCIDENT_KINDS)
  kind?: IncidentKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  serviceId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  commanderId?: string;

  @ApiPropertyOptional({ description: 'Title or reference contains' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ description: 'Declared at or after' })
  @IsOptionalNotNull()
  @IsoDateTime()
  declaredFrom?: Date;

  @ApiPropertyOptional({ description: 'Declared before' })
  @IsOptionalNotNull()
  @IsoDateTime()
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
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  domain?: string;
}
