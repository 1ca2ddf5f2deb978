import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { assertTransition } from '../domain/support-request-status';
import { SupportRequest } from '../support-request.entity';
import { ChangeSupportRequestStatusDto } from '../support-request.dto';
import { SupportRequestStore } from '../support-request-store';

/** Work starts (`in_progress`, also when the requester comes back after an answer) or ends (`closed`). */
@Injectable()
export class ChangeSupportRequestStatus {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: SupportRequestStore,
  ) {}

  execute(
    idOrReference: string,
    input: ChangeSupportRequestStatusDto,
    actor: Actor,
  ): Promise<SupportRequest> {
    return this.db.transaction(async (em) => {
      const request = await this.store.get(em, idOrReference, { lock: true });
      assertTransition(request.status, input.status);
      const now = this.clock.now();
      const from = request.status;
      request.status = input.status;
      request.updatedAt = now;
      await em.getRepository(SupportRequest).save(request);
      await this.store.appendEvent(em, {
        requestId: request.id,
        type: 'support_request.status_changed',
        at: now,
        actor,
        data: { from, to: input.status, ...(input.note ? { note: input.note } : {}) },
      });
      return request;
    });
  }
}
