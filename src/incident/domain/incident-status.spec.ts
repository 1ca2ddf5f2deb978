import { DomainError } from '../../common/domain-error';
import { assertTransition, canTransition, INCIDENT_STATUSES, isOpen } from './incident-status';

describe('incident status transitions', () => {
  it.each([
    ['declared', 'investigating'],
    ['declared', 'resolved'],
    ['investigating', 'identified'],
    ['identified', 'investigating'],
    ['identified', 'monitoring'],
    ['monitoring', 'investigating'],
    ['monitoring', 'resolved'],
    ['resolved', 'closed'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each([
    ['investigating', 'declared'],
    ['declared', 'closed'],
    ['monitoring', 'closed'],
    ['resolved', 'investigating'],
    ['closed', 'investigating'],
    ['closed', 'resolved'],
    ['declared', 'declared'],
  ] as const)('refuses %s → %s with a stable code and the allowed targets', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    try {
      assertTransition(from, to);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).kind).toBe('conflict');
      expect((error as DomainError).code).toBe('incident.illegal_transition');
      expect((error as DomainError).details).toMatchObject({ from, to });
    }
  });

  it('nothing leaves closed, and only resolved reaches it', () => {
    for (const status of INCIDENT_STATUSES) {
      expect(canTransition('closed', status)).toBe(false);
      expect(canTransition(status, 'closed')).toBe(status === 'resolved');
    }
  });

  it('open means before resolution', () => {
    expect(INCIDENT_STATUSES.filter(isOpen)).toEqual([
      'declared',
      'investigating',
      'identified',
      'monitoring',
    ]);
  });
});
