import { ApiToken } from '../auth/api-token.entity';
import { IdempotencyKey } from '../common/idempotency-key.entity';
import { Delivery, MailContent } from '../delivery/delivery.entity';
import { Escalation, EscalationLevel } from '../escalation/escalation.entity';
import { Customer, CustomerContact } from '../incident/catalogue/customer.entity';
import { ServiceEntity } from '../incident/catalogue/service.entity';
import { Incident } from '../incident/entities/incident.entity';
import { IncidentParticipant } from '../incident/entities/incident-participant.entity';
import { TimelineEntry } from '../incident/entities/timeline-entry.entity';
import { INVESTIGATION_ENTITIES } from '../investigation/entities';
import { ImpactedCustomer, Notification } from '../notification/notification.entity';
import { POSTMORTEM_ENTITIES } from '../postmortem/entities';
import { RcaReport } from '../postmortem/rca/rca-report.entity';
import { RCA_REQUEST_ENTITIES } from '../postmortem/rca-requests/rca-request.entity';
import { StaffMember } from '../staff/staff-member.entity';
import { SupportReply, SupportRequest, SupportRequestEvent } from '../support/support-request.entity';

/** Every entity, listed explicitly so the same set loads under tsc output, Jest and scripts. */
export const ENTITIES = [
  StaffMember,
  ApiToken,
  IdempotencyKey,
  ServiceEntity,
  Customer,
  CustomerContact,
  Incident,
  IncidentParticipant,
  TimelineEntry,
  Notification,
  ImpactedCustomer,
  MailContent,
  Delivery,
  EscalationLevel,
  Escalation,
  SupportRequest,
  SupportRequestEvent,
  SupportReply,
  ...INVESTIGATION_ENTITIES,
  ...POSTMORTEM_ENTITIES,
  RcaReport,
  ...RCA_REQUEST_ENTITIES,
];
