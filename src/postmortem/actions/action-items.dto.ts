import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  MaxLength,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { commaList } from '../../common/query-params';
import { IsOptionalNotNull, Nullable } from '../../common/validation';
import { ACTION_ITEM_STATUSES, ActionItemStatus } from '../entities/action-item.entity';
import { isCalendarDate } from './domain/overdue';

/** A calendar date `YYYY-MM-DD` that exists (rule `isCalendarDate`). */
function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a date YYYY-MM-DD`,
      },
    },
    options,
  );
}

const TRACKER_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const TRACKER_MESSAGE = { message: 'trackerUrl must be an http(s) URL' };

export class CreateActionItemDto {
  @ApiProperty({ example: 'Alert on AS2 certificate expiry 30 days ahead' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty({ format: 'uuid', description: 'An active staff member; reminded by mail once overdue' })
  @IsUUID()
  ownerId: string;

  @ApiProperty({
    example: '2026-04-15',
    description: 'YYYY-MM-DD; overdue from the next day (business time zone)',
  })
  @IsCalendarDate()
  dueOn: string;

  @ApiPropertyOptional({ enum: ACTION_ITEM_STATUSES, default: 'open' })
  @IsOptionalNotNull()
  @IsIn(ACTION_ITEM_STATUSES)
  status?: ActionItemStatus;

  @ApiPropertyOptional({
    example: 'https://tracker.example.com/browse/OPS-1234',
    description: 'http(s) only',
  })
  @IsOptionalNotNull()
  @MaxLength(2000)
  @IsUrl(TRACKER_URL, TRACKER_MESSAGE)
  trackerUrl?: string;
}

export class UpdateActionItemDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ type: String, description: 'null clears it' })
  @Nullable()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'An active staff member' })
  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ example: '2026-04-30', description: 'YYYY-MM-DD' })
  @IsOptionalNotNull()
  @IsCalendarDate()
  dueOn?: string;

  @ApiPropertyOptional({ enum: ACTION_ITEM_STATUSES })
  @IsOptionalNotNull()
  @IsIn(ACTION_ITEM_STATUSES)
  status?: ActionItemStatus;

  @ApiPropertyOptional({
    type: String,
    example: 'https://tracker.example.com/browse/OPS-1234',
    description: 'http(s) only; null clears it',
  })
  @Nullable()
  @MaxLength(2000)
  @IsUrl(TRACKER_URL, TRACKER_MESSAGE)
  trackerUrl?: string | null;
}

export class ActionItemQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'true: only overdue items (open or in progress, due before today in the business time zone); false: only the others',
  })
  @IsOptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Items owned by this staff member' })
  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ description: 'Comma-separated statuses', example: 'open,in_progress' })
  @IsOptionalNotNull()
  @Transform(commaList)
  @IsIn(ACTION_ITEM_STATUSES, { each: true })
  status?: ActionItemStatus[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Items of this incident' })
  @IsOptionalNotNull()
  @IsUUID()
  incidentId?: string;
}
