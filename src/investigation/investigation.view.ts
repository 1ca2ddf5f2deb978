import { ApiProperty } from '@nestjs/swagger';
import { StaffRef } from '../incident/incident.view';
import { allowedStepTransitions, PLAN_STEP_STATUSES, PlanStepStatus } from './domain/plan-step-status';
import { InvestigationNote } from './entities/investigation-note.entity';
import { PlanStep } from './entities/plan-step.entity';
import { PlanStepEvent } from './entities/plan-step-event.entity';
import { ScopeRevision } from './entities/scope-revision.entity';

export class ActorRef {
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) id: string | null;
  @ApiProperty() name: string;
}

export class ScopeRevisionView {
  @ApiProperty({ minimum: 1 }) revision: number;
  @ApiProperty({ type: [String], format: 'uuid' }) serviceIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) customerIds: string[];
  @ApiProperty({ nullable: true, type: String }) transactions: string | null;
  @ApiProperty({ nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) symptoms: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: ActorRef }) actor: ActorRef;

  static of(r: ScopeRevision): ScopeRevisionView {
    return {
      revision: r.revision,
      serviceIds: r.serviceIds,
      customerIds: r.customerIds,
      transactions: r.transactions,
      startedAt: r.startedAt,
      symptoms: r.symptoms,
      createdAt: r.createdAt,
      actor: { id: r.actorId, name: r.actorName },
    };
  }
}

export class ScopeView {
  @ApiProperty({ type: ScopeRevisionView, nullable: true, description: 'The latest revision' })
  current: ScopeRevisionView | null;
  @ApiProperty({ type: [ScopeRevisionView], description: 'Every revision, oldest first' })
  revisions: ScopeRevisionView[];

  static of(revisions: ScopeRevision[]): ScopeView {
    const views = revisions.map(ScopeRevisionView.of);
    return { current: views.at(-1) ?? null, revisions: views };
  }
}

export class PlanStepEventView {
  @ApiProperty() id: string;
  @ApiProperty() at: Date;
  @ApiProperty({ type: ActorRef }) actor: ActorRef;
  @ApiProperty({ enum: PLAN_STEP_STATUSES, nullable: true, description: 'null when the step was added' })
  fromStatus: PlanStepStatus | null;
  @ApiProperty({
    enum: PLAN_STEP_STATUSES,
    nullable: true,
    description: 'null when the status did not change',
  })
  toStatus: PlanStepStatus | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '{field: {from, to}}' })
  changes: Record<string, { from: unknown; to: unknown }>;
  @ApiProperty({ nullable: true, type: String }) note: string | null;

  static of(e: PlanStepEvent): PlanStepEventView {
    return {
      id: e.id,
      at: e.at,
      actor: { id: e.actorId, name: e.actorName },
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      changes: e.changes,
      note: e.note,
    };
  }
}

export class PlanStepView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ minimum: 1 }) position: number;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: StaffRef, nullable: true }) owner: StaffRef | null;
  @ApiProperty({ enum: PLAN_STEP_STATUSES }) status: PlanStepStatus;
  @ApiProperty({ enum: PLAN_STEP_STATUSES, isArray: true, description: 'Statuses the step may move to' })
  allowedStatuses: PlanStepStatus[];
  @ApiProperty({ nullable: true, type: Date }) eta: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ type: [PlanStepEventView], description: 'Every change, oldest first' })
  history: PlanStepEventView[];

  static of(step: PlanStep, events: PlanStepEvent[]): PlanStepView {
    return {
      id: step.id,
      position: step.position,
      title: step.title,
      description: step.description,
      owner: step.ownerId
        ? { id: step.ownerId, name: step.owner?.name ?? '', email: step.owner?.email ?? '' }
        : null,
      status: step.status,
      allowedStatuses: [...allowedStepTransitions(step.status)],
      eta: step.eta,
      createdAt: step.createdAt,
      updatedAt: step.updatedAt,
      history: events.filter((e) => e.stepId === step.id).map(PlanStepEventView.of),
    };
  }
}

export class InvestigationNoteView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() at: Date;
  @ApiProperty({ type: ActorRef }) actor: ActorRef;
  @ApiProperty() text: string;

  static of(n: InvestigationNote): InvestigationNoteView {
    return { id: n.id, at: n.at, actor: { id: n.actorId, name: n.actorName }, text: n.text };
  }
}
