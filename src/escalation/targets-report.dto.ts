import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IsOptionalNotNull } from '../common/validation';
import type { Severity } from '../incident/domain/severity-targets';
import type { SeverityTargetStats } from './domain/target-report';

export const REPORT_KINDS = ['incident', 'support_request'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A date (midnight UTC) or a date-time with its offset; a bare local time would be ambiguous. */
export const ISO_DATE_OR_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class TargetsReportQuery {
  @ApiPropertyOptional({
    description:
      'Start of the period (inclusive): a date (midnight UTC) or a date-time with offset; default `to` − 30 days',
    example: '2026-03-01',
  })
  @IsOptionalNotNull()
  @Matches(ISO_DATE_OR_DATE_TIME, {
    message: 'from must be an ISO 8601 date (2026-03-01) or date-time with offset (2026-03-01T00:00:00Z)',
  })
  from?: string;

  @ApiPropertyOptional({
    description: 'End of the period (exclusive), after `from`, at most 366 days later; default now',
    example: '2026-04-01',
  })
  @IsOptionalNotNull()
  @Matches(ISO_DATE_OR_DATE_TIME, {
    message: 'to must be an ISO 8601 date (2026-04-01) or date-time with offset (2026-04-01T00:00:00Z)',
  })
  to?: string;

  @ApiPropertyOptional({ enum: REPORT_KINDS, default: 'incident' })
  @IsOptionalNotNull()
  @IsIn(REPORT_KINDS)
  kind?: ReportKind;
}

export class TargetColumnsView {
  @ApiProperty({ description: 'Initial response target' }) responseMinutes: number;
  @ApiPropertyOptional({ description: 'Resolution target in plain time (S1–S3 in the handbook)' })
  resolutionMinutes?: number;
  @ApiPropertyOptional({ description: 'Resolution target in business days (S4 in the handbook: 3)' })
  resolutionBusinessDays?: number;
}

export class ResponseTimesView {
  @ApiProperty({ nullable: true, type: Number }) medianMinutes: number | null;
  @ApiProperty({ nullable: true, type: Number }) p90Minutes: number | null;
}

export class ResolutionTimesView {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Plain-time targets' })
  medianMinutes?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) p90Minutes?: number | null;
  @ApiPropertyOptional({ description: 'True for a business-day target: only business days count' })
  businessTime?: true;
  @ApiPropertyOptional({ nullable: true, type: Number }) medianHours?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) p90Hours?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) medianBusinessDays?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) p90BusinessDays?: number | null;
}

export class SeverityTargetsView {
  @ApiProperty({ minimum: 1, maximum: 4 }) severity: Severity;
  @ApiProperty({ type: TargetColumnsView }) target: TargetColumnsView;
  @ApiProperty({ description: 'Opened in the period' }) count: number;
  @ApiProperty({ description: 'With a first response' }) responded: number;
  @ApiProperty({ description: 'First response by responseDueAt' }) respondedWithinTarget: number;
  @ApiProperty({ type: ResponseTimesView }) timeToFirstResponse: ResponseTimesView;
  @ApiProperty({ description: 'Resolved (a support request: closed)' }) resolved: number;
  @ApiProperty({ description: 'Resolved by resolutionDueAt' }) resolvedWithinTarget: number;
  @ApiProperty({ type: ResolutionTimesView }) timeToResolution: ResolutionTimesView;
  @ApiProperty({ description: 'Unresolved and past resolutionDueAt at asOf' }) stillOpenPastTarget: number;
}

export class TargetsReportView {
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ description: 'Open-past-target is counted at this time: the earlier of `to` and now' })
  asOf: Date;
  @ApiProperty({ enum: REPORT_KINDS }) kind: ReportKind;
  @ApiProperty({ type: [SeverityTargetsView] }) severities: SeverityTargetStats[];
}
