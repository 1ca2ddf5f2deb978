import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Length,
  ValidateIf,
} from 'class-validator';
import { INT4_MAX, IntegerField, IsOptionalNotNull, IsoDateTime, Nullable } from '../common/validation';
import type { ParticipantRole } from '../incident/entities/incident-participant.entity';
import { PLAN_STEP_STATUSES, PlanStepStatus } from './domain/plan-step-status';

/** The whole scope as the team now sees it; each PUT stores a new revision, earlier ones are kept. */
export class ReviseScopeDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Affected platforms and applications' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  serviceIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Affected customers' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  customerIds?: string[];

  @ApiPropertyOptional({
    description: 'Affected jobs or transaction ids; null clears them',
    example: 'Jobs 4411-4470; inbound AS2 messages from 09:12 UTC',
  })
  @Nullable()
  @IsString()
  @Length(1, 5000)
  transactions?: string;

  @ApiPropertyOptional({ description: 'When the problem started (not in the future); null clears it' })
  @Nullable()
  @IsoDateTime({ example: '2026-03-02T08:30:00Z' })
  startedAt?: Date | null;

  @ApiPropertyOptional({
    description: 'Known symptoms; null clears them',
    example: 'MDN errors on inbound AS2 messages; retries pile up',
  })
  @Nullable()
  @IsString()
  @Length(1, 10000)
  symptoms?: string;

  @ApiPropertyOptional({
    description:
      'The revision this one revises (0 for the first). When given and another revision was saved since: 409 scope.stale_revision',
  })
  @IsOptionalNotNull()
  @IntegerField({ min: 0, max: INT4_MAX })
  baseRevision?: number;
}

const EXPERT_ROLES = ['investigation_lead', 'sme', 'communications_lead'] as const;
export type ExpertRole = Extract<ParticipantRole, (typeof EXPERT_ROLES)[number]>;

export class AddExpertDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  staffMemberId: string;

  @ApiProperty({ enum: EXPERT_ROLES, description: 'Command changes through PATCH /incidents/{id}' })
  @IsIn(EXPERT_ROLES, { message: 'role must be one of investigation_lead, sme, communications_lead' })
  role: ExpertRole;

  @ApiPropertyOptional({ description: 'Subject-matter domain; required for an SME', example: 'AS2 protocol' })
  @ValidateIf((o: AddExpertDto) => o.role === 'sme' || o.domain !== undefined)
  @IsString()
  @Length(1, 200)
  domain?: string;
}

export class CreatePlanStepDto {
  @ApiProperty({ example: 'Roll back the AS2 gateway certificate' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 5000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The staff member who carries the step out' })
  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ description: 'Expected completion' })
  @IsOptionalNotNull()
  @IsoDateTime({ example: '2026-03-02T14:00:00Z' })
  eta?: Date;

  @ApiPropertyOptional({ description: 'Where to insert the step (1 = first); default: last' })
  @IsOptionalNotNull()
  @IntegerField({ min: 1, max: INT4_MAX })
  position?: number;
}

export class UpdatePlanStepDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ type: String, description: 'null clears it' })
  @Nullable()
  @IsString()
  @Length(1, 5000)
  description?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'null clears it' })
  @Nullable()
  @IsUUID()
  ownerId?: string | null;

  @ApiPropertyOptional({ description: 'null clears it' })
  @Nullable()
  @IsoDateTime({ example: '2026-03-02T14:00:00Z' })
  eta?: Date | null;

  @ApiPropertyOptional({
    enum: PLAN_STEP_STATUSES,
    description:
      'todo → doing|abandoned; doing → done|todo|abandoned; done → doing (reopen); abandoned → todo. Anything else: 409 plan_step.illegal_transition',
  })
  @IsOptionalNotNull()
  @IsIn(PLAN_STEP_STATUSES)
  status?: PlanStepStatus;

  @ApiPropertyOptional({ description: 'Why, or what was done: kept with the change (internal)' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class MovePlanStepDto {
  @ApiProperty({ description: 'New position (1 = first); the steps in between shift by one' })
  @IntegerField({ min: 1, max: INT4_MAX })
  position: number;
}

export class AddInvestigationNoteDto {
  @ApiProperty({
    description: 'Internal: never sent to customers',
    example: 'Certificate rotation at 09:05 UTC matches the first MDN error.',
  })
  @IsString()
  @Length(1, 10000)
  text: string;
}
