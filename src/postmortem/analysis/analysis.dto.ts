import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { INT4_MAX, IntegerField, IsOptionalNotNull } from '../../common/validation';
import { PARTICIPANT_ROLES } from '../../incident/entities/incident-participant.entity';

/** The roles a participant of the analysis may have: their incident role, or reviewer. */
export const ANALYSIS_PARTICIPANT_ROLES = [...PARTICIPANT_ROLES, 'reviewer'] as const;

const TEXT_MAX = 20_000;

export class AnalysisParticipantDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  staffMemberId: string;

  @ApiPropertyOptional({
    enum: ANALYSIS_PARTICIPANT_ROLES,
    description: 'Default: the role already held in the analysis, else reviewer',
  })
  @IsOptionalNotNull()
  @IsIn(ANALYSIS_PARTICIPANT_ROLES)
  role?: string;
}

/**
 * `PUT …/postmortem`: the fields given replace the stored ones, the others stay. `version` is
 * the version the editor started from (optimistic concurrency): another edit saved since → 409.
 */
export class UpdateAnalysisDto {
  @ApiProperty({
    description:
      'The analysis version this edit is based on (from GET); stale → 409 postmortem.stale_version',
  })
  @IntegerField({ min: 1, max: INT4_MAX })
  version: number;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, description: 'What succeeded in how the incident was handled' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TEXT_MAX)
  wentWell?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, description: 'What failed in how the incident was handled' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TEXT_MAX)
  wentBadly?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, description: 'The causes of those failures' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TEXT_MAX)
  failureCauses?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX, description: 'The specific source(s) of the incident' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TEXT_MAX)
  rootCauses?: string;

  @ApiPropertyOptional({ maxLength: TEXT_MAX })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TEXT_MAX)
  contributingFactors?: string;

  @ApiPropertyOptional({
    maxLength: TEXT_MAX,
    description: 'Breach specifics (vector, indicators): internal, never in the customer edition of the RCA',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TEXT_MAX)
  securityDetails?: string;

  @ApiPropertyOptional({
    maxLength: TEXT_MAX,
    description: 'Team-only remarks, never in the customer edition',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TEXT_MAX)
  internalNotes?: string;

  @ApiPropertyOptional({
    type: [AnalysisParticipantDto],
    description: 'The whole participant list: people left out are removed, new ones must be active staff',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique((p: AnalysisParticipantDto) => p?.staffMemberId, {
    message: 'participants must not list a staff member twice',
  })
  @ValidateNested({ each: true })
  @Type(() => AnalysisParticipantDto)
  participants?: AnalysisParticipantDto[];
}

/** Optional guard on submit/approve: act only on the version that was read. */
export class AnalysisTransitionDto {
  @ApiPropertyOptional({
    description: 'When given and the analysis changed since: 409 postmortem.stale_version',
  })
  @IsOptionalNotNull()
  @IntegerField({ min: 1, max: INT4_MAX })
  version?: number;
}

export class ReopenAnalysisDto extends AnalysisTransitionDto {
  @ApiProperty({
    description: 'What needs correcting (kept on the timeline)',
    example: 'Root cause revised after vendor report',
  })
  @IsString()
  @Length(1, 2000)
  reason: string;
}
