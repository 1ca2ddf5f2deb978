import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ApiPageResponse, ApiWholeListResponse, Page, PageQuery } from '../common/pagination';
import { IncidentView } from '../incident/incident.view';
import { IncidentQueries } from '../incident/incident-queries';
import { ChainLevelView, EscalateDto, EscalationView, ReplaceChainDto } from './escalation.dto';
import { EscalationService } from './escalation.service';

/** Why the chain is answered whole: ReplaceChainDto caps it (see ApiWholeListResponse). */
const CHAIN_LIST = 'the chain has at most 20 levels (PUT /escalation-chain refuses more)';
const ID_PARAM = { name: 'id', description: 'Incident id (UUID) or reference (INC-2026-00042)' };

@ApiTags('escalation')
@ApiBearerAuth()
@Controller('api/v1')
export class EscalationController {
  constructor(
    private readonly escalations: EscalationService,
    private readonly incidents: IncidentQueries,
  ) {}

  @Get('escalation-chain')
  @ApiOperation({ summary: 'The escalation chain, level 1 first (handbook annex A)' })
  @ApiWholeListResponse(ChainLevelView, CHAIN_LIST)
  async chain(): Promise<ChainLevelView[]> {
    return (await this.escalations.chain()).map(ChainLevelView.of);
  }

  @Put('escalation-chain')
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the escalation chain (levels 1…n, no gaps)' })
  @ApiWholeListResponse(ChainLevelView, CHAIN_LIST)
  async replaceChain(@Body() body: ReplaceChainDto): Promise<ChainLevelView[]> {
    return (await this.escalations.replaceChain(body.levels)).map(ChainLevelView.of);
  }

  @Get('incidents/:id/escalations')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Levels reached by the incident, with who asked and why' })
  @ApiPageResponse(EscalationView)
  async list(
    @Param('id') id: string,
    @Query() page: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<EscalationView>> {
    const result = await this.escalations.list('incident', id, actor, page);
    return { ...result, items: result.items.map(EscalationView.of) };
  }

  @Post('incidents/:id/escalations')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Escalate now to the next level (any staff role; support on a customer’s behalf)',
  })
  async escalate(
    @Param('id') id: string,
    @Body() body: EscalateDto,
    @CurrentActor() actor: Actor,
  ): Promise<EscalationView> {
    return EscalationView.of(await this.escalations.escalateByHand('incident', id, body, actor));
  }

  @Get('support-requests/:ref/escalations')
  @ApiParam({ name: 'ref', description: 'Support request reference (SR-2026-000042) or id' })
  @ApiOperation({ summary: 'Levels reached by the support request' })
  @ApiPageResponse(EscalationView)
  async listForRequest(
    @Param('ref') ref: string,
    @Query() page: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<EscalationView>> {
    const result = await this.escalations.list('support_request', ref, actor, page);
    return { ...result, items: result.items.map(EscalationView.of) };
  }

  @Post('support-requests/:ref/escalations')
  @ApiParam({ name: 'ref', description: 'Support request reference (SR-2026-000042) or id' })
  @ApiOperation({
    summary: 'Escalate a support request now to the next level (support on the customer’s behalf)',
  })
  async escalateRequest(
    @Param('ref') ref: string,
    @Body() body: EscalateDto,
    @CurrentActor() actor: Actor,
  ): Promise<EscalationView> {
    return EscalationView.of(await this.escalations.escalateByHand('support_request', ref, body, actor));
  }

  @Post('incidents/:id/acknowledge')
  @HttpCode(200)
  @Roles('commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'First response without a customer notice (no customer impacted)' })
  async acknowledge(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<IncidentView> {
    await this.escalations.acknowledge(id, actor);
    return this.incidents.view(id, actor);
  }
}
