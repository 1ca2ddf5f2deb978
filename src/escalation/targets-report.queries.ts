import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/roles';
import { Clock } from '../common/clock';
import { ValidationError } from '../common/domain-error';
import { sqlRows } from '../common/sql';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { Severity } from '../incident/domain/severity-targets';
import { Incident } from '../incident/entities/incident.entity';
import { IncidentStore } from '../incident/incident-store';
import { TargetRecord, targetReport } from './domain/target-report';
import { ReportKind, TargetsReportQuery, TargetsReportView } from './targets-report.dto';

const DAY = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

interface RequestRow {
  severity: number;
  created_at: Date;
  response_due_at: Date;
  resolution_due_at: Date;
  first_response_at: Date | null;
  closed_at: Date | null;
}

/** `GET /reports/targets`: time to first response and to resolution per severity against table 1. */
@Injectable()
export class TargetsReportQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly incidents: IncidentStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report(query: TargetsReportQuery, actor: Actor): Promise<TargetsReportView> {
    const now = this.clock.now();
    const kind: ReportKind = query.kind ?? 'incident';
    const { from, to } = this.period(query, now);
    const records =
      kind === 'incident' ? await this.incidentRecords(from, to, actor) : await this.requestRecords(from, to);
    const severities = targetReport(records, {
      from,
      to,
      now,
      calendar: this.config.businessCalendar,
      table: this.config.severityTargets,
    });
    return { from, to, asOf: to < now ? to : now, kind, severities };
  }

  /** [from, to): defaults to the 30 days before now; `to` after `from`, at most 366 days apart. */
  private period(query: TargetsReportQuery, now: Date): { from: Date; to: Date } {
    const to = query.to === undefined ? now : parse(query.to, 'to');
    const from =
      query.from === undefined ? new Date(to.getTime() - DEFAULT_DAYS * DAY) : parse(query.from, 'from');
    // The field named is the one the caller gave (`to` when both were given).
    const field = query.to === undefined ? 'from' : 'to';
    if (to <= from) {
      const message = field === 'to' ? 'to must be after from' : 'from must be before to (now by default)';
      throw ValidationError.field(field, 'afterFrom', message);
    }
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY) {
      throw ValidationError.field(field, 'maxRange', `from and to may be at most ${MAX_DAYS} days apart`);
    }
    return { from, to };
  }

  /**
   * Incidents declared in the period, with confidentiality applied as everywhere else
   * (IncidentStore.applyVisibility): a security breach counts only for admins and its current
   * participants. Counting incidents the caller may not see would let totals reveal that they
   * exist, so two callers may read different figures for the same period; an admin reads all.
   */
  private async incidentRecords(from: Date, to: Date, actor: Actor): Promise<TargetRecord[]> {
    const qb = this.db
      .getRepository(Incident)
      .createQueryBuilder('i')
      .select([
        'i.id',
        'i.severity',
        'i.declaredAt',
        'i.responseDueAt',
        'i.resolutionDueAt',
        'i.firstResponseAt',
        'i.resolvedAt',
      ])
      .where('i.declared_at >= :from AND i.declared_at < :to', { from, to });
    const rows = await this.incidents.applyVisibility(qb, actor).getMany();
    return rows.map((i) => ({
      severity: i.severity,
      openedAt: i.declaredAt,
      responseDueAt: i.responseDueAt,
      resolutionDueAt: i.resolutionDueAt,
      firstResponseAt: i.firstResponseAt,
      resolvedAt: i.resolvedAt,
    }));
  }

  /**
   * Support requests created in the period (any staff member sees every request). First
   * response is the first reply; resolution is closing, at the time of the status change to
   * `closed` in the request's append-only history.
   */
  private async requestRecords(from: Date, to: Date): Promise<TargetRecord[]> {
    const rows = await sqlRows<RequestRow>(
      this.db,
      `SELECT r.severity, r.created_at, r.response_due_at, r.resolution_due_at, r.first_response_at,
              (SELECT min(e.at) FROM support_request_events e
                WHERE e.request_id = r.id AND e.type = 'support_request.status_changed'
                  AND e.data->>'to' = 'closed') AS closed_at
         FROM support_requests r
        WHERE r.created_at >= $1 AND r.created_at < $2`,
      [from, to],
    );
    return rows.map((r) => ({
      severity: Number(r.severity) as Severity,
      openedAt: r.created_at,
      responseDueAt: r.response_due_at,
      resolutionDueAt: r.resolution_due_at,
      firstResponseAt: r.first_response_at,
      resolvedAt: r.closed_at,
    }));
  }
}

/** The DTO has checked the shape; this refuses dates that do not exist (2026-02-30). */
function parse(value: string, field: 'from' | 'to'): Date {
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  if (!parsed.isValid) {
    throw ValidationError.field(
      field,
      'matches',
      `${field} must be an existing date or date-time (got ${value})`,
    );
  }
  return parsed.toJSDate();
}
