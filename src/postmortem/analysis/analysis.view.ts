import { ApiProperty } from '@nestjs/swagger';
import { StaffRef } from '../../incident/incident.view';
import type { Incident } from '../../incident/entities/incident.entity';
import { ActionItemView } from '../actions/action-item.view';
import { ANALYSIS_STATUSES, AnalysisStatus } from '../entities/postmortem-analysis.entity';
import { ANALYSIS_PARTICIPANT_ROLES } from './analysis.dto';
import {
  ANALYSIS_ACTIONS,
  AnalysisAction,
  allowedAnalysisActions,
  isAnalysisEditable,
} from './domain/analysis-status';
import type { PostmortemRecordData } from './postmortem-record';

export class AnalysisParticipantView {
  @ApiProperty({ type: StaffRef }) staffMember: StaffRef;
  @ApiProperty({ enum: ANALYSIS_PARTICIPANT_ROLES, description: 'Role held on the incident, or reviewer' })
  role: string;
}

export class AnalysisView {
  @ApiProperty({ format: 'uuid' }) incidentId: string;
  @ApiProperty({ example: 'INC-2026-00042' }) incidentReference: string;
  @ApiProperty({ enum: ANALYSIS_STATUSES }) status: AnalysisStatus;
  @ApiProperty({ description: 'PUT is accepted (draft or in review)' }) editable: boolean;
  @ApiProperty({ enum: ANALYSIS_ACTIONS, isArray: true, description: 'Transitions allowed now' })
  allowedActions: AnalysisAction[];
  @ApiProperty({ description: 'Send it back with PUT; bumps on every change' }) version: number;
  @ApiProperty() wentWell: string;
  @ApiProperty() wentBadly: string;
  @ApiProperty() failureCauses: string;
  @ApiProperty() rootCauses: string;
  @ApiProperty() contributingFactors: string;
  @ApiProperty({ description: 'Internal only' }) securityDetails: string;
  @ApiProperty({ description: 'Internal only' }) internalNotes: string;
  @ApiProperty({ type: [AnalysisParticipantView], description: 'By name' })
  participants: AnalysisParticipantView[];
  @ApiProperty({ type: [ActionItemView], description: 'The action plan, oldest first' })
  actions: ActionItemView[];
  @ApiProperty() openedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) submittedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) approvedAt: Date | null;
  @ApiProperty({ type: StaffRef, nullable: true }) approvedBy: StaffRef | null;
  @ApiProperty() updatedAt: Date;

  static of(incident: Incident, record: PostmortemRecordData, today: string): AnalysisView {
    const a = record.analysis;
    return {
      incidentId: incident.id,
      incidentReference: incident.reference,
      status: a.status,
      editable: isAnalysisEditable(a.status),
      allowedActions: allowedAnalysisActions(a.status),
      version: a.version,
      wentWell: a.wentWell,
      wentBadly: a.wentBadly,
      failureCauses: a.failureCauses,
      rootCauses: a.rootCauses,
      contributingFactors: a.contributingFactors,
      securityDetails: a.securityDetails,
      internalNotes: a.internalNotes,
      participants: record.participants.map((p) => ({
        staffMember: { id: p.staffMemberId, name: p.name, email: p.email },
        role: p.role,
      })),
      actions: record.actionItems.map((item) => ActionItemView.of(item, incident, today)),
      openedAt: a.openedAt,
      submittedAt: a.submittedAt,
      approvedAt: a.approvedAt,
      approvedBy: a.approvedBy,
      updatedAt: a.updatedAt,
    };
  }
}
