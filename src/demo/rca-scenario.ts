import { declareAndNotify, IncidentBody, ScenarioApi } from './scenario-api';
import { supportedLanguage } from '../common/languages';

const TITLE = 'AS2 gateway rejects inbound messages after a certificate renewal';

/**
 * The demo's post-mortem story through the API: an AS2 outage is declared, its impact defined,
 * customers notified and updated, the service restored; the post-mortem team records the
 * analysis and its action plan, approves it and publishes the RCA report. Then the customer
 * edition for the first impacted customer, in its language. Run twice, it reuses the incident.
 */
export async function seedRcaScenario(
  api: ScenarioApi,
): Promise<{ reference: string; customer: string; filename: string; pdf: Buffer }> {
  let incident = (await api.find<IncidentBody>('/incidents')).find((i) => i.title === TITLE);
  if (!incident) incident = await runIncident(api);
  const rca = await api.call<{ versions: { publishedAt: string | null }[] }>(
    'GET',
    `/incidents/${incident.id}/rca`,
  );
  if (!rca.versions.some((v) => v.publishedAt)) await runPostmortem(api, incident.id);

  const impact = await api.call<{ impacted: { customerId: string; name: string; language: string }[] }>(
    'GET',
    `/incidents/${incident.id}/impact`,
    undefined,
    'commander',
  );
  // A French-speaking customer when there is one: its edition shows the translated labels.
  const customer = impact.impacted.find((c) => c.language === 'fr') ?? impact.impacted[0];
  const language = supportedLanguage(customer.language);
  const pdf = await api.download(
    `/incidents/${incident.id}/rca.pdf?edition=customer&customerId=${customer.customerId}&lang=${language}`,
    'postmortem',
  );
  return {
    reference: incident.reference,
    customer: customer.name,
    filename: `${incident.reference}-rca-${language}.pdf`,
    pdf,
  };
}

async function runIncident(api: ScenarioApi): Promise<IncidentBody> {
  const incident = await declareAndNotify(api, {
    title: TITLE,
    summary: 'Partners report AS2 MDN failures since the 09:00 certificate rollover.',
    serviceKey: 'as2-gateway',
    actions: 'Our engineers are restoring the previous certificate chain on the AS2 gateway.',
  });
  const path = `/incidents/${incident.id}`;
  await api.call(
    'POST',
    `${path}/updates`,
    { message: 'Half of the AS2 partners exchange messages again.' },
    'commander',
  );
  await api.call(
    'POST',
    `${path}/resolve`,
    {
      summary: 'Chain rolled back on both gateway nodes; renewal job disabled until fixed.',
      customerMessage:
        'AS2 messages flow normally again; messages rejected during the incident can be resent.',
    },
    'commander',
  );
  return incident;
}

async function runPostmortem(api: ScenarioApi, incidentId: string): Promise<void> {
  const path = `/incidents/${incidentId}`;
  const rca = await api.call<{ versions: unknown[] }>('GET', `${path}/rca`);
  if (rca.versions.length === 0) {
    let analysis = await api.call<{ status: string; version: number }>(
      'GET',
      `${path}/postmortem`,
      undefined,
      'postmortem',
    );
    if (analysis.status === 'draft') {
      const owner = api.staffId('postmortem');
      await api.call(
        'POST',
        `${path}/postmortem/actions`,
        {
          title: 'Roll the AS2 certificate chain back on both gateway nodes',
          ownerId: owner,
          dueOn: new Date().toISOString().slice(0, 10),
          status: 'done',
        },
        'postmortem',
      );
      await api.call(
        'POST',
        `${path}/postmortem/actions`,
        {
          title: 'Validate the full chain in staging before each renewal',
          description: 'The renewal job stops when a partner would not accept the new chain.',
          ownerId: owner,
          dueOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
          trackerUrl: 'https://tracker.example.com/browse/OPS-1042',
        },
        'postmortem',
      );
      await api.call(
        'POST',
        `${path}/postmortem/actions`,
        {
          title: 'Alert when a partner’s MDN failure rate exceeds 5 %',
          ownerId: owner,
          dueOn: new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10),
        },
        'postmortem',
      );
      analysis = await api.call(
        'PUT',
        `${path}/postmortem`,
        {
          version: analysis.version,
          wentWell:
            'The AS2 specialist joined within ten minutes; customers were notified before the target.',
          wentBadly: 'The first rollback attempt restarted only one gateway node.',
          failureCauses: 'The runbook did not list the second node.',
          rootCauses:
            'The automated certificate renewal installed a new intermediate certificate that several partners’ AS2 software does not trust yet, so their MDNs were rejected.',
          contributingFactors:
            'The renewal job had no staging validation step, and MDN failure rates per partner were not monitored.',
          internalNotes: 'Vendor ticket 4711 open for the renewal job; follow up at the weekly ops review.',
        },
        'postmortem',
      );
      analysis = await api.call(
        'POST',
        `${path}/postmortem/submit`,
        { version: analysis.version },
        'postmortem',
      );
    }
    if (analysis.status === 'in_review')
      await api.call('POST', `${path}/postmortem/approve`, {}, 'postmortem');
    await api.call('POST', `${path}/rca`, {}, 'postmortem');
  }
  await api.call('POST', `${path}/rca/publish`, { sendToImpactedCustomers: false }, 'postmortem');
}
