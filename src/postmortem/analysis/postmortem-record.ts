/**
 * PostmortemRecord — the read contract of the major problem analysis for other modules (the
 * RCA report builds on it). Inject it from PostmortemModule and call, inside your transaction:
 *
 *   const record = await postmortemRecord.get(em, incidentId);
 *   // null while the incident has no analysis (not resolved yet, or resolved before the
 *   // analysis existed and nobody opened it since); otherwise:
 *   // record.analysis      status ('draft' | 'in_review' | 'approved'), the text fields
 *   //                      (wentWell, wentBadly, failureCauses, rootCauses, contributingFactors,
 *   //                      securityDetails and internalNotes — the last two internal only),
 *   //                      openedAt, submittedAt, approvedAt, approvedBy {id, name} | null, version
 *   // record.participants  [{staffMemberId, name, email, role}] by name
 *   // record.actionItems   [{id, title, description, owner {id, name, email}, dueOn 'YYYY-MM-DD',
 *   //                      status, trackerUrl, createdAt, updatedAt, doneAt, lastRemindedAt}]
 *   //                      oldest first
 *
 * No visibility check: the caller has already loaded the incident through IncidentStore.
 */
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StaffMember } from '../../staff/staff-member.entity';
import { ActionItem, ActionItemStatus } from '../entities/action-item.entity';
import { AnalysisStatus, PostmortemAnalysis } from '../entities/postmortem-analysis.entity';
import { PostmortemParticipant } from '../entities/postmortem-participant.entity';

export interface StaffName {
  id: string;
  name: string;
  email: string;
}

export interface AnalysisContent {
  incidentId: string;
  status: AnalysisStatus;
  wentWell: string;
  wentBadly: string;
  failureCauses: string;
  rootCauses: string;
  contributingFactors: string;
  /** Breach specifics: internal edition only. */
  securityDetails: string;
  /** Team-only remarks: internal edition only. */
  internalNotes: string;
  openedAt: Date;
  submittedAt: Date | null;
  approvedAt: Date | null;
  approvedBy: StaffName | null;
  updatedAt: Date;
  version: number;
}

export interface AnalysisParticipant {
  staffMemberId: string;
  name: string;
  email: string;
  /** The role held on the incident (commander, investigation_lead, sme, …) or `reviewer`. */
  role: string;
}

export interface ActionItemRecord {
  id: string;
  title: string;
  description: string;
  owner: StaffName;
  /** `YYYY-MM-DD` */
  dueOn: string;
  status: ActionItemStatus;
  trackerUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
  doneAt: Date | null;
  /** Last overdue reminder mailed to the owner. */
  lastRemindedAt: Date | null;
}

export interface PostmortemRecordData {
  analysis: AnalysisContent;
  participants: AnalysisParticipant[];
  actionItems: ActionItemRecord[];
}

const staffName = (s: StaffMember | undefined, id: string): StaffName => ({
  id,
  name: s?.name ?? '',
  email: s?.email ?? '',
});

@Injectable()
export class PostmortemRecord {
  async get(em: EntityManager, incidentId: string): Promise<PostmortemRecordData | null> {
    const analysis = await em.getRepository(PostmortemAnalysis).findOneBy({ incidentId });
    if (!analysis) return null;
    const approver = analysis.approvedById
      ? await em.getRepository(StaffMember).findOneBy({ id: analysis.approvedById })
      : null;
    const participants = await em
      .getRepository(PostmortemParticipant)
      .find({ where: { incidentId }, relations: { staffMember: true } });
    const items = await em
      .getRepository(ActionItem)
      .find({ where: { incidentId }, relations: { owner: true }, order: { createdAt: 'ASC', id: 'ASC' } });
    return {
      analysis: {
        incidentId: analysis.incidentId,
        status: analysis.status,
        wentWell: analysis.wentWell,
        wentBadly: analysis.wentBadly,
        failureCauses: analysis.failureCauses,
        rootCauses: analysis.rootCauses,
        contributingFactors: analysis.contributingFactors,
        securityDetails: analysis.securityDetails,
        internalNotes: analysis.internalNotes,
        openedAt: analysis.openedAt,
        submittedAt: analysis.submittedAt,
        approvedAt: analysis.approvedAt,
        approvedBy: analysis.approvedById ? staffName(approver ?? undefined, analysis.approvedById) : null,
        updatedAt: analysis.updatedAt,
        version: analysis.version,
      },
      participants: participants
        .map((p) => ({
          staffMemberId: p.staffMemberId,
          name: p.staffMember?.name ?? '',
          email: p.staffMember?.email ?? '',
          role: p.role,
        }))
        .sort((a, b) => a.name.localeCompare(b.name) || a.staffMemberId.localeCompare(b.staffMemberId)),
      actionItems: items.map((i) => ({
        id: i.id,
        title: i.title,
        description: i.description,
        owner: staffName(i.owner, i.ownerId),
        dueOn: i.dueOn,
        status: i.status,
        trackerUrl: i.trackerUrl,
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
        doneAt: i.doneAt,
        lastRemindedAt: i.lastRemindedAt,
      })),
    };
  }
}
