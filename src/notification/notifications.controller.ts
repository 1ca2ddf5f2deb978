import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ApiPageResponse, Page, PageQuery } from '../common/pagination';
import { ApiErrors } from '../common/api-errors';
import { UuidParam } from '../common/uuid-param';
import { IncidentView } from '../incident/incident.view';
import { IncidentQueries } from '../incident/incident-queries';
import { ImpactService } from './impact.service';
import { IncidentImpactView, IncidentSlaView } from './impact.view';
import {
  AdjustImpactDto,
  CadenceDto,
  DeliveryQuery,
  DeliveryView,
  NoticeTextsDto,
  NotificationView,
  PostUpdateDto,
} from './notification.dto';
import { NoticesService } from './notices.service';
import { SlaQueries } from './sla.queries';

const ID_PARAM = { name: 'id', description: 'Incident id (UUID) or reference (INC-2026-00042)' };

/** The customer-notification team's API: impact, notices, updates, and the proof. */
@ApiTags('notification')
@ApiBearerAuth()
@ApiParam(ID_PARAM)
@Controller('api/v1/incidents/:id')
export class NotificationsController {
  constructor(
    private readonly impact: ImpactService,
    private readonly notices: NoticesService,
    private readonly sla: SlaQueries,
    private readonly incidents: IncidentQueries,
  ) {}

  @Get('impact')
  @ApiOperation({
    summary: 'Impacted customers: the preview before definition, the frozen set with clocks after',
  })
  @ApiOkResponse({ type: IncidentImpactView })
  view(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<IncidentImpactView> {
    return this.impact.view(id, actor);
  }

  @Post('impact')
  @HttpCode(200)
  @Roles('commander', 'notifier')
  @ApiOperation({
    summary: 'Define impact: freeze the impacted set, start the 20/30-minute clock, draft the first notice',
  })
  @ApiOkResponse({ type: IncidentImpactView })
  define(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<IncidentImpactView> {
    return this.impact.define(id, actor);
  }

  @Post('impact/adjustments')
  @HttpCode(200)
  @Roles('commander', 'notifier')
  @ApiOperation({ summary: 'Add or remove a customer by hand, with a reason (after definition: add only)' })
  @ApiOkResponse({ type: IncidentImpactView })
  adjust(
    @Param('id') id: string,
    @Body() body: AdjustImpactDto,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentImpactView> {
    return this.impact.adjust(id, body, actor);
  }

  @Get('notifications')
  @ApiOperation({ summary: 'Notices of the incident, in order' })
  @ApiPageResponse(NotificationView)
  async list(
    @Param('id') id: string,
    @Query() page: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<NotificationView>> {
    const result = await this.notices.list(id, actor, page);
    return { ...result, items: result.items.map(NotificationView.of) };
  }

  @Post('notifications')
  @Roles('commander', 'notifier')
  @ApiOperation({ summary: 'Draft a status update to edit and approve' })
  async draft(
    @Param('id') id: string,
    @Body() body: NoticeTextsDto,
    @CurrentActor() actor: Actor,
  ): Promise<NotificationView> {
    return NotificationView.of(await this.notices.draftUpdate(id, body, actor));
  }

  @Put('notifications/:notificationId')
  @Roles('commander', 'notifier')
  @ApiErrors({ 409: ['incident.not_open', 'impact.not_defined', 'notification.not_draft'] })
  @ApiOperation({ summary: 'Edit a draft notice (customer-facing texts)' })
  async edit(
    @Param('id') id: string,
    @UuidParam('notificationId') notificationId: string,
    @Body() body: NoticeTextsDto,
    @CurrentActor() actor: Actor,
  ): Promise<NotificationView> {
    return NotificationView.of(await this.notices.editDraft(id, notificationId, body, actor));
  }

  @Post('notifications/:notificationId/approve')
  @HttpCode(200)
  @Roles('commander', 'notifier')
  @ApiOperation({ summary: 'Approve a draft notice: it is sent to every impacted contact' })
  async approve(
    @Param('id') id: string,
    @UuidParam('notificationId') notificationId: string,
    @CurrentActor() actor: Actor,
  ): Promise<NotificationView> {
    return NotificationView.of(await this.notices.approve(id, notificationId, actor));
  }

  @Post('updates')
  @Roles('commander', 'notifier')
  @ApiOperation({ summary: 'Write and send a status update to the impacted contacts' })
  async postUpdate(
    @Param('id') id: string,
    @Body() body: PostUpdateDto,
    @CurrentActor() actor: Actor,
  ): Promise<NotificationView> {
    return NotificationView.of(await this.notices.postUpdate(id, body, actor));
  }

  @Put('cadence')
  @Roles('commander')
  @ApiErrors({ 409: ['incident.not_open'] })
  @ApiOperation({
    summary: "Override the incident's status-update cadence (null: back to the severity default)",
  })
  async cadence(
    @Param('id') id: string,
    @Body() body: CadenceDto,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentView> {
    await this.notices.setCadence(id, body.minutes, actor);
    return this.incidents.view(id, actor);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'The delivery ledger of the incident (filter by status, kind, customer)' })
  @ApiPageResponse(DeliveryView)
  async deliveries(
    @Param('id') id: string,
    @Query() query: DeliveryQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<DeliveryView>> {
    const page = await this.sla.deliveries(id, actor, query);
    return { ...page, items: page.items.map(DeliveryView.of) };
  }

  @Get('sla')
  @ApiOperation({
    summary: 'Per impacted customer: first notice accepted before target / before deadline / late / pending',
  })
  @ApiOkResponse({ type: IncidentSlaView })
  slaReport(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<IncidentSlaView> {
    return this.sla.sla(id, actor);
  }
}
