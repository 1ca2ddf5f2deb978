import { ValidationError } from '../../common/domain-error';
import type { Severity } from '../../incident/domain/severity-targets';

export const SUBMISSION_METHODS = ['phone', 'email', 'portal'] as const;
export type SubmissionMethod = (typeof SUBMISSION_METHODS)[number];

export const SUPPORT_PRIORITIES = ['normal', 'low'] as const;
export type SupportPriority = (typeof SUPPORT_PRIORITIES)[number];

export interface IntakeClassification {
  severity: Severity;
  priority: SupportPriority;
}

/**
 * Handbook: requests received by e-mail are general support requests with a lower priority by
 * default (severity 4 unless stated); phone is for urgent matters, so the agent taking the
 * call sets the severity; a portal submission defaults to severity 3.
 */
export function intakeClassification(method: SubmissionMethod, severity?: Severity): IntakeClassification {
  switch (method) {
    case 'email':
      return { severity: severity ?? 4, priority: 'low' };
    case 'portal':
      return { severity: severity ?? 3, priority: 'normal' };
    case 'phone':
      if (severity === undefined) {
        throw ValidationError.field(
          'severity',
          'required',
          'severity is required for a phone request: the agent sets it from impact and urgency',
        );
      }
      return { severity, priority: 'normal' };
  }
}
