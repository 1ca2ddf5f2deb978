import type { RcaMeasure, RcaModel } from './rca-model';

/** Strings a customer edition must never contain, planted in every internal field of the sample. */
export const SECRETS = {
  internalNote: 'INTERNAL-NOTE: the on-call engineer missed the page',
  securityDetail: 'SECURITY-DETAIL: attacker used leaked key AKIAEXAMPLE from 203.0.113.7',
  wentBadly: 'WENT-BADLY: runbook was out of date',
  wentWell: 'WENT-WELL: fast rollback',
  failureCauses: 'FAILURE-CAUSE: alert routed to an old rota',
  incidentSummary: 'INCIDENT-SUMMARY: internal triage notes',
  resolutionSummary: 'RESOLUTION-SUMMARY: rotated the HSM partition by hand',
  owner: 'Duty Owner Example',
  tracker: 'https://tracker.example.com/OPS-4242',
  participant: 'Duty Commander Example',
};

const measure = (over: Partial<RcaMeasure>): RcaMeasure => ({
  title: 'Measure',
  description: '',
  status: 'open',
  dueOn: '2026-04-15',
  doneAt: null,
  owner: SECRETS.owner,
  trackerUrl: SECRETS.tracker,
  ...over,
});

/** A complete report model with two other impacted customers named in free text. */
export function sampleModel(kind: RcaModel['incident']['kind'] = 'security_breach'): RcaModel {
  return {
    schema: 1,
    incident: {
      id: '6b1f6d8e-7f57-4f49-9a59-2d8c2f1f0a01',
      reference: 'INC-2026-00042',
      title: 'Défaillance à l’arrêt — équipe AS2 & <script>alert(1)</script>',
      kind,
      severity: 1,
      summary: SECRETS.incidentSummary,
      declaredAt: '2026-03-02T09:00:00.000Z',
      resolvedAt: '2026-03-02T11:35:00.000Z',
      durationMinutes: 165,
    },
    services: ['AS2 gateway', 'SFTP'],
    impactedCustomerCount: 3,
    impactedCustomers: [
      { id: 'c1', name: 'Transports Exemple SA' },
      { id: 'c2', name: 'Example Retail Ltd' },
      { id: 'c3', name: 'Œuvres Lumière' },
    ],
    timeline: [
      { kind: 'detected', at: '2026-03-02T08:45:00.000Z' },
      { kind: 'declared', at: '2026-03-02T09:00:00.000Z' },
      { kind: 'impact_defined', at: '2026-03-02T09:05:00.000Z' },
      { kind: 'first_notice', at: '2026-03-02T09:20:00.000Z' },
      { kind: 'update', at: '2026-03-02T10:20:00.000Z' },
      { kind: 'resolved', at: '2026-03-02T11:35:00.000Z' },
    ],
    rootCauses:
      'A certificate renewal for Example Retail Ltd replaced the shared chain; example retail ltd traffic failed first.\n\nThe coût was 10 € ’ œ.',
    contributingFactors:
      'Monitoring of Œuvres Lumière and Transports Exemple SA flows only checked TLS *handshakes*.',
    resolutionMessage: 'Service was restored for Transports Exemple SA and every other customer.',
    resolutionSummary: SECRETS.resolutionSummary,
    measuresTaken: [
      measure({
        title: 'Restore the chain for EXAMPLE RETAIL LTD',
        status: 'done',
        doneAt: '2026-03-02T11:30:00.000Z',
      }),
    ],
    measuresPlanned: [
      measure({
        title: 'Alert on chain changes | [link](https://evil.example.net)',
        description: '# not a heading',
      }),
    ],
    internal: {
      wentWell: SECRETS.wentWell,
      wentBadly: SECRETS.wentBadly,
      failureCauses: SECRETS.failureCauses,
      securityDetails: SECRETS.securityDetail,
      internalNotes: SECRETS.internalNote,
      participants: [{ name: SECRETS.participant, role: 'commander' }],
      approvedAt: '2026-03-05T10:00:00.000Z',
      approvedBy: SECRETS.participant,
      cancelledMeasures: [],
    },
  };
}
