import { ApiProperty } from '@nestjs/swagger';
import { ServiceView } from './catalogue/catalogue.dto';
import { INCIDENT_STATUSES, IncidentStatus } from './domain/incident-status';
import type { Severity } from './domain/severity-targets';
import { Incident, INCIDENT_KINDS, IncidentKind } from './entities/incident.entity';
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

  static of(incident: Incident): IncidentView {
    const active = (incident.participants ?? []).filter((p) => !p.leftAt);
    return {
      id: incident.id,
      reference: incident.reference,
      title: incident.title,
      summary: incident.summary,
      kind: incident.kind,
      confidential: incident.confidential,
      severity: incident.severity,
      status: incident.status,
      commander: {
        id: incident.commanderId,
        name: incident.commander?.name ?? '',
        email: incident.commander?.email ?? '',
      },
      services: (incident.services ?? []).sort((a, b) => a.name.localeCompare(b.name)).map(ServiceView.of),
      participants: active
        .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())
        .map(ParticipantView.of),
      declaredAt: incident.declaredAt,
      responseDueAt: incident.responseDueAt,
      resolutionDueAt: incident.resolutionDueAt,
      resolvedAt: incident.resolvedAt,
      resolutionSummary: incident.resolutionSummary,
      postmortemApprovedAt: incident.postmortemApprovedAt,
      closedAt: incident.closedAt,
      closeReason: incident.closeReason,
      impactDefinedAt: incident.impactDefinedAt,
      firstResponseAt: incident.firstResponseAt,
      updateCadenceMinutes: incident.updateCadenceMinutes,
      nextUpdateDueAt: incident.nextUpdateDueAt,
      escalationLevel: incident.escalationLevel,
      updatedAt: incident.updatedAt,
      version: incident.version,
    };
  }
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
