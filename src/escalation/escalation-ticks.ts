import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { sqlRows } from '../common/sql';
import { Ticker } from '../common/ticker';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Incident } from '../incident/entities/incident.entity';
import { SYSTEM_ACTOR } from '../incident/timeline';
import { AutomaticReason, EscalationSubject, nextEscalation } from './domain/escalation-policy';
import { EscalationService } from './escalation.service';

/**
 * Automatic escalations, evaluated from the database on every tick for every open incident:
 * the escalations table (UNIQUE per level) and the incident's row lock make each level fire
 * once across instances and restarts; a late tick escalates once, late, and says so.
 */
@Injectable()
export class EscalationTicks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EscalationTicks.name);
  private ticker?: Ticker;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly escalations: EscalationService,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.ticker = new Ticker(this.registry, 'escalations', this.config.tickIntervalMs, () =>
      this.runDue(),
    ).start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ticker?.stop();
  }

  /** Escalates every open incident that is due; returns how many escalations were raised. */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    const maxLevel = (await this.escalations.chain()).length;
    let raised = 0;
    for (const row of await this.openIncidents()) {
      const due = nextEscalation(this.subject(row), this.policy(row, maxLevel));
      if (!due || due.at > now) continue;
      try {
        if (await this.db.transaction((em) => this.escalateIfStillDue(em, row.id, maxLevel, now)))
          raised += 1;
      } catch (error) {
        this.logger.error({ err: error, incidentId: row.id }, 'escalation failed');
      }
    }
    return raised;
  }

  private async escalateIfStillDue(
    em: EntityManager,
    id: string,
    maxLevel: number,
    now: Date,
  ): Promise<boolean> {
    const locked = await em
      .getRepository(Incident)
      .createQueryBuilder('i')
      .where('i.id = :id', { id })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
    if (!locked) return false;
    const [fresh] = await this.openIncidents(em, id);
    if (!fresh) return false;
    const due = nextEscalation(this.subject(fresh), this.policy(fresh, maxLevel));
    if (!due || due.at > now) return false;
    return (await this.escalations.escalate(em, locked, due.reason, SYSTEM_ACTOR, null, due.at)) !== null;
  }

  private openIncidents(em: EntityManager | DataSource = this.db, id?: string) {
    return sqlRows<IncidentRow>(
      em,
      `SELECT i.id, i.severity, i.declared_at, i.response_due_at, i.resolution_due_at, i.first_response_at, i.resolved_at,
              i.escalation_level,
              COALESCE(array_agg(e.reason) FILTER (WHERE e.reason IS NOT NULL), '{}') AS fired,
              max(e.created_at) AS last_escalated_at
         FROM incidents i LEFT JOIN escalations e ON e.incident_id = i.id
        WHERE i.status IN ('declared','investigating','identified','monitoring') AND ($1::uuid IS NULL OR i.id = $1)
        GROUP BY i.id`,
      [id ?? null],
    );
  }

  private subject(row: IncidentRow): EscalationSubject {
    return {
      declaredAt: new Date(row.declared_at),
      responseDueAt: new Date(row.response_due_at),
      resolutionDueAt: new Date(row.resolution_due_at),
      firstResponseAt: row.first_response_at ? new Date(row.first_response_at) : null,
      resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
      level: row.escalation_level,
      fired: row.fired.filter((r): r is AutomaticReason =>
        ['response_target_missed', 'resolution_at_risk', 'resolution_breached'].includes(r),
      ),
      lastEscalatedAt: row.last_escalated_at ? new Date(row.last_escalated_at) : null,
    };
  }

  /** The climb interval: configured, else the severity's own response target. */
  private policy(row: IncidentRow, maxLevel: number) {
    const responseMs = new Date(row.response_due_at).getTime() - new Date(row.declared_at).getTime();
    return {
      atRiskShare: this.config.escalation.atRiskShare,
      intervalMs:
        this.config.escalation.intervalMinutes !== undefined
          ? this.config.escalation.intervalMinutes * 60_000
          : responseMs,
      maxLevel,
    };
  }
}

interface IncidentRow {
  id: string;
  severity: number;
  declared_at: Date;
  response_due_at: Date;
  resolution_due_at: Date;
  first_response_at: Date | null;
  resolved_at: Date | null;
  escalation_level: number;
  fired: string[];
  last_escalated_at: Date | null;
}
