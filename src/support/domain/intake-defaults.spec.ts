import { DomainError } from '../../common/domain-error';
import { intakeClassification } from './intake-defaults';
import { formatSupportReference, SUPPORT_REFERENCE_PATTERN } from './support-reference';

describe('intake classification by submission method', () => {
  it('gives e-mail requests the lower priority and severity 4 by default', () => {
    expect(intakeClassification('email')).toEqual({ severity: 4, priority: 'low' });
  });

  it('keeps the lower priority for e-mail even when a severity is stated', () => {
    expect(intakeClassification('email', 2)).toEqual({ severity: 2, priority: 'low' });
  });

  it('gives portal requests severity 3 and normal priority by default', () => {
    expect(intakeClassification('portal')).toEqual({ severity: 3, priority: 'normal' });
    expect(intakeClassification('portal', 1)).toEqual({ severity: 1, priority: 'normal' });
  });

  it('takes the severity of a phone request from the agent', () => {
    expect(intakeClassification('phone', 1)).toEqual({ severity: 1, priority: 'normal' });
  });

  it('refuses a phone request without severity, naming the field', () => {
    try {
      intakeClassification('phone');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('validation_failed');
      expect((error as DomainError).details).toEqual([
        { field: 'severity', rule: 'required', message: expect.stringContaining('severity') },
      ]);
    }
  });
});

describe('support reference', () => {
  it('is SR-YYYY-NNNNNN, zero-padded to six digits', () => {
    expect(formatSupportReference(2026, 1)).toBe('SR-2026-000001');
    expect(formatSupportReference(2026, 123456)).toBe('SR-2026-123456');
    expect(SUPPORT_REFERENCE_PATTERN.test('SR-2026-000042')).toBe(true);
    expect(SUPPORT_REFERENCE_PATTERN.test('SR-2026-42')).toBe(false);
    expect(SUPPORT_REFERENCE_PATTERN.test('INC-2026-00042')).toBe(false);
  });
});
