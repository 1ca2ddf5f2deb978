import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../auth/roles';
import { ApiPageResponse, ApiWholeListResponse, Page } from '../../common/pagination';
import { UuidParam } from '../../common/uuid-param';
import { ID_PARAM } from '../analysis/analysis.controller';
import { ActionItemQuery, CreateActionItemDto, UpdateActionItemDto } from './action-items.dto';
import { ActionItems } from './action-items.service';
import { ActionItemView } from './action-item.view';

const ACTION_PARAM = { name: 'actionId', description: 'Action item id (UUID)' };

/** The action plan of one incident's analysis. */
@ApiTags('post-mortem')
@ApiBearerAuth()
@Controller('api/v1/incidents/:id/postmortem/actions')
export class IncidentActionItemsController {
  constructor(private readonly actions: ActionItems) {}

  @Get()
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'The action plan of the analysis, oldest first' })
  @ApiWholeListResponse(
    ActionItemView,
    'the action plan of one analysis, the same set GET …/postmortem embeds (GET /actions pages across incidents)',
  )
  list(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ActionItemView[]> {
    return this.actions.list(id, actor);
  }

  @Post()
  @Roles('postmortem')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Add an action item (owner, due date, status, tracker link)' })
  add(
    @Param('id') id: string,
    @Body() body: CreateActionItemDto,
    @CurrentActor() actor: Actor,
  ): Promise<ActionItemView> {
    return this.actions.add(id, body, actor);
  }

  @Patch(':actionId')
  @Roles('postmortem')
  @ApiParam(ID_PARAM)
  @ApiParam(ACTION_PARAM)
  @ApiOperation({ summary: 'Edit an action item or move its status along' })
  update(
    @Param('id') id: string,
    @UuidParam('actionId') actionId: string,
    @Body() body: UpdateActionItemDto,
    @CurrentActor() actor: Actor,
  ): Promise<ActionItemView> {
    return this.actions.update(id, actionId, body, actor);
  }
}

/** Action items across incidents: the overdue list and each owner's list. */
@ApiTags('post-mortem')
@ApiBearerAuth()
@Controller('api/v1/actions')
export class ActionItemsController {
  constructor(private readonly actions: ActionItems) {}

  @Get()
  @ApiOperation({ summary: 'Action items across incidents, by due date (overdue=true: the overdue ones)' })
  @ApiPageResponse(ActionItemView)
  search(@Query() query: ActionItemQuery, @CurrentActor() actor: Actor): Promise<Page<ActionItemView>> {
    return this.actions.search(query, actor);
  }
}
