import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { severityTargets } from '../../incident/domain/severity-targets';
import { statusAfterTriage } from '../domain/support-request-status';
import { SupportRequest } from '../support-request.entity';
import { TriageSupportRequestDto } from '../support-request.dto';
import { SupportRequestStore } from '../support-request-store';

/**
 * A specialist validates a request: severity (targets recomputed from the creation time),
 * optionally priority and the team it is handed to. A new request becomes `triaged`; an open
 * one may be re-triaged and keeps its status.
 */
@Injectable()
export class TriageSupportRequest {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: SupportRequestStore,
  ) {}

  execute(idOrReference: string, input: TriageSupportRequestDto, actor: Actor): Promise<SupportRequest> {
    return this.db.transaction(async (em) => {
      const request = await this.store.get(em, idOrReference, { lock: true });
      const now = this.clock.now();
      const status = statusAfterTriage(request.status);
      const before = {
        status: request.status,
        severity: request.severity,
        priority: request.priority,
        assignedTeam: request.assignedTeam,
        responseDueAt: request.responseDueAt,
        resolutionDueAt: request.resolutionDueAt,
      };
      const targets = severityTargets(
        request.createdAt,
        input.severity,
        this.config.businessCalendar,
        this.config.severityTargets,
      );
      Object.assign(request, {
        status,
        severity: input.severity,
        priority: input.priority ?? request.priority,
        assignedTeam: input.assignedTeam ?? request.assignedTeam,
        ...targets,
        updatedAt: now,
      });
      await em.getRepository(SupportRequest).save(request);
      await this.store.appendEvent(em, {
        requestId: request.id,
        type: 'support_request.triaged',
        at: now,
        actor,
        data: {
          from: before,
          to: {
            status,
            severity: request.severity,
            priority: request.priority,
            assignedTeam: request.assignedTeam,
            responseDueAt: request.responseDueAt,
            resolutionDueAt: request.resolutionDueAt,
          },
          ...(input.note ? { note: input.note } : {}),
        },
      });
      return request;
    });
  }
}
