import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { businessMetrics } from './business-metrics';
import { MetricsTokenGuard } from './metrics-token.guard';

/**
 * Prometheus metrics: the process's own figures and the business gauges (business-metrics.ts).
 * Without METRICS_TOKEN the route is public and counts no confidential incident; with it, only
 * the token's holder scrapes, and sees everything (README, "Operations"). @Public for the staff
 * bearer guard: MetricsTokenGuard decides.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  constructor(@InjectDataSource() db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    const own = new Registry();
    // prom-client's default names already start with process_ or nodejs_: one tocsin_ before them.
    collectDefaultMetrics({ register: own, prefix: 'tocsin_' });
    const view = config.metricsToken === undefined ? 'public' : 'full';
    this.registry = Registry.merge([own, businessMetrics(db, view)]);
  }

  @Get()
  @Public()
  @UseGuards(MetricsTokenGuard)
  @SkipThrottle()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The Prometheus text exposition format (version 0.0.4)',
    schema: { type: 'string' },
  })
  // MetricsTokenGuard's 401: @Public keeps the staff bearer guard (and its 401) off this route.
  @ApiErrors({ 401: ['unauthenticated'] })
  @ApiOperation({
    summary: 'Prometheus metrics: deliveries by outcome, ledger depth, first-notice timeliness',
    description:
      'Public and without confidential incidents unless METRICS_TOKEN is set; then it needs ' +
      '`Authorization: Bearer <METRICS_TOKEN>` (401 `unauthenticated` without it) and counts every incident.',
  })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
