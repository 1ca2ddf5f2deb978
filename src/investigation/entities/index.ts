import { InvestigationNote } from './investigation-note.entity';
import { PlanStep } from './plan-step.entity';
import { PlanStepEvent } from './plan-step-event.entity';
import { ScopeRevision } from './scope-revision.entity';

/** The investigation module's entities, registered in src/database/entities.ts. */
export const INVESTIGATION_ENTITIES = [ScopeRevision, PlanStep, PlanStepEvent, InvestigationNote];
