import { formatIncidentReference, INCIDENT_REFERENCE_PATTERN } from './incident-reference';

describe('incident references', () => {
  it('pads the per-year sequence to five digits', () => {
    expect(formatIncidentReference(2026, 42)).toBe('INC-2026-00042');
    expect(formatIncidentReference(2027, 1)).toBe('INC-2027-00001');
  });

  it('keeps growing past 99,999 rather than wrapping', () => {
    expect(formatIncidentReference(2026, 123456)).toBe('INC-2026-123456');
    expect(INCIDENT_REFERENCE_PATTERN.test('INC-2026-123456')).toBe(true);
  });

  it('recognises only well-formed references', () => {
    expect(INCIDENT_REFERENCE_PATTERN.test('INC-2026-00042')).toBe(true);
    expect(INCIDENT_REFERENCE_PATTERN.test('inc-2026-00042')).toBe(false);
    expect(INCIDENT_REFERENCE_PATTERN.test('INC-26-00042')).toBe(false);
  });
});
