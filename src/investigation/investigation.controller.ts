import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { ApiPageResponse, Page, PageQuery } from '../common/pagination';
import { AddInvestigationNoteDto, ReviseScopeDto } from './investigation.dto';
import { InvestigationNoteView, ScopeRevisionView, ScopeView } from './investigation.view';
import { InvestigationQueries } from './investigation-queries';
import { AddInvestigationNote } from './use-cases/add-investigation-note.use-case';
import { ReviseScope } from './use-cases/revise-scope.use-case';

export const ID_PARAM = { name: 'id', description: 'Incident id (UUID) or reference (INC-2026-00042)' };

@ApiTags('investigation')
@ApiBearerAuth()
@Controller('api/v1/incidents/:id')
export class InvestigationController {
  constructor(
    private readonly queries: InvestigationQueries,
    private readonly reviseScope: ReviseScope,
    private readonly addNote: AddInvestigationNote,
  ) {}

  @Get('investigation')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'The scope of the problem: the current revision and every revision, oldest first',
  })
  @ApiOkResponse({ type: ScopeView })
  async scope(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ScopeView> {
    return ScopeView.of(await this.queries.scope(id, actor));
  }

  @Put('investigation')
  @Roles('investigator', 'commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Revise the scope: stores a new revision, the earlier ones are kept' })
  async revise(
    @Param('id') id: string,
    @Body() body: ReviseScopeDto,
    @CurrentActor() actor: Actor,
  ): Promise<ScopeRevisionView> {
    return ScopeRevisionView.of(await this.reviseScope.execute(id, body, actor));
  }

  @Get('notes')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Internal notes of the investigation team, oldest first' })
  @ApiPageResponse(InvestigationNoteView)
  async notes(
    @Param('id') id: string,
    @Query() page: PageQuery,
    @CurrentActor() actor: Actor,
  ): Promise<Page<InvestigationNoteView>> {
    const result = await this.queries.notes(id, actor, page.limit, page.offset);
    return { ...result, items: result.items.map(InvestigationNoteView.of) };
  }

  @Post('notes')
  @Roles('investigator', 'commander')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Add an internal note (never sent to customers)' })
  async note(
    @Param('id') id: string,
    @Body() body: AddInvestigationNoteDto,
    @CurrentActor() actor: Actor,
  ): Promise<InvestigationNoteView> {
    return InvestigationNoteView.of(await this.addNote.execute(id, body.text, actor));
  }
}
