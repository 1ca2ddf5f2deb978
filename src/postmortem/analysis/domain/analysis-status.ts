import { ConflictError } from '../../../common/domain-error';
import type { AnalysisStatus } from '../../entities/postmortem-analysis.entity';

export const ANALYSIS_ACTIONS = ['submit', 'approve', 'reopen'] as const;
export type AnalysisAction = (typeof ANALYSIS_ACTIONS)[number];

/**
 * How the major problem analysis moves: the team submits its draft for review; the review
 * approves it or sends it back to draft; an approved analysis goes back to draft (with a
 * reason) when it needs a correction. The text is editable only in draft and in review.
 */
const FROM: Record<AnalysisAction, readonly AnalysisStatus[]> = {
  submit: ['draft'],
  approve: ['in_review'],
  reopen: ['in_review', 'approved'],
};

const TO: Record<AnalysisAction, AnalysisStatus> = {
  submit: 'in_review',
  approve: 'approved',
  reopen: 'draft',
};

const EDITABLE: readonly AnalysisStatus[] = ['draft', 'in_review'];

export function allowedAnalysisActions(from: AnalysisStatus): AnalysisAction[] {
  return ANALYSIS_ACTIONS.filter((action) => FROM[action].includes(from));
}

/** The status `action` leads to from `from`, or the stable 409 `postmortem.illegal_transition`. */
export function nextAnalysisStatus(from: AnalysisStatus, action: AnalysisAction): AnalysisStatus {
  if (!FROM[action].includes(from)) {
    throw new ConflictError(
      'postmortem.illegal_transition',
      `An analysis in ${from} cannot be ${past(action)}`,
      {
        from,
        action,
        allowed: allowedAnalysisActions(from),
      },
    );
  }
  return TO[action];
}

export function isAnalysisEditable(status: AnalysisStatus): boolean {
  return EDITABLE.includes(status);
}

/** 409 `postmortem.not_editable` once approved: corrections go through reopen. */
export function assertAnalysisEditable(status: AnalysisStatus): void {
  if (!isAnalysisEditable(status)) {
    throw new ConflictError(
      'postmortem.not_editable',
      `An ${status} analysis is not editable; reopen it (POST …/postmortem/reopen) to correct it`,
      { status },
    );
  }
}

function past(action: AnalysisAction): string {
  return { submit: 'submitted', approve: 'approved', reopen: 'reopened' }[action];
}
