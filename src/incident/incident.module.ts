import { Module } from '@nestjs/common';
import { CatalogueService } from './catalogue/catalogue.service';
import { CustomersController } from './catalogue/customers.controller';
import { ServicesController } from './catalogue/services.controller';
import { IncidentLifecycle } from './incident-lifecycle';
import { IncidentQueries } from './incident-queries';
import { IncidentStore } from './incident-store';
import { IncidentsController } from './incidents.controller';
import { CloseIncident } from './use-cases/close-incident.use-case';
import { DeclareIncident } from './use-cases/declare-incident.use-case';
import { ManageParticipants } from './use-cases/manage-participants.use-case';
import { ResolveIncident } from './use-cases/resolve-incident.use-case';
import { UpdateIncident } from './use-cases/update-incident.use-case';

/** The shared aggregate: catalogue, incidents, participants and the timeline. */
@Module({
  controllers: [ServicesController, CustomersController, IncidentsController],
  providers: [
    CatalogueService,
    IncidentLifecycle,
    IncidentStore,
    IncidentQueries,
    DeclareIncident,
    UpdateIncident,
    ResolveIncident,
    CloseIncident,
    ManageParticipants,
  ],
  exports: [
    CatalogueService,
    IncidentLifecycle,
    IncidentStore,
    IncidentQueries,
    ManageParticipants,
    DeclareIncident,
  ],
})
export class IncidentModule {}
