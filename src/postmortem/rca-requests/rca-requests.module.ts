import { Module } from '@nestjs/common';
import { DeliveryModule } from '../../delivery/delivery.module';
import { IncidentModule } from '../../incident/incident.module';
import { RcaModule } from '../rca/rca.module';
import { RcaCopyMailer } from './rca-copy-mailer';
import { RcaEntitlement } from './rca-entitlement';
import { RcaFulfilment } from './rca-fulfilment';
import { RcaGrants } from './rca-grants';
import { RcaLinkController } from './rca-link.controller';
import { RcaRequestQueries } from './rca-request-queries';
import { RcaGrantsController, RcaRequestsController } from './rca-requests.controller';
import { RequestRcaCopy } from './request-rca-copy.use-case';

/**
 * Customers' RCA copy requests: entitlement, grants, fulfilment on publication (waiting
 * requests, corrections, proactive sends), the mail with the PDF and the signed link.
 * `RequestRcaCopy` is exported for the customer portal (channel `portal`).
 */
@Module({
  imports: [RcaModule, IncidentModule, DeliveryModule],
  controllers: [RcaRequestsController, RcaGrantsController, RcaLinkController],
  providers: [RcaEntitlement, RcaCopyMailer, RequestRcaCopy, RcaFulfilment, RcaGrants, RcaRequestQueries],
  exports: [RequestRcaCopy, RcaEntitlement],
})
export class RcaRequestsModule {}
