import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { assertCanReply } from '../domain/support-request-status';
import { SupportMail } from '../support-mail';
import { SupportReply, SupportRequest } from '../support-request.entity';
import { SupportRequestStore } from '../support-request-store';

/**
 * A specialist answers: the reply is recorded and mailed to the requester in one transaction;
 * the first one is the request's first response; the request is then `answered`.
 */
@Injectable()
export class ReplyToSupportRequest {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: SupportRequestStore,
    private readonly mail: SupportMail,
  ) {}

  execute(
    idOrReference: string,
    body: string,
    actor: Actor,
  ): Promise<{ request: SupportRequest; reply: SupportReply }> {
    return this.db.transaction(async (em) => {
      const request = await this.store.get(em, idOrReference, { lock: true });
      assertCanReply(request.status);
      const now = this.clock.now();
      const reply = await em.getRepository(SupportReply).save({
        requestId: request.id,
        at: now,
        authorId: actor.staffMemberId,
        authorName: actor.name,
        body,
      });
      const from = request.status;
      const first = request.firstResponseAt === null;
      request.status = 'answered';
      request.firstResponseAt ??= now;
      request.updatedAt = now;
      await em.getRepository(SupportRequest).save(request);
      await this.store.appendEvent(em, {
        requestId: request.id,
        type: 'support_request.replied',
        at: now,
        actor,
        data: { replyId: reply.id, firstResponse: first, from, to: 'answered' },
      });
      await this.mail.reply(em, request, reply);
      return { request, reply };
    });
  }
}
