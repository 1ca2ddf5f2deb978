import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ApiWholeListResponse } from '../common/pagination';
import { UuidParam } from '../common/uuid-param';
import { ID_PARAM } from './investigation.controller';
import { CreatePlanStepDto, MovePlanStepDto, UpdatePlanStepDto } from './investigation.dto';
import { PlanStepView } from './investigation.view';
import { InvestigationQueries, PlanStepWithHistory } from './investigation-queries';
import { AddPlanStep } from './use-cases/add-plan-step.use-case';
import { MovePlanStep } from './use-cases/move-plan-step.use-case';
import { UpdatePlanStep } from './use-cases/update-plan-step.use-case';

const SID_PARAM = { name: 'sid', description: 'Plan step id (UUID)' };
/** Why the plan is answered whole (see ApiWholeListResponse). */
const PLAN_LIST =
  "the steps of one incident's plan, added by hand; their positions 1…n mean something only together";
const view = ({ step, events }: PlanStepWithHistory) => PlanStepView.of(step, events);

/** The resolution plan: ordered steps with owner, status and ETA, and their execution. */
@ApiTags('investigation')
@ApiBearerAuth()
@Controller('api/v1/incidents/:id/plan/steps')
export class PlanController {
  constructor(
    private readonly queries: InvestigationQueries,
    private readonly addStep: AddPlanStep,
    private readonly updateStep: UpdatePlanStep,
    private readonly moveStep: MovePlanStep,
  ) {}

  @Get()
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'The resolution plan in order, each step with its history' })
  @ApiWholeListResponse(PlanStepView, PLAN_LIST)
  async list(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<PlanStepView[]> {
    return (await this.queries.plan(id, actor)).map(view);
  }

  @Post()
  @Roles('investigator', 'commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Add a step to the plan (last, or at a position), to do' })
  async add(
    @Param('id') id: string,
    @Body() body: CreatePlanStepDto,
    @CurrentActor() actor: Actor,
  ): Promise<PlanStepView> {
    return view(await this.addStep.execute(id, body, actor));
  }

  @Patch(':sid')
  @Roles('investigator', 'commander')
  @ApiParam(ID_PARAM)
  @ApiParam(SID_PARAM)
  @ApiOperation({ summary: 'Edit a step, change its status (with a note), or note progress' })
  async update(
    @Param('id') id: string,
    @UuidParam('sid') sid: string,
    @Body() body: UpdatePlanStepDto,
    @CurrentActor() actor: Actor,
  ): Promise<PlanStepView> {
    return view(await this.updateStep.execute(id, sid, body, actor));
  }

  @Post(':sid/move')
  @HttpCode(200)
  @Roles('investigator', 'commander')
  @ApiParam(ID_PARAM)
  @ApiParam(SID_PARAM)
  @ApiOperation({ summary: 'Move a step to another position; returns the whole plan in order' })
  @ApiWholeListResponse(PlanStepView, PLAN_LIST)
  async move(
    @Param('id') id: string,
    @UuidParam('sid') sid: string,
    @Body() body: MovePlanStepDto,
    @CurrentActor() actor: Actor,
  ): Promise<PlanStepView[]> {
    return (await this.moveStep.execute(id, sid, body.position, actor)).map(view);
  }
}
