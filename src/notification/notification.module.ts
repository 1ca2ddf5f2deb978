import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { IncidentModule } from '../incident/incident.module';
import { ImpactService } from './impact.service';
import { NoticeSender } from './notice-sender';
import { NoticesService } from './notices.service';
import { NotificationTicks } from './notification-ticks';
import { NotificationsController } from './notifications.controller';
import { SlaQueries } from './sla.queries';
import { StaffAlerts } from './staff-alerts';

/** The customer-notification team: impact assessment, notices, cadence, SLA. */
@Module({
  imports: [IncidentModule, DeliveryModule],
  controllers: [NotificationsController],
  providers: [ImpactService, NoticeSender, NoticesService, NotificationTicks, SlaQueries, StaffAlerts],
  exports: [NotificationTicks, StaffAlerts],
})
export class NotificationModule {}
