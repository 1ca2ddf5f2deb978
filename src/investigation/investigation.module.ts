import { Module } from '@nestjs/common';
import { IncidentModule } from '../incident/incident.module';
import { ExpertsController } from './experts.controller';
import { InvestigationController } from './investigation.controller';
import { InvestigationQueries } from './investigation-queries';
import { PlanController } from './plan.controller';
import { AddInvestigationNote } from './use-cases/add-investigation-note.use-case';
import { AddPlanStep } from './use-cases/add-plan-step.use-case';
import { MovePlanStep } from './use-cases/move-plan-step.use-case';
import { ReviseScope } from './use-cases/revise-scope.use-case';
import { UpdatePlanStep } from './use-cases/update-plan-step.use-case';

/** The investigation & resolution team: scope, experts, the resolution plan and its execution, notes. */
@Module({
  imports: [IncidentModule],
  controllers: [InvestigationController, ExpertsController, PlanController],
  providers: [
    InvestigationQueries,
    ReviseScope,
    AddPlanStep,
    UpdatePlanStep,
    MovePlanStep,
    AddInvestigationNote,
  ],
})
export class InvestigationModule {}
