import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../auth/roles';
import { AnalysisTransitionDto, ReopenAnalysisDto, UpdateAnalysisDto } from './analysis.dto';
import { AnalysisReader } from './analysis-reader';
import { AnalysisView } from './analysis.view';
import { EditAnalysis } from './edit-analysis.use-case';
import { MoveAnalysis } from './move-analysis.use-case';

export const ID_PARAM = { name: 'id', description: 'Incident id (UUID) or reference (INC-2026-00042)' };

/** The major problem analysis of a resolved incident: draft → in review → approved. */
@ApiTags('post-mortem')
@ApiBearerAuth()
@Controller('api/v1/incidents/:id/postmortem')
export class AnalysisController {
  constructor(
    private readonly reader: AnalysisReader,
    private readonly edit: EditAnalysis,
    private readonly move: MoveAnalysis,
  ) {}

  @Get()
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'The major problem analysis with its participants and action plan (409 before resolution)',
  })
  @ApiOkResponse({ type: AnalysisView })
  get(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<AnalysisView> {
    return this.reader.get(id, actor);
  }

  @Put()
  @Roles('postmortem')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Edit the analysis text and participants (draft or in review; version required, stale → 409)',
  })
  update(
    @Param('id') id: string,
    @Body() body: UpdateAnalysisDto,
    @CurrentActor() actor: Actor,
  ): Promise<AnalysisView> {
    return this.edit.execute(id, body, actor);
  }

  @Post('submit')
  @HttpCode(200)
  @Roles('postmortem')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Submit the draft for review (409 postmortem.incomplete names what is missing)' })
  submit(
    @Param('id') id: string,
    @Body() body: AnalysisTransitionDto,
    @CurrentActor() actor: Actor,
  ): Promise<AnalysisView> {
    return this.move.execute(id, 'submit', body, actor);
  }

  @Post('approve')
  @HttpCode(200)
  @Roles('postmortem')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Approve the analysis in review; the incident can then be closed' })
  approve(
    @Param('id') id: string,
    @Body() body: AnalysisTransitionDto,
    @CurrentActor() actor: Actor,
  ): Promise<AnalysisView> {
    return this.move.execute(id, 'approve', body, actor);
  }

  @Post('reopen')
  @HttpCode(200)
  @Roles('postmortem')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Send the analysis back to draft with a reason (changes requested, or a correction)',
  })
  reopen(
    @Param('id') id: string,
    @Body() body: ReopenAnalysisDto,
    @CurrentActor() actor: Actor,
  ): Promise<AnalysisView> {
    return this.move.execute(id, 'reopen', body, actor);
  }
}
