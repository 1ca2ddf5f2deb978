import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { IncidentModule } from '../incident/incident.module';
import { ActionItemsController, IncidentActionItemsController } from './actions/action-items.controller';
import { ActionItems } from './actions/action-items.service';
import { ActionReminderTicks } from './actions/action-reminder-ticks';
import { AnalysisAccess } from './analysis/analysis-access';
import { AnalysisController } from './analysis/analysis.controller';
import { AnalysisReader } from './analysis/analysis-reader';
import { EditAnalysis } from './analysis/edit-analysis.use-case';
import { MoveAnalysis } from './analysis/move-analysis.use-case';
import { PostmortemRecord } from './analysis/postmortem-record';

/**
 * The post-mortem team: the major problem analysis of a resolved incident and its action plan,
 * with reminders to the owners of overdue items. Exports PostmortemRecord for the RCA report.
 */
@Module({
  imports: [IncidentModule, DeliveryModule],
  controllers: [AnalysisController, IncidentActionItemsController, ActionItemsController],
  providers: [
    PostmortemRecord,
    AnalysisAccess,
    AnalysisReader,
    EditAnalysis,
    MoveAnalysis,
    ActionItems,
    ActionReminderTicks,
  ],
  exports: [PostmortemRecord],
})
export class PostmortemModule {}
