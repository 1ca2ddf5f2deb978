import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { DeclareFromSupportRequestsDto } from './support-request.dto';
import { DeclaredFromSupportRequestsView, SupportRequestView } from './support-request.view';
import { DeclareIncidentFromSupportRequests } from './use-cases/declare-incident-from-support-requests.use-case';

@ApiTags('support requests')
@ApiBearerAuth()
@Controller('api/v1/incidents')
export class IncidentsFromSupportRequestsController {
  constructor(private readonly declare: DeclareIncidentFromSupportRequests) {}

  /** Declaring an incident is a commander's act, as with POST /incidents. */
  @Post('from-support-requests')
  @Roles('commander')
  @ApiOperation({
    summary: 'Declare an incident from linked support requests; their customers are proposed as impacted',
  })
  async declareFrom(
    @Body() body: DeclareFromSupportRequestsDto,
    @CurrentActor() actor: Actor,
  ): Promise<DeclaredFromSupportRequestsView> {
    const result = await this.declare.execute(body, actor);
    return {
      incident: result.incident,
      supportRequests: result.requests.map(SupportRequestView.of),
      proposedCustomers: result.proposedCustomers,
    };
  }
}
