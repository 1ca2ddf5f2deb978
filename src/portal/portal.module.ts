import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { RcaModule } from '../postmortem/rca/rca.module';
import { RcaRequestsModule } from '../postmortem/rca-requests/rca-requests.module';
import { SupportModule } from '../support/support.module';
import { FormNonces } from './form-nonce';
import { PortalController } from './portal.controller';
import { PortalQueries } from './portal.queries';
import { PortalViews } from './portal-views';

/**
 * The customer portal (/portal/<signed link>): a contact's view of the incidents that impacted
 * its customer, with RCA copy requests, escalations and support requests made from it.
 */
@Module({
  imports: [RcaModule, RcaRequestsModule, EscalationModule, SupportModule],
  controllers: [PortalController],
  providers: [PortalQueries, PortalViews, FormNonces],
})
export class PortalModule {}
