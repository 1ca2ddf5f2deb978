import { ApiProperty } from '@nestjs/swagger';
import type { Severity } from '../incident/domain/severity-targets';
import { IncidentView } from '../incident/incident.view';
import {
  SUBMISSION_METHODS,
  SubmissionMethod,
  SUPPORT_PRIORITIES,
  SupportPriority,
} from './domain/intake-defaults';
import { SUPPORT_REQUEST_STATUSES, SupportRequestStatus } from './domain/support-request-status';
import { SupportReply, SupportRequest, SupportRequestEvent } from './support-request.entity';

export class ActorRef {
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) id: string | null;
  @ApiProperty() name: string;
}

export class SupportRequestView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SR-2026-000042' }) reference: string;
  @ApiProperty() company: string;
  @ApiProperty() contactName: string;
  @ApiProperty({ nullable: true, type: String }) contactPhone: string | null;
  @ApiProperty() contactEmail: string;
  @ApiProperty({ nullable: true, type: String }) userId: string | null;
  @ApiProperty({ enum: SUBMISSION_METHODS }) submissionMethod: SubmissionMethod;
  @ApiProperty({ nullable: true, type: String }) jobNumbers: string | null;
  @ApiProperty({ nullable: true, type: Date }) eventAt: Date | null;
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String }) errorMessages: string | null;
  @ApiProperty({ enum: SUPPORT_REQUEST_STATUSES }) status: SupportRequestStatus;
  @ApiProperty({ minimum: 1, maximum: 4 }) severity: Severity;
  @ApiProperty({ enum: SUPPORT_PRIORITIES }) priority: SupportPriority;
  @ApiProperty({ nullable: true, type: String, description: 'Customer matched from the contact e-mail' })
  customerId: string | null;
  @ApiProperty({ nullable: true, type: String }) contactId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Linked incident (when visible to the caller)' })
  incidentId: string | null;
  @ApiProperty({ nullable: true, type: String }) assignedTeam: string | null;
  @ApiProperty({ description: 'Initial response target (handbook table 1)' }) responseDueAt: Date;
  @ApiProperty({ description: 'Resolution target (handbook table 1)' }) resolutionDueAt: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'First reply recorded to the requester' })
  firstResponseAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ type: ActorRef }) createdBy: ActorRef;

  static of(r: SupportRequest): SupportRequestView {
    return {
      id: r.id,
      reference: r.reference,
      company: r.company,
      contactName: r.contactName,
      contactPhone: r.contactPhone,
      contactEmail: r.contactEmail,
      userId: r.userId,
      submissionMethod: r.submissionMethod,
      jobNumbers: r.jobNumbers,
      eventAt: r.eventAt,
      description: r.description,
      errorMessages: r.errorMessages,
      status: r.status,
      severity: r.severity,
      priority: r.priority,
      customerId: r.customerId,
      contactId: r.contactId,
      incidentId: r.incidentId,
      assignedTeam: r.assignedTeam,
      responseDueAt: r.responseDueAt,
      resolutionDueAt: r.resolutionDueAt,
      firstResponseAt: r.firstResponseAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      createdBy: { id: r.createdById, name: r.createdByName },
    };
  }
}

export class SupportReplyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() at: Date;
  @ApiProperty({ type: ActorRef }) author: ActorRef;
  @ApiProperty() body: string;

  static of(r: SupportReply): SupportReplyView {
    return { id: r.id, at: r.at, author: { id: r.authorId, name: r.authorName }, body: r.body };
  }
}

export class SupportRequestEventView {
  @ApiProperty() id: string;
  @ApiProperty() at: Date;
  @ApiProperty({ example: 'support_request.triaged' }) type: string;
  @ApiProperty({ type: ActorRef }) actor: ActorRef;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;

  static of(e: SupportRequestEvent): SupportRequestEventView {
    return { id: e.id, at: e.at, type: e.type, actor: { id: e.actorId, name: e.actorName }, data: e.data };
  }
}

export class SupportRequestDetailView extends SupportRequestView {
  @ApiProperty({ type: [SupportReplyView], description: 'Oldest first' }) replies: SupportReplyView[];
  @ApiProperty({ type: [SupportRequestEventView], description: 'The append-only history, oldest first' })
  events: SupportRequestEventView[];

  static detail(
    r: SupportRequest,
    replies: SupportReply[],
    events: SupportRequestEvent[],
  ): SupportRequestDetailView {
    return {
      ...SupportRequestView.of(r),
      replies: replies.map(SupportReplyView.of),
      events: events.map(SupportRequestEventView.of),
    };
  }
}

export class ProposedCustomerView {
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'linked support request SR-2026-000042' }) reason: string;
}

export class DeclaredFromSupportRequestsView {
  @ApiProperty({ type: IncidentView }) incident: IncidentView;
  @ApiProperty({ type: [SupportRequestView] }) supportRequests: SupportRequestView[];
  @ApiProperty({
    type: [ProposedCustomerView],
    description: 'Added to the impact preview (GET /incidents/{id}/impact) until impact is defined',
  })
  proposedCustomers: ProposedCustomerView[];
}
