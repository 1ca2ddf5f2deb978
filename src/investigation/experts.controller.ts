import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ApiWholeListResponse } from '../common/pagination';
import { UuidParam } from '../common/uuid-param';
import { ParticipantView } from '../incident/incident.view';
import { IncidentQueries } from '../incident/incident-queries';
import { ManageParticipants } from '../incident/use-cases/manage-participants.use-case';
import { ID_PARAM } from './investigation.controller';
import { AddExpertDto } from './investigation.dto';

/**
 * Gathering subject-matter experts. Experts are participants of the incident, managed by the
 * incident's own use case, because participation decides who sees a confidential incident.
 */
@ApiTags('investigation')
@ApiBearerAuth()
@Controller('api/v1/incidents/:id/experts')
export class ExpertsController {
  constructor(
    private readonly incidents: IncidentQueries,
    private readonly participants: ManageParticipants,
  ) {}

  @Get()
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'The incident team: everyone who is or was on it, with role, domain and times' })
  @ApiWholeListResponse(ParticipantView, 'the team of one incident, each staff member added by hand')
  async list(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ParticipantView[]> {
    return (await this.incidents.participants(id, actor)).map(ParticipantView.of);
  }

  @Post()
  @Roles('investigator', 'commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Bring in an expert: investigation lead, SME (with a domain) or communications lead',
  })
  async add(
    @Param('id') id: string,
    @Body() body: AddExpertDto,
    @CurrentActor() actor: Actor,
  ): Promise<ParticipantView> {
    return ParticipantView.of(await this.participants.add(id, body, actor));
  }

  @Delete(':participantId')
  @Roles('investigator', 'commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'An expert leaves the incident (kept in the history)' })
  async remove(
    @Param('id') id: string,
    @UuidParam('participantId') participantId: string,
    @CurrentActor() actor: Actor,
  ): Promise<ParticipantView> {
    return ParticipantView.of(await this.participants.remove(id, participantId, actor));
  }
}
