import { ApiProperty } from '@nestjs/swagger';
import { ServiceView } from './catalogue/catalogue.dto';
import { INCIDENT_STATUSES, IncidentStatus } from './domain/incident-status';
import type { Severity } from './domain/severity-targets';
import { INCIDENT_KINDS, IncidentKind } from './entities/incident.entity';
import {
  IncidentParticipant,
  PARTICIPANT_ROLES,
  ParticipantRole,
} from './entities/incident-participant.entity';
import { TimelineEntry } from './entities/timeline-entry.entity';

export class StaffRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
}

export class ParticipantView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: StaffRef }) staffMember: StaffRef;
  @ApiProperty({ enum: PARTICIPANT_ROLES }) role: ParticipantRole;
  @ApiProperty({ nullable: true, type: String }) domain: string | null;
  @ApiProperty() joinedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) leftAt: Date | null;

  static of(p: IncidentParticipant): ParticipantView {
    const staff = p.staffMember;
    return {
      id: p.id,
      staffMember: { id: p.staffMemberId, name: staff?.name ?? '', email: staff?.email ?? '' },
      role: p.role,
      domain: p.domain,
      joinedAt: p.joinedAt,
      leftAt: p.leftAt,
    };
  }
}

export class IncidentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'INC-2026-00042' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ enum: INCIDENT_KINDS }) kind: IncidentKind;
  @ApiProperty({ description: 'Security breaches are confidential' }) confidential: boolean;
  @ApiProperty({ minimum: 1, maximum: 4 }) severity: Severity;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status: IncidentStatus;
  @ApiProperty({ type: StaffRef }) commander: StaffRef;
  @ApiProperty({ type: [ServiceView] }) services: ServiceView[];
  @ApiProperty({ type: [ParticipantView], description: 'Current participants' })
  participants: ParticipantView[];
  @ApiProperty() declaredAt: Date;
  @ApiProperty({ description: 'Initial response target (handbook table 1)' }) responseDueAt: Date;
  @ApiProperty({ description: 'Resolution target (handbook table 1)' }) resolutionDueAt: Date;
  @ApiProperty({ nullable: true, type: Date }) resolvedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) resolutionSummary: string | null;
  @ApiProperty({ nullable: true, type: Date }) postmortemApprovedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) closedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) closeReason: string | null;
  @ApiProperty({
    nullable: true,
    type: Date,
    description: 'Impacted customers confirmed; the notice clock starts',
  })
  impactDefinedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'First notice accepted by the mail relay' })
  firstResponseAt: Date | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Per-incident update cadence override (minutes)',
  })
  updateCadenceMinutes: number | null;
  @ApiProperty({ nullable: true, type: Date }) nextUpdateDueAt: Date | null;
  @ApiProperty({ description: 'Escalation-chain level reached (0 = none)' }) escalationLevel: number;
  @ApiProperty() updatedAt: Date;
  @ApiProperty() version: number;

  /**
   * The view from one row of `INCIDENT_VIEW_SELECT` (IncidentQueries), for reads and for the
   * responses of writes alike: the one mapping from the database to the API.
   */
  static fromRow(row: IncidentViewRow): IncidentView {
    return {
      id: row.id,
      reference: row.reference,
      title: row.title,
      summary: row.summary,
      kind: row.kind,
      confidential: row.kind === 'security_breach',
      severity: row.severity,
      status: row.status,
      commander: { id: row.commander_id, name: row.commander_name ?? '', email: row.commander_email ?? '' },
      services: row.services.sort((a, b) => a.name.localeCompare(b.name)),
      participants: row.participants
        .map((p): ParticipantView => ({
          id: p.id,
          staffMember: { id: p.staffMemberId, name: p.name ?? '', email: p.email ?? '' },
          role: p.role,
          domain: p.domain,
          joinedAt: new Date(p.joinedAt),
          leftAt: null,
        }))
        .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime()),
      declaredAt: row.declared_at,
      responseDueAt: row.response_due_at,
      resolutionDueAt: row.resolution_due_at,
      resolvedAt: row.resolved_at,
      resolutionSummary: row.resolution_summary,
      postmortemApprovedAt: row.postmortem_approved_at,
      closedAt: row.closed_at,
      closeReason: row.close_reason,
      impactDefinedAt: row.impact_defined_at,
      firstResponseAt: row.first_response_at,
      updateCadenceMinutes: row.update_cadence_minutes === null ? null : Number(row.update_cadence_minutes),
      nextUpdateDueAt: row.next_update_due_at,
      escalationLevel: row.escalation_level,
      updatedAt: row.updated_at,
      version: row.version,
    };
  }
}

/** A row of `INCIDENT_VIEW_SELECT`: the incident's columns, its commander, services and active participants. */
export interface IncidentViewRow {
  id: string;
  reference: string;
  title: string;
  summary: string;
  kind: IncidentKind;
  severity: Severity;
  status: IncidentStatus;
  commander_id: string;
  commander_name: string | null;
  commander_email: string | null;
  services: ServiceView[];
  /** Active participants only; joinedAt in epoch milliseconds. */
  participants: {
    id: string;
    staffMemberId: string;
    name: string | null;
    email: string | null;
    role: ParticipantRole;
    domain: string | null;
    joinedAt: number;
  }[];
  declared_at: Date;
  response_due_at: Date;
  resolution_due_at: Date;
  resolved_at: Date | null;
  resolution_summary: string | null;
  postmortem_approved_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
  impact_defined_at: Date | null;
  first_response_at: Date | null;
  /** numeric: a string, as the entity's transformer receives it. */
  update_cadence_minutes: string | null;
  next_update_due_at: Date | null;
  escalation_level: number;
  updated_at: Date;
  version: number;
}

export class TimelineEntryView {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: Date;
  @ApiProperty({ example: 'incident.severity_changed' }) type: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) actorId: string | null;
  @ApiProperty() actorName: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;

  static of(entry: TimelineEntry): TimelineEntryView {
    const { id, occurredAt, type, actorId, actorName, data } = entry;
    return { id, occurredAt, type, actorId, actorName, data };
  }
}
