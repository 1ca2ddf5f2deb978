import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { IncidentModule } from '../incident/incident.module';
import { IncidentsFromSupportRequestsController } from './incidents-from-support-requests.controller';
import { SupportMail } from './support-mail';
import { SupportRequestQueries } from './support-request-queries';
import { SupportRequestStore } from './support-request-store';
import { SupportRequestsController } from './support-requests.controller';
import { ChangeSupportRequestStatus } from './use-cases/change-support-request-status.use-case';
import { CreateSupportRequest } from './use-cases/create-support-request.use-case';
import { DeclareIncidentFromSupportRequests } from './use-cases/declare-incident-from-support-requests.use-case';
import { LinkSupportRequest } from './use-cases/link-support-request.use-case';
import { ReplyToSupportRequest } from './use-cases/reply-to-support-request.use-case';
import { TriageSupportRequest } from './use-cases/triage-support-request.use-case';

/** Support requests: intake with reference numbers, triage, replies to the requester, links to incidents. */
@Module({
  imports: [IncidentModule, DeliveryModule],
  controllers: [SupportRequestsController, IncidentsFromSupportRequestsController],
  providers: [
    SupportRequestStore,
    SupportRequestQueries,
    SupportMail,
    CreateSupportRequest,
    TriageSupportRequest,
    ChangeSupportRequestStatus,
    ReplyToSupportRequest,
    LinkSupportRequest,
    DeclareIncidentFromSupportRequests,
  ],
  exports: [SupportRequestStore, SupportRequestQueries, CreateSupportRequest],
})
export class SupportModule {}
