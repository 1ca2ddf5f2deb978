import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ApiErrors } from '../common/api-errors';
import { ApiPageResponse, ApiWholeListResponse, Page, PageQuery } from '../common/pagination';
import { UuidParam } from '../common/uuid-param';
import {
  AddParticipantDto,
  CloseIncidentDto,
  DeclareIncidentDto,
  IncidentQuery,
  ResolveIncidentDto,
  UpdateIncidentDto,
} from './incident.dto';
import { IncidentView, ParticipantView, TimelineEntryView } from './incident.view';
import { IncidentQueries } from './incident-queries';
import { CloseIncident } from './use-cases/close-incident.use-case';
import { DeclareIncident } from './use-cases/declare-incident.use-case';
import { ManageParticipants } from './use-cases/manage-participants.use-case';
import { ResolveIncident } from './use-cases/resolve-incident.use-case';
import { UpdateIncident } from './use-cases/update-incident.use-case';

const ID_PARAM = { name: 'id', description: 'Incident id (UUID) or reference (INC-2026-00042)' };

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(
    private readonly queries: IncidentQueries,
    private readonly declareIncident: DeclareIncident,
    private readonly updateIncident: UpdateIncident,
    private readonly resolveIncident: ResolveIncident,
    private readonly closeIncident: CloseIncident,
    private readonly participants: ManageParticipants,
  ) {}

  @Post()
  @Roles('commander')
  @ApiOperation({ summary: 'Declare an incident; severity targets are computed from now' })
  async declare(@Body() body: DeclareIncidentDto, @CurrentActor() actor: Actor): Promise<IncidentView> {
    return this.declareIncident.execute(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List incidents, newest first (confidential ones only for their participants)' })
  @ApiPageResponse(IncidentView)
  async list(@Query() query: IncidentQuery, @CurrentActor() actor: Actor): Promise<Page<IncidentView>> {
    return this.queries.list(query, actor);
  }

  @Get(':id')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Get an incident' })
  @ApiOkResponse({ type: IncidentView })
  async get(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<IncidentView> {
    return this.queries.view(id, actor);
  }

  @Patch(':id')
  @Roles('commander')
  @ApiErrors({ 409: ['incident.closed', 'incident.not_open', 'incident.illegal_transition'] })
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Edit title, summary, severity, working status, services or commander' })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateIncidentDto,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentView> {
    return this.updateIncident.execute(id, body, actor);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Resolve: the service is restored' })
  async resolve(
    @Param('id') id: string,
    @Body() body: ResolveIncidentDto,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentView> {
    return this.resolveIncident.execute(id, body.summary, body.customerMessage ?? null, actor);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Close after the approved post-mortem (admins: with a reason, without one)' })
  async close(
    @Param('id') id: string,
    @Body() body: CloseIncidentDto,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentView> {
    return this.closeIncident.execute(id, body.reason, actor);
  }

  @Get(':id/timeline')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'The append-only record of everything that happened, oldest first' })
  @ApiPageResponse(TimelineEntryView)
  async timeline(
    @Param('id') id: string,
    @Query() page: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<TimelineEntryView>> {
    const result = await this.queries.timeline(id, actor, page.limit, page.offset);
    return { ...result, items: result.items.map(TimelineEntryView.of) };
  }

  @Get(':id/participants')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Everyone who is or was on the incident, with their role' })
  @ApiWholeListResponse(ParticipantView, 'the team of one incident, each staff member added by hand')
  async listParticipants(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ParticipantView[]> {
    return (await this.queries.participants(id, actor)).map(ParticipantView.of);
  }

  @Post(':id/participants')
  @Roles('commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Add a staff member to the incident with a role' })
  async addParticipant(
    @Param('id') id: string,
    @Body() body: AddParticipantDto,
    @CurrentActor() actor: Actor,
  ): Promise<ParticipantView> {
    return ParticipantView.of(await this.participants.add(id, body, actor));
  }

  @Delete(':id/participants/:participantId')
  @Roles('commander')
  @ApiErrors({ 409: ['incident.closed', 'participant.already_left', 'participant.is_commander'] })
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'A participant leaves the incident (kept in the history)' })
  async removeParticipant(
    @Param('id') id: string,
    @UuidParam('participantId') participantId: string,
    @CurrentActor() actor: Actor,
  ): Promise<ParticipantView> {
    return ParticipantView.of(await this.participants.remove(id, participantId, actor));
  }
}
