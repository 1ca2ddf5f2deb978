import { parsePortalPath } from './portal-request';

describe('parsePortalPath', () => {
  it.each([
    ['tok', { page: 'home' }],
    ['tok/', { page: 'home' }],
    ['tok/incidents/INC-2026-00001', { page: 'incident', reference: 'INC-2026-00001' }],
    ['tok/incidents/INC-2026-00001/', { page: 'incident', reference: 'INC-2026-00001' }],
    [
      'tok/incidents/INC-2026-00001/escalation',
      { page: 'incident', reference: 'INC-2026-00001', action: 'escalation' },
    ],
    [
      'tok/incidents/INC-2026-00001/rca-request',
      { page: 'incident', reference: 'INC-2026-00001', action: 'rca-request' },
    ],
    ['tok/support', { page: 'support', reference: undefined }],
    ['tok/support/SR-2026-000001', { page: 'support', reference: 'SR-2026-000001' }],
    ['tok/incidents', { page: 'unknown' }],
    ['tok/incidents/INC-2026-00001/other', { page: 'unknown' }],
    ['tok/incidents//escalation', { page: 'unknown' }],
    ['tok/support/SR-2026-000001/x', { page: 'unknown' }],
    ['tok/../../api', { page: 'unknown' }],
  ])('%s', (path, route) => {
    expect(parsePortalPath(path)).toEqual({ token: 'tok', route });
  });

  it('gives an empty token for an empty path', () => {
    expect(parsePortalPath('')).toEqual({ token: '', route: { page: 'home' } });
  });
});
