import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { sqlRows } from '../common/sql';
import { DuePass } from '../common/ticker';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SYSTEM_ACTOR } from '../incident/timeline';
import { AutomaticReason, EscalationSubject, nextEscalation } from './domain/escalation-policy';
import { EscalationService } from './escalation.service';
import { EscalationTarget, loadTargets, SubjectKind } from './escalation-subject';

/**
 * Automatic escalations, evaluated from the database on every tick for every open incident and
 * support request: the escalations table (UNIQUE per level) and the subject's row lock make
 * each level fire once across instances and restarts; a late tick escalates once, late.
 */
@Injectable()
export class EscalationTicks extends DuePass {
  private readonly logger = new Logger(EscalationTicks.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly escalations: EscalationService,
    registry: SchedulerRegistry,
  ) {
    super('escalations', registry, config);
  }

  /** Escalates every open incident and support request that is due; returns how many were raised. */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    const maxLevel = (await this.escalations.chain()).length;
    const fired = await this.firedReasons();
    let raised = 0;
    for (const kind of ['incident', 'support_request'] as const) {
      for (const target of await loadTargets(this.db.manager, kind, { openOnly: true })) {
        const due = nextEscalation(this.subject(target, fired.get(target.id)), this.policy(target, maxLevel));
        if (!due || due.at > now) continue;
        try {
          if (await this.db.transaction((em) => this.escalateIfStillDue(em, kind, target.id, maxLevel, now)))
            raised += 1;
        } catch (error) {
          this.logger.error({ err: error, kind, id: target.id }, 'escalation failed');
        }
      }
    }
    return raised;
  }

  private async escalateIfStillDue(
    em: EntityManager,
    kind: SubjectKind,
    id: string,
    maxLevel: number,
    now: Date,
  ): Promise<boolean> {
    // Locked (or skipped if another instance holds it), then re-read: the decision is made on fresh rows.
    const [target] = await loadTargets(em, kind, { id, openOnly: true, lock: true });
    if (!target) return false;
    const fired = await this.firedReasons(em, id);
    const due = nextEscalation(this.subject(target, fired.get(id)), this.policy(target, maxLevel));
    if (!due || due.at > now) return false;
    return (await this.escalations.escalate(em, target, due.reason, SYSTEM_ACTOR, null, due.at)) !== null;
  }

  /** Per subject id: the automatic reasons already escalated, and when the last escalation was. */
  private async firedReasons(em: EntityManager | DataSource = this.db, id?: string) {
    const rows = await sqlRows<{ subject_id: string; fired: string[]; last: Date }>(
      em,
      `SELECT COALESCE(incident_id, support_request_id) AS subject_id, array_agg(reason) AS fired, max(created_at) AS last
         FROM escalations
        WHERE $1::uuid IS NULL OR incident_id = $1 OR support_request_id = $1
        GROUP BY 1`,
      [id ?? null],
    );
    return new Map(rows.map((r) => [r.subject_id, { fired: r.fired, last: new Date(r.last) }]));
  }

  private subject(target: EscalationTarget, history?: { fired: string[]; last: Date }): EscalationSubject {
    return {
      declaredAt: target.openedAt,
      responseDueAt: target.responseDueAt,
      resolutionDueAt: target.resolutionDueAt,
      firstResponseAt: target.firstResponseAt,
      resolvedAt: target.resolvedAt,
      level: target.level,
      fired: (history?.fired ?? []).filter((r): r is AutomaticReason =>
        ['response_target_missed', 'resolution_at_risk', 'resolution_breached'].includes(r),
      ),
      lastEscalatedAt: history?.last ?? null,
    };
  }

  /** The climb interval: configured, else the severity's own response target. */
  private policy(target: EscalationTarget, maxLevel: number) {
    const responseMs = target.responseDueAt.getTime() - target.openedAt.getTime();
    const configured = this.config.escalation.intervalMinutes;
    return {
      atRiskShare: this.config.escalation.atRiskShare,
      intervalMs: configured !== undefined ? configured * 60_000 : responseMs,
      maxLevel,
    };
  }
}
