import { DomainError } from '../../../common/domain-error';
import { ANALYSIS_STATUSES, AnalysisStatus } from '../../entities/postmortem-analysis.entity';
import {
  ANALYSIS_ACTIONS,
  AnalysisAction,
  allowedAnalysisActions,
  assertAnalysisEditable,
  isAnalysisEditable,
  nextAnalysisStatus,
} from './analysis-status';

describe('major problem analysis status', () => {
  const allowed: [AnalysisStatus, AnalysisAction, AnalysisStatus][] = [
    ['draft', 'submit', 'in_review'],
    ['in_review', 'approve', 'approved'],
    ['in_review', 'reopen', 'draft'],
    ['approved', 'reopen', 'draft'],
  ];

  it.each(allowed)('%s --%s--> %s', (from, action, to) => {
    expect(nextAnalysisStatus(from, action)).toBe(to);
    expect(allowedAnalysisActions(from)).toContain(action);
  });

  const refused = ANALYSIS_STATUSES.flatMap((from) =>
    ANALYSIS_ACTIONS.filter((action) => !allowed.some(([f, a]) => f === from && a === action)).map(
      (action) => [from, action] as [AnalysisStatus, AnalysisAction],
    ),
  );

  it('refuses every other pair: no approval without review, no resubmission, nothing to reopen in draft', () => {
    expect(refused).toEqual([
      ['draft', 'approve'],
      ['draft', 'reopen'],
      ['in_review', 'submit'],
      ['approved', 'submit'],
      ['approved', 'approve'],
    ]);
  });

  it.each(refused)('refuses %s --%s--> with a stable code and the allowed actions', (from, action) => {
    let thrown: unknown;
    try {
      nextAnalysisStatus(from, action);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      kind: 'conflict',
      code: 'postmortem.illegal_transition',
      details: { from, action, allowed: allowedAnalysisActions(from) },
    });
  });

  it('lists the actions each status allows', () => {
    expect(allowedAnalysisActions('draft')).toEqual(['submit']);
    expect(allowedAnalysisActions('in_review')).toEqual(['approve', 'reopen']);
    expect(allowedAnalysisActions('approved')).toEqual(['reopen']);
  });

  it('is editable in draft and in review only', () => {
    expect(isAnalysisEditable('draft')).toBe(true);
    expect(isAnalysisEditable('in_review')).toBe(true);
    expect(isAnalysisEditable('approved')).toBe(false);
    expect(() => assertAnalysisEditable('in_review')).not.toThrow();
    expect(() => assertAnalysisEditable('approved')).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'postmortem.not_editable' }),
    );
  });
});
