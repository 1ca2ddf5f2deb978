import { redactPath } from './logging';

describe('redactPath', () => {
  it('keeps the token of a customer link out of the logs and leaves other paths alone', () => {
    expect(redactPath('/portal/eyJwdXJwb3NlIjoicG9ydGFsIn0.c2ln/incidents/INC-2026-00001')).toBe(
      '/portal/…/incidents/INC-2026-00001',
    );
    expect(redactPath('/rca/eyJwdXJwb3NlIjoicmNhIn0.c2ln')).toBe('/rca/…');
    expect(redactPath('/api/v1/incidents/INC-2026-00001')).toBe('/api/v1/incidents/INC-2026-00001');
  });
});
