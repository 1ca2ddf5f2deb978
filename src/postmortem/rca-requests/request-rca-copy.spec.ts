import { rcaCopyKey } from './rca-copy-mailer';
import { normaliseReference } from './request-rca-copy.use-case';

describe('RCA copy requests: references and keys', () => {
  it('forgives case and spaces in a reference, and keeps anything else as typed', () => {
    expect(normaliseReference(' inc-2026-00042 ')).toBe('INC-2026-00042');
    expect(normaliseReference('INC-2026-00042')).toBe('INC-2026-00042');
    expect(normaliseReference('  the outage last Tuesday ')).toBe('the outage last Tuesday');
  });

  it('keys each copy by request and version, so a correction is a new mail and a retry is not', () => {
    const request = '5f0c7a2e-3b1d-4c8e-9a6f-2d4b8e1c0a7f';
    expect(rcaCopyKey(request, 1)).toBe(`rca-copy:${request}:v1`);
    expect(rcaCopyKey(request, 2)).not.toBe(rcaCopyKey(request, 1));
    expect(rcaCopyKey(request, 1)).toBe(rcaCopyKey(request, 1));
  });
});
