import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError } from '../../common/domain-error';
import { sqlRows } from '../../common/sql';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { Incident } from '../../incident/entities/incident.entity';
import { IncidentLifecycle } from '../../incident/incident-lifecycle';
import { IncidentStore } from '../../incident/incident-store';
import { appendTimeline, SYSTEM_ACTOR } from '../../incident/timeline';
import { businessToday } from '../actions/domain/overdue';
import { PostmortemAnalysis } from '../entities/postmortem-analysis.entity';

export interface IncidentAnalysis {
  incident: Incident;
  analysis: PostmortemAnalysis;
}

/**
 * Where the analysis comes from: opened in the resolving transaction, pre-filled with every
 * person who took part in the incident (including those who left it). Incidents resolved
 * before the analysis existed get theirs on first use. Every post-mortem call goes through
 * `load`, which applies the incident's confidentiality.
 */
@Injectable()
export class AnalysisAccess implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly lifecycle: IncidentLifecycle,
  ) {}

  onModuleInit(): void {
    this.lifecycle.onResolved(async ({ em, incident }) => {
      await this.open(em, incident, incident.resolvedAt ?? this.clock.now(), 'incident_resolved');
    });
  }

  /**
   * The incident the actor may see and its analysis; 409 `postmortem.incident_not_resolved`
   * before resolution. With `lock`, the incident row is locked so post-mortem changes serialise.
   */
  async load(
    em: EntityManager,
    idOrReference: string,
    actor: Actor,
    options: { lock?: boolean } = {},
  ): Promise<IncidentAnalysis> {
    const incident = await this.store.get(em, idOrReference, actor, options);
    if (incident.status !== 'resolved' && incident.status !== 'closed') {
      throw new ConflictError(
        'postmortem.incident_not_resolved',
        `${incident.reference} is ${incident.status}: the post-mortem starts once it is resolved`,
        { status: incident.status },
      );
    }
    const repo = em.getRepository(PostmortemAnalysis);
    let analysis = await repo.findOneBy({ incidentId: incident.id });
    if (!analysis) {
      await this.open(em, incident, this.clock.now(), 'first_use');
      analysis = await repo.findOneByOrFail({ incidentId: incident.id });
    }
    return { incident, analysis };
  }

  /** Today's date in the business time zone: what "overdue" is measured against. */
  today(): string {
    return businessToday(this.clock.now(), this.config.businessCalendar.timezone);
  }

  /**
   * Opens the analysis once (a concurrent opener waits on the key, then does nothing). A person
   * who held several roles on the incident appears once, with the most senior one.
   */
  private async open(em: EntityManager, incident: Incident, at: Date, reason: string): Promise<void> {
    const opened = await sqlRows(
      em,
      `INSERT INTO postmortem_analyses (incident_id, status, opened_at, updated_at) VALUES ($1, 'draft', $2, $2)
       ON CONFLICT (incident_id) DO NOTHING RETURNING incident_id`,
      [incident.id, at],
    );
    if (opened.length === 0) return;
    const participants = await sqlRows<{ staff_member_id: string; role: string }>(
      em,
      `INSERT INTO postmortem_participants (incident_id, staff_member_id, role)
       SELECT DISTINCT ON (p.staff_member_id) p.incident_id, p.staff_member_id, p.role
         FROM incident_participants p WHERE p.incident_id = $1
        ORDER BY p.staff_member_id,
                 array_position(ARRAY['commander','investigation_lead','communications_lead','sme'], p.role),
                 p.joined_at
       RETURNING staff_member_id, role`,
      [incident.id],
    );
    await appendTimeline(em, {
      incidentId: incident.id,
      type: 'postmortem.opened',
      at,
      actor: SYSTEM_ACTOR,
      data: {
        reason,
        participants: participants.map((p) => ({ staffMemberId: p.staff_member_id, role: p.role })),
      },
    });
  }
}
