import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../auth/roles';
import { ApiPageResponse, ApiWholeListResponse } from '../../common/pagination';
import { UuidParam } from '../../common/uuid-param';
import { RcaGrants } from './rca-grants';
import { RcaRequestQueries } from './rca-request-queries';
import { CreateRcaGrantDto, CreateRcaRequestDto, RcaRequestQuery } from './rca-requests.dto';
import { RcaGrantView, RcaRequestDetailView, RcaRequestPage, RcaRequestView } from './rca-request.view';
import { RequestRcaCopy } from './request-rca-copy.use-case';

const INCIDENT_PARAM = { name: 'id', description: 'Incident id (UUID) or reference (INC-2026-00042)' };

@ApiTags('RCA copies')
@ApiBearerAuth()
@Controller('api/v1/rca-requests')
export class RcaRequestsController {
  constructor(
    private readonly requestCopy: RequestRcaCopy,
    private readonly queries: RcaRequestQueries,
  ) {}

  @Post()
  @Roles('support')
  @ApiOperation({
    summary: "Record a customer's request for an RCA copy (phone or e-mail); decided at once",
    description:
      'Entitled (impacted or granted customer): fulfilled now if the RCA is published, else waiting for the ' +
      'publication. Otherwise refused with reason not_entitled, the same answer whether or not the incident exists.',
  })
  async create(@Body() body: CreateRcaRequestDto, @CurrentActor() actor: Actor): Promise<RcaRequestView> {
    const { channel, ...input } = body;
    const request = await this.requestCopy.execute(input, { channel, recordedBy: actor });
    return RcaRequestView.of(await this.queries.visibleTo(request, actor));
  }

  @Get()
  @Roles('support', 'postmortem')
  @ApiOperation({ summary: 'List RCA copy requests, newest first' })
  @ApiPageResponse(RcaRequestView)
  async list(@Query() query: RcaRequestQuery, @CurrentActor() actor: Actor): Promise<RcaRequestPage> {
    const page = await this.queries.list(query, actor);
    return { ...page, items: page.items.map(RcaRequestView.of) };
  }

  @Get(':id')
  @Roles('support', 'postmortem')
  @ApiOperation({ summary: 'An RCA copy request with each version sent and its delivery' })
  @ApiOkResponse({ type: RcaRequestDetailView })
  async get(@UuidParam() id: string, @CurrentActor() actor: Actor): Promise<RcaRequestDetailView> {
    const { request, copies } = await this.queries.detail(id, actor);
    return RcaRequestDetailView.detail(request, copies);
  }
}

@ApiTags('RCA copies')
@ApiBearerAuth()
@Controller('api/v1/incidents/:id/rca/grants')
export class RcaGrantsController {
  constructor(private readonly grants: RcaGrants) {}

  @Post()
  @Roles('admin')
  @ApiParam(INCIDENT_PARAM)
  @ApiOperation({ summary: 'Entitle a customer that was not impacted to RCA copies of this incident' })
  async grant(
    @Param('id') id: string,
    @Body() body: CreateRcaGrantDto,
    @CurrentActor() actor: Actor,
  ): Promise<RcaGrantView> {
    return RcaGrantView.of(await this.grants.grant(id, body, actor));
  }

  @Get()
  @Roles('admin')
  @ApiParam(INCIDENT_PARAM)
  @ApiOperation({ summary: "The incident's RCA grants, revoked ones included" })
  @ApiWholeListResponse(
    RcaGrantView,
    'the grants of one incident, made by admins one customer at a time (at most one in force per customer)',
  )
  async list(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<RcaGrantView[]> {
    return (await this.grants.list(id, actor)).map(RcaGrantView.of);
  }

  @Delete(':grantId')
  @Roles('admin')
  @ApiParam(INCIDENT_PARAM)
  @ApiOperation({ summary: 'Revoke a grant (kept as a record); requests already fulfilled stay so' })
  async revoke(
    @Param('id') id: string,
    @UuidParam('grantId') grantId: string,
    @CurrentActor() actor: Actor,
  ): Promise<RcaGrantView> {
    return RcaGrantView.of(await this.grants.revoke(id, grantId, actor));
  }
}
