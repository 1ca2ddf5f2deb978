import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Min,
  ValidateIf,
} from 'class-validator';
import type { ParticipantRole } from '../incident/entities/incident-participant.entity';
import { PLAN_STEP_STATUSES, PlanStepStatus } from './domain/plan-step-status';

/** The whole scope as the team now sees it; each PUT stores a new revision, earlier ones are kept. */
export class ReviseScopeDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Affected platforms and applications' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  serviceIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Affected customers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  customerIds?: string[];

  @ApiPropertyOptional({
    nullable: true,
    description: 'Affected jobs or transaction ids',
    example: 'Jobs 4411-4470; inbound AS2 messages from 09:12 UTC',
  })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  transactions?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the problem started',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  startedAt?: Date;

  @ApiPropertyOptional({
    nullable: true,
    description: 'Known symptoms',
    example: 'MDN errors on inbound AS2 messages; retries pile up',
  })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  symptoms?: string;

  @ApiPropertyOptional({
    minimum: 0,
    description:
      'The revision this one revises (0 for the first). When given and another revision was saved since: 409 scope.stale_revision',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
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
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The staff member who carries the step out' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Expected completion' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  eta?: Date;

  @ApiPropertyOptional({ minimum: 1, description: 'Where to insert the step (1 = first); default: last' })
  @IsOptional()
  @IsInt()
  @Min(1)
  position?: number;
}

export class UpdatePlanStepDto {
  @ApiPropertyOptional()
  @ValidateIf((o: UpdatePlanStepDto) => o.title !== undefined)
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  description?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'null clears it' })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time', description: 'null clears it' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  eta?: Date | null;

  @ApiPropertyOptional({
    enum: PLAN_STEP_STATUSES,
    description:
      'todo → doing|abandoned; doing → done|todo|abandoned; done → doing (reopen); abandoned → todo. Anything else: 409 plan_step.illegal_transition',
  })
  @ValidateIf((o: UpdatePlanStepDto) => o.status !== undefined)
  @IsIn(PLAN_STEP_STATUSES)
  status?: PlanStepStatus;

  @ApiPropertyOptional({ description: 'Why, or what was done: kept with the change (internal)' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class MovePlanStepDto {
  @ApiProperty({ minimum: 1, description: 'New position (1 = first); the steps in between shift by one' })
  @IsInt()
  @Min(1)
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
