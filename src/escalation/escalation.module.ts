import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { IncidentModule } from '../incident/incident.module';
import { EscalationController } from './escalation.controller';
import { EscalationService } from './escalation.service';
import { EscalationTicks } from './escalation-ticks';
import { TargetsReportController } from './targets-report.controller';
import { TargetsReportQueries } from './targets-report.queries';

/** Severity targets and the escalation chain. */
@Module({
  imports: [IncidentModule, DeliveryModule],
  controllers: [EscalationController, TargetsReportController],
  providers: [EscalationService, EscalationTicks, TargetsReportQueries],
  exports: [EscalationService],
})
export class EscalationModule {}
