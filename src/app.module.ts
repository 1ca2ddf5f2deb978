import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { ApiExceptionFilter } from './common/http-exception.filter';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { MemoryThrottlerStorage } from './common/throttler-storage';
import { apiValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions, openDataSource } from './database/data-source';
import { EscalationModule } from './escalation/escalation.module';
import { HealthModule } from './health/health.module';
import { IncidentModule } from './incident/incident.module';
import { InvestigationModule } from './investigation/investigation.module';
import { createRootLogger, loggerOptions } from './logging';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationModule } from './notification/notification.module';
import { PostmortemModule } from './postmortem/postmortem.module';
import { RcaModule } from './postmortem/rca/rca.module';
import { RcaRequestsModule } from './postmortem/rca-requests/rca-requests.module';
import { StaffModule } from './staff/staff.module';
import { SupportModule } from './support/support.module';
import { LinksModule } from './links/links.module';
import { LiveModule } from './live/live.module';
import { PagesModule } from './pages/pages.module';
import { StatusModule } from './status/status.module';
import { BoardModule } from './board/board.module';
import { PortalModule } from './portal/portal.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** The server to use: `config.databaseUrl`, or the embedded one main.ts started. */
  databaseUrl: string;
  /** Tests pass a fake clock; production uses the system clock. */
  clock?: Clock;
  /** main.ts passes the logger it already used for start-up lines. */
  logger?: Logger;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, clock, logger }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(clock),
        LoggerModule.forRoot(loggerOptions(logger ?? createRootLogger(config))),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(databaseUrl, config.databasePoolSize),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options) => openDataSource(options!),
        }),
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: 60_000, limit: config.rateLimitPerMinute }],
          storage: new MemoryThrottlerStorage(),
        }),
        ScheduleModule.forRoot(),
        AuthModule,
        LinksModule,
        StaffModule,
        IncidentModule,
        NotificationModule,
        InvestigationModule,
        SupportModule,
        EscalationModule,
        PostmortemModule,
        RcaModule,
        RcaRequestsModule,
        HealthModule,
        MetricsModule,
        LiveModule,
        PagesModule,
        StatusModule,
        BoardModule,
        PortalModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_PIPE, useFactory: apiValidationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
