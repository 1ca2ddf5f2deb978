import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ValidationError } from '../../common/domain-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { severityTargets } from '../../incident/domain/severity-targets';
import type { ContactActor } from '../../incident/timeline';
import { intakeClassification } from '../domain/intake-defaults';
import { SupportMail } from '../support-mail';
import { SupportRequest } from '../support-request.entity';
import { CreateSupportRequestDto } from '../support-request.dto';
import { SupportRequestStore } from '../support-request-store';

/** A clock difference between the caller and us is tolerated; a later event time is a typo. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

interface MatchedContact {
  customerId: string;
  contactId: string;
}

/**
 * Takes a request by phone, e-mail or portal: reference, default priority and severity by
 * submission method, severity targets, the customer matched from the contact e-mail, and the
 * confirmation mail to the requester, all in one transaction.
 */
@Injectable()
export class CreateSupportRequest {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly store: SupportRequestStore,
    private readonly mail: SupportMail,
  ) {}

  execute(input: CreateSupportRequestDto, actor: Actor): Promise<SupportRequest> {
    return this.create(input, actor, (em) => this.matchContact(em, input.contactEmail, input.company));
  }

  /**
   * A contact's own request from the customer portal: its signed link names the customer and
   * the contact, so nothing is matched from the e-mail given, and the contact is the creator.
   */
  submitFromPortal(input: CreateSupportRequestDto, contact: ContactActor): Promise<SupportRequest> {
    return this.create({ ...input, submissionMethod: 'portal' }, contact, async () => ({
      customerId: contact.customerId,
      contactId: contact.contactId,
    }));
  }

  private create(
    input: CreateSupportRequestDto,
    actor: Actor | ContactActor,
    match: (em: EntityManager) => Promise<MatchedContact | null>,
  ): Promise<SupportRequest> {
    const now = this.clock.now();
    const { severity, priority } = intakeClassification(input.submissionMethod, input.severity);
    if (input.eventAt && input.eventAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw ValidationError.field('eventAt', 'notFuture', 'eventAt must not be in the future');
    }
    return this.db.transaction(async (em) => {
      const matched = await match(em);
      const request = await em.getRepository(SupportRequest).save({
        reference: await this.store.nextReference(em, now.getUTCFullYear()),
        company: input.company,
        contactName: input.contactName,
        contactPhone: input.contactPhone ?? null,
        contactEmail: input.contactEmail,
        userId: input.userId ?? null,
        submissionMethod: input.submissionMethod,
        jobNumbers: input.jobNumbers ?? null,
        eventAt: input.eventAt ?? null,
        description: input.description,
        errorMessages: input.errorMessages ?? null,
        status: 'new',
        severity,
        priority,
        customerId: matched?.customerId ?? null,
        contactId: matched?.contactId ?? null,
        incidentId: null,
        assignedTeam: null,
        ...severityTargets(now, severity, this.config.businessCalendar, this.config.severityTargets),
        firstResponseAt: null,
        createdAt: now,
        updatedAt: now,
        createdById: actor.staffMemberId,
        createdByName: actor.name,
      });
      await this.store.appendEvent(em, {
        requestId: request.id,
        type: 'support_request.created',
        at: now,
        actor,
        data: {
          reference: request.reference,
          submissionMethod: request.submissionMethod,
          severity,
          priority,
          customerId: request.customerId,
          contactId: request.contactId,
          responseDueAt: request.responseDueAt,
          resolutionDueAt: request.resolutionDueAt,
        },
      });
      await this.mail.confirm(em, request, now);
      return request;
    });
  }

  /**
   * The known contact with this e-mail address. The same address may belong to contacts of
   * several customers: the company name given decides, otherwise the request stays unmatched.
   */
  private async matchContact(
    em: EntityManager,
    email: string,
    company: string,
  ): Promise<MatchedContact | null> {
    const rows: (MatchedContact & { company: string })[] = await em.query(
      `SELECT cc.id AS "contactId", cc.customer_id AS "customerId", c.name AS company
         FROM customer_contacts cc JOIN customers c ON c.id = cc.customer_id
        WHERE lower(cc.email) = lower($1)`,
      [email],
    );
    if (rows.length === 1) return rows[0];
    const sameCompany = rows.filter((r) => r.company.toLowerCase() === company.trim().toLowerCase());
    return sameCompany.length === 1 ? sameCompany[0] : null;
  }
}
