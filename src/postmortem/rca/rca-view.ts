import { LOCALE_TAGS } from '../../common/languages';
import { RCA_LABELS, RcaLabels, RcaLanguage } from './rca-labels';
import type { RcaMeasure, RcaModel } from './rca-model';

export type RcaEdition = 'internal' | 'customer';

/** Facts about the version, outside the frozen model. */
export interface RcaVersionInfo {
  version: number;
  generatedAt: Date;
  publishedAt: Date | null;
  correctionNote: string | null;
}

export interface RcaViewOptions {
  language: RcaLanguage;
  edition: RcaEdition;
  timezone: string;
  /** The customer edition's recipient. */
  recipientName?: string | null;
}

export interface RcaSection {
  heading: string;
  paragraphs: string[];
}

export interface RcaMeasureRow {
  title: string;
  description: string;
  date: string;
  status: string;
  owner: string;
  tracker: string;
}

/** What every format renders: all text final (translated, dates formatted), none escaped yet. */
export interface RcaView {
  language: RcaLanguage;
  internal: boolean;
  t: Omit<RcaLabels, 'page' | 'kinds' | 'moments' | 'statuses' | 'durationUnits'>;
  title: string;
  reference: string;
  editionLabel: string;
  recipient: string | null;
  confidential: boolean;
  meta: { label: string; value: string }[];
  correctionNote: string | null;
  overview: { label: string; value: string }[];
  timeline: { when: string; event: string }[];
  sections: RcaSection[];
  measuresTaken: RcaMeasureRow[];
  measuresPlanned: RcaMeasureRow[];
  internalSections: RcaSection[];
  cancelledMeasures: RcaMeasureRow[];
  participants: { name: string; role: string }[];
  filenameBase: string;
}

/** Paragraphs of a free text: blank lines separate them; single line breaks stay inside. */
export function paragraphs(text: string | null | undefined): string[] {
  return (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

export function formatDateTime(value: string | Date, language: RcaLanguage, timezone: string): string {
  return new Intl.DateTimeFormat(LOCALE_TAGS[language], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: timezone,
    timeZoneName: 'short',
  }).format(new Date(value));
}

/** A calendar date (`YYYY-MM-DD`) in the language, without time zone shifts. */
export function formatDay(day: string, language: RcaLanguage): string {
  return new Intl.DateTimeFormat(LOCALE_TAGS[language], {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

export function formatDuration(minutes: number, units: RcaLabels['durationUnits']): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [
    days ? `${days} ${units.day}` : '',
    hours ? `${hours} ${units.hour}` : '',
    mins || (!days && !hours) ? `${mins} ${units.minute}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

export function buildRcaView(model: RcaModel, info: RcaVersionInfo, options: RcaViewOptions): RcaView {
  const { language, timezone } = options;
  const labels = RCA_LABELS[language];
  const { page: _page, kinds, moments, statuses, durationUnits, ...t } = labels;
  const when = (value: string | Date) => formatDateTime(value, language, timezone);
  const internal = options.edition === 'internal' && model.internal !== null;
  const row = (m: RcaMeasure, date: string): RcaMeasureRow => ({
    title: m.title,
    description: m.description,
    date,
    status: statuses[m.status],
    owner: internal ? m.owner : '',
    tracker: internal ? (m.trackerUrl ?? '') : '',
  });
  const section = (heading: string, text: string | null) => ({ heading, paragraphs: paragraphs(text) });
  const incident = model.incident;
  const sections = [
    section(t.rootCause, model.rootCauses),
    section(t.contributingFactors, model.contributingFactors),
    section(t.resolution, model.resolutionMessage),
  ];
  const internalSections: RcaSection[] = [];
  if (internal && model.internal) {
    sections.push(
      section(t.summary, [incident.summary, model.resolutionSummary].filter(Boolean).join('\n\n')),
    );
    internalSections.push(
      section(t.wentWell, model.internal.wentWell),
      section(t.wentBadly, model.internal.wentBadly),
      section(t.failureCauses, model.internal.failureCauses),
    );
    if (incident.kind === 'security_breach' || model.internal.securityDetails.trim())
      internalSections.push(section(t.securityDetails, model.internal.securityDetails));
    internalSections.push(section(t.internalNotes, model.internal.internalNotes));
  }
  const recipient = options.edition === 'customer' ? (options.recipientName ?? null) : null;
  return {
    language,
    internal,
    t,
    title: incident.title,
    reference: incident.reference,
    editionLabel: internal ? t.internalEdition : t.customerEdition,
    recipient,
    confidential: internal,
    meta: [
      { label: t.reference, value: incident.reference },
      { label: t.version, value: String(info.version) },
      { label: t.generatedAt, value: when(info.generatedAt) },
      { label: t.publishedAt, value: info.publishedAt ? when(info.publishedAt) : t.notPublished },
      ...(internal && model.internal?.approvedBy
        ? [{ label: t.approvedBy, value: model.internal.approvedBy }]
        : []),
    ],
    correctionNote: info.correctionNote,
    overview: [
      { label: t.kind, value: kinds[incident.kind] ?? incident.kind },
      { label: t.severity, value: String(incident.severity) },
      { label: t.services, value: model.services.join(', ') || '—' },
      { label: t.declaredAt, value: when(incident.declaredAt) },
      { label: t.resolvedAt, value: incident.resolvedAt ? when(incident.resolvedAt) : '—' },
      {
        label: t.duration,
        value:
          incident.durationMinutes === null ? '—' : formatDuration(incident.durationMinutes, durationUnits),
      },
      { label: t.impactedCustomers, value: String(model.impactedCustomerCount) },
    ],
    timeline: model.timeline.map((m) => ({ when: when(m.at), event: moments[m.kind] })),
    sections,
    measuresTaken: model.measuresTaken.map((m) => row(m, m.doneAt ? when(m.doneAt) : '')),
    measuresPlanned: model.measuresPlanned.map((m) => row(m, formatDay(m.dueOn, language))),
    internalSections,
    cancelledMeasures: internal ? (model.internal?.cancelledMeasures ?? []).map((m) => row(m, '')) : [],
    participants: internal ? (model.internal?.participants ?? []) : [],
    filenameBase: `${incident.reference}-rca-v${info.version}-${language}${internal ? '-internal' : ''}`,
  };
}

/** The page footer ("Page 2 of 5"), for the PDF. */
export function pageLabel(language: RcaLanguage, n: number, total: number): string {
  return RCA_LABELS[language].page(n, total);
}
