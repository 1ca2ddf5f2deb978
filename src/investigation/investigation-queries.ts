import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import { Page } from '../common/pagination';
import { IncidentStore } from '../incident/incident-store';
import { InvestigationNote } from './entities/investigation-note.entity';
import { PlanStep } from './entities/plan-step.entity';
import { PlanStepEvent } from './entities/plan-step-event.entity';
import { ScopeRevision } from './entities/scope-revision.entity';

export interface PlanStepWithHistory {
  step: PlanStep;
  events: PlanStepEvent[];
}

/** Read side of the investigation, with the incident's confidentiality applied. */
@Injectable()
export class InvestigationQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: IncidentStore,
  ) {}

  async scope(idOrReference: string, actor: Actor): Promise<ScopeRevision[]> {
    const { id } = await this.store.get(this.db.manager, idOrReference, actor);
    return this.db
      .getRepository(ScopeRevision)
      .find({ where: { incidentId: id }, order: { revision: 'ASC' } });
  }

  async plan(idOrReference: string, actor: Actor): Promise<PlanStepWithHistory[]> {
    const { id } = await this.store.get(this.db.manager, idOrReference, actor);
    return this.loadPlan(this.db.manager, id);
  }

  /** The plan in order, each step with its history; no visibility check (callers have done it). */
  async loadPlan(em: EntityManager, incidentId: string): Promise<PlanStepWithHistory[]> {
    const steps = await em
      .getRepository(PlanStep)
      .find({ where: { incidentId }, relations: { owner: true }, order: { position: 'ASC' } });
    const events = await em
      .getRepository(PlanStepEvent)
      .find({ where: { incidentId }, order: { id: 'ASC' } });
    return steps.map((step) => ({ step, events: events.filter((e) => e.stepId === step.id) }));
  }

  async loadStep(em: EntityManager, stepId: string): Promise<PlanStepWithHistory> {
    const step = await em
      .getRepository(PlanStep)
      .findOneOrFail({ where: { id: stepId }, relations: { owner: true } });
    const events = await em.getRepository(PlanStepEvent).find({ where: { stepId }, order: { id: 'ASC' } });
    return { step, events };
  }

  async notes(
    idOrReference: string,
    actor: Actor,
    limit: number,
    offset: number,
  ): Promise<Page<InvestigationNote>> {
    const { id } = await this.store.get(this.db.manager, idOrReference, actor);
    const [items, total] = await this.db.getRepository(InvestigationNote).findAndCount({
      where: { incidentId: id },
      order: { at: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }
}
