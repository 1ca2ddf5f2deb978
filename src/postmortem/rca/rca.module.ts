import { Module } from '@nestjs/common';
import { IncidentModule } from '../../incident/incident.module';
import { PostmortemModule } from '../postmortem.module';
import { RcaCustomerEdition, RcaPublication } from '../rca-publication';
import { RcaController } from './rca.controller';
import { RcaDocuments } from './rca-documents';
import { RcaRenderer } from './rca-renderer';
import { RcaReports } from './rca-reports.service';

/**
 * The RCA report: versions generated from the approved analysis, published to customers,
 * rendered to HTML, PDF and Markdown in an internal and a customer edition. Exports the
 * publication hook and the customer edition for the RCA copy requests.
 */
@Module({
  imports: [IncidentModule, PostmortemModule],
  controllers: [RcaController],
  providers: [
    RcaPublication,
    RcaRenderer,
    RcaReports,
    RcaDocuments,
    { provide: RcaCustomerEdition, useExisting: RcaDocuments },
  ],
  exports: [RcaPublication, RcaCustomerEdition],
})
export class RcaModule {}
