import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ApiPageResponse, Page } from '../common/pagination';
import {
  ChangeSupportRequestStatusDto,
  CreateSupportRequestDto,
  LinkSupportRequestDto,
  ReplyToSupportRequestDto,
  SupportRequestQuery,
  TriageSupportRequestDto,
} from './support-request.dto';
import { SupportReplyView, SupportRequestDetailView, SupportRequestView } from './support-request.view';
import { SupportRequestQueries } from './support-request-queries';
import { ChangeSupportRequestStatus } from './use-cases/change-support-request-status.use-case';
import { CreateSupportRequest } from './use-cases/create-support-request.use-case';
import { LinkSupportRequest } from './use-cases/link-support-request.use-case';
import { ReplyToSupportRequest } from './use-cases/reply-to-support-request.use-case';
import { TriageSupportRequest } from './use-cases/triage-support-request.use-case';

const REF_PARAM = { name: 'ref', description: 'Support request reference (SR-2026-000042) or id (UUID)' };

@ApiTags('support requests')
@ApiBearerAuth()
@Controller('api/v1/support-requests')
export class SupportRequestsController {
  constructor(
    private readonly queries: SupportRequestQueries,
    private readonly createRequest: CreateSupportRequest,
    private readonly triageRequest: TriageSupportRequest,
    private readonly changeStatus: ChangeSupportRequestStatus,
    private readonly replyToRequest: ReplyToSupportRequest,
    private readonly links: LinkSupportRequest,
  ) {}

  @Post()
  @Roles('support', 'commander')
  @ApiOperation({ summary: 'Record a request; returns its reference and mails the confirmation' })
  async create(
    @Body() body: CreateSupportRequestDto,
    @CurrentActor() actor: Actor,
  ): Promise<SupportRequestView> {
    return SupportRequestView.of(await this.createRequest.execute(body, actor));
  }

  @Get()
  @ApiOperation({ summary: 'List support requests, newest first' })
  @ApiPageResponse(SupportRequestView)
  async list(
    @Query() query: SupportRequestQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<SupportRequestView>> {
    const page = await this.queries.list(query, actor);
    return { ...page, items: page.items.map(SupportRequestView.of) };
  }

  @Get(':ref')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'A support request with its replies and history' })
  @ApiOkResponse({ type: SupportRequestDetailView })
  async get(@Param('ref') ref: string, @CurrentActor() actor: Actor): Promise<SupportRequestDetailView> {
    const { request, replies, events } = await this.queries.detail(ref, actor);
    return SupportRequestDetailView.detail(request, replies, events);
  }

  @Post(':ref/triage')
  @HttpCode(200)
  @Roles('support', 'commander')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Validate: severity (targets recomputed), priority, team' })
  async triage(
    @Param('ref') ref: string,
    @Body() body: TriageSupportRequestDto,
    @CurrentActor() actor: Actor,
  ): Promise<SupportRequestView> {
    return SupportRequestView.of(await this.triageRequest.execute(ref, body, actor));
  }

  @Post(':ref/status')
  @HttpCode(200)
  @Roles('support', 'commander')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Start work (in_progress) or close an answered request' })
  async status(
    @Param('ref') ref: string,
    @Body() body: ChangeSupportRequestStatusDto,
    @CurrentActor() actor: Actor,
  ): Promise<SupportRequestView> {
    return SupportRequestView.of(await this.changeStatus.execute(ref, body, actor));
  }

  @Post(':ref/replies')
  @Roles('support', 'commander')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Answer the requester: recorded, mailed; the first reply is the first response' })
  async reply(
    @Param('ref') ref: string,
    @Body() body: ReplyToSupportRequestDto,
    @CurrentActor() actor: Actor,
  ): Promise<SupportReplyView> {
    return SupportReplyView.of((await this.replyToRequest.execute(ref, body.body, actor)).reply);
  }

  @Post(':ref/link')
  @HttpCode(200)
  @Roles('support', 'commander')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Link the request to the incident that explains it' })
  async link(
    @Param('ref') ref: string,
    @Body() body: LinkSupportRequestDto,
    @CurrentActor() actor: Actor,
  ): Promise<SupportRequestView> {
    return SupportRequestView.of(await this.links.link(ref, body.incidentId, actor));
  }

  @Post(':ref/unlink')
  @HttpCode(200)
  @Roles('support', 'commander')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Remove the link to its incident' })
  async unlink(@Param('ref') ref: string, @CurrentActor() actor: Actor): Promise<SupportRequestView> {
    return SupportRequestView.of(await this.links.unlink(ref, actor));
  }
}
