import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { TargetsReportQuery, TargetsReportView } from './targets-report.dto';
import { TargetsReportQueries } from './targets-report.queries';

/** Metrics against the severity targets (issue 4, item 4); any staff role may read them. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class TargetsReportController {
  constructor(private readonly queries: TargetsReportQueries) {}

  @Get('targets')
  @ApiOperation({
    summary:
      'Time to first response and to resolution per severity against the targets (S4 in business days)',
  })
  @ApiOkResponse({ type: TargetsReportView })
  targets(@Query() query: TargetsReportQuery, @CurrentActor() actor: Actor): Promise<TargetsReportView> {
    return this.queries.report(query, actor);
  }
}
