import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../auth/auth.decorators';
import type { Actor } from '../../auth/roles';
import type { RcaFormat } from '../rca-publication';
import { RcaDocuments } from './rca-documents';
import { GenerateRcaDto, PublishRcaDto, RcaDocumentQuery } from './rca.dto';
import { RcaVersionsView, RcaVersionView } from './rca.view';
import { RcaReports } from './rca-reports.service';

const ID_PARAM = { name: 'id', description: 'Incident id (UUID) or reference (INC-2026-00042)' };
const DOCUMENT_DESCRIPTION =
  'Any staff role that may read the incident (confidential incidents: participants and admins). ' +
  'edition=customer renders what the impacted customer `customerId` reads: no internal notes, ' +
  'no analysis retrospective, no security details, no other customer named.';

@ApiTags('post-mortem')
@ApiBearerAuth()
@Controller('api/v1/incidents/:id')
export class RcaController {
  constructor(
    private readonly reports: RcaReports,
    private readonly documents: RcaDocuments,
  ) {}

  @Post('rca')
  @Roles('postmortem')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Generate the next RCA report version from the approved analysis and the incident record',
    description:
      '409 `rca.analysis_not_approved` until the analysis is approved. Version 2 and later need a correctionNote.',
  })
  async generate(
    @Param('id') id: string,
    @Body() body: GenerateRcaDto,
    @CurrentActor() actor: Actor,
  ): Promise<RcaVersionView> {
    const report = await this.reports.generate(id, body.correctionNote ?? null, actor);
    return RcaVersionView.of(report.content.incident.reference, report);
  }

  @Get('rca')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'The versions of the RCA report, oldest first, with their publication' })
  @ApiOkResponse({ type: RcaVersionsView })
  async list(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<RcaVersionsView> {
    const { incident, versions } = await this.reports.list(id, actor);
    const published = versions.filter((v) => v.publishedAt).map((v) => v.version);
    return {
      incidentId: incident.id,
      reference: incident.reference,
      publishedVersion: published.length ? Math.max(...published) : null,
      versions: versions.map((v) => RcaVersionView.of(incident.reference, v)),
    };
  }

  @Post('rca/publish')
  @HttpCode(200)
  @Roles('postmortem')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary:
      'Publish an RCA version (the latest by default) to customers; optionally send it to every impacted customer',
    description: '409 `rca.not_generated`, `rca.already_published` or `rca.version_superseded`.',
  })
  async publish(
    @Param('id') id: string,
    @Body() body: PublishRcaDto,
    @CurrentActor() actor: Actor,
  ): Promise<RcaVersionView> {
    const report = await this.reports.publish(id, body, actor);
    return RcaVersionView.of(report.content.incident.reference, report);
  }

  @Get('rca.html')
  @ApiParam(ID_PARAM)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The HTML page', schema: { type: 'string' } })
  @ApiOperation({
    summary: 'The RCA report as a standalone, printable HTML page',
    description: DOCUMENT_DESCRIPTION,
  })
  html(
    @Param('id') id: string,
    @Query() query: RcaDocumentQuery,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ) {
    return this.send('html', id, query, actor, reply);
  }

  @Get('rca.pdf')
  @ApiParam(ID_PARAM)
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF document', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'The RCA report as a PDF document', description: DOCUMENT_DESCRIPTION })
  pdf(
    @Param('id') id: string,
    @Query() query: RcaDocumentQuery,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ) {
    return this.send('pdf', id, query, actor, reply);
  }

  @Get('rca.md')
  @ApiParam(ID_PARAM)
  @ApiProduces('text/markdown')
  @ApiOkResponse({ description: 'The Markdown text', schema: { type: 'string' } })
  @ApiOperation({ summary: 'The RCA report in Markdown', description: DOCUMENT_DESCRIPTION })
  md(
    @Param('id') id: string,
    @Query() query: RcaDocumentQuery,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ) {
    return this.send('md', id, query, actor, reply);
  }

  private async send(
    format: RcaFormat,
    id: string,
    query: RcaDocumentQuery,
    actor: Actor,
    reply: FastifyReply,
  ) {
    const rendered = await this.documents.forStaff(
      id,
      {
        format,
        version: query.version,
        edition: query.edition,
        language: query.lang,
        customerId: query.customerId,
      },
      actor,
    );
    return reply
      .header('content-type', rendered.contentType)
      .header('content-disposition', `inline; filename="${rendered.filename}"`)
      .header('cache-control', 'private, no-store')
      .send(rendered.content);
  }
}
