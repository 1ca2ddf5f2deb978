/** What the demo's scenarios call: the running service's API, as one role or another. */
export type Role = 'commander' | 'postmortem';

export interface ScenarioApi {
  call<T>(method: string, path: string, body?: unknown, role?: Role): Promise<T>;
  find<T>(path: string): Promise<T[]>;
  download(path: string, role: Role): Promise<Buffer>;
  staffId(role: Role): string;
}

export interface IncidentBody {
  id: string;
  reference: string;
  title: string;
  status: string;
}

/**
 * Declares a severity-2 service disruption on one service, defines its impact and approves the
 * first notice with `actions` as what is being done: the impacted contacts are mailed.
 */
export async function declareAndNotify(
  api: ScenarioApi,
  incident: { title: string; summary: string; serviceKey: string; actions: string },
): Promise<IncidentBody> {
  const service = (await api.find<{ id: string; key: string }>('/services')).find(
    (s) => s.key === incident.serviceKey,
  )!;
  const declared = await api.call<IncidentBody>(
    'POST',
    '/incidents',
    {
      title: incident.title,
      kind: 'service_disruption',
      severity: 2,
      summary: incident.summary,
      serviceIds: [service.id],
    },
    'commander',
  );
  const path = `/incidents/${declared.id}`;
  await api.call('POST', `${path}/impact`, undefined, 'commander');
  const {
    items: [initial],
  } = await api.call<{ items: { id: string }[] }>('GET', `${path}/notifications`, undefined, 'commander');
  await api.call('PUT', `${path}/notifications/${initial.id}`, { actions: incident.actions }, 'commander');
  await api.call('POST', `${path}/notifications/${initial.id}/approve`, undefined, 'commander');
  return declared;
}
