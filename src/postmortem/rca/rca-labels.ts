import type { ActionItemStatus } from '../entities/action-item.entity';
import type { RcaMomentKind } from './rca-model';

export const RCA_LANGUAGES = ['fr', 'en'] as const;
export type RcaLanguage = (typeof RCA_LANGUAGES)[number];

/** A supported language, or English. */
export function rcaLanguage(language: string | null | undefined): RcaLanguage {
  return (RCA_LANGUAGES as readonly string[]).includes(language ?? '') ? (language as RcaLanguage) : 'en';
}

export interface RcaLabels {
  documentTitle: string;
  internalEdition: string;
  customerEdition: string;
  preparedFor: string;
  confidential: string;
  version: string;
  generatedAt: string;
  publishedAt: string;
  notPublished: string;
  correction: string;
  overview: string;
  contents: string;
  reference: string;
  kind: string;
  severity: string;
  services: string;
  declaredAt: string;
  resolvedAt: string;
  duration: string;
  impactedCustomers: string;
  timeline: string;
  when: string;
  event: string;
  rootCause: string;
  contributingFactors: string;
  resolution: string;
  measuresTaken: string;
  measuresPlanned: string;
  measure: string;
  doneOn: string;
  dueOn: string;
  status: string;
  owner: string;
  tracker: string;
  none: string;
  summary: string;
  analysis: string;
  wentWell: string;
  wentBadly: string;
  failureCauses: string;
  securityDetails: string;
  internalNotes: string;
  cancelledMeasures: string;
  participants: string;
  approvedBy: string;
  page: (n: number, total: number) => string;
  kinds: Record<string, string>;
  moments: Record<RcaMomentKind, string>;
  statuses: Record<ActionItemStatus, string>;
  durationUnits: { day: string; hour: string; minute: string };
}

export const RCA_LABELS: Record<RcaLanguage, RcaLabels> = {
  en: {
    documentTitle: 'Root cause analysis report',
    internalEdition: 'Internal edition',
    customerEdition: 'Customer edition',
    preparedFor: 'Prepared for',
    confidential: 'Confidential: for the incident team only',
    version: 'Version',
    generatedAt: 'Generated',
    publishedAt: 'Published',
    notPublished: 'Not published',
    correction: 'Correction',
    overview: 'Overview',
    contents: 'Contents',
    reference: 'Reference',
    kind: 'Type',
    severity: 'Severity',
    services: 'Affected services',
    declaredAt: 'Declared',
    resolvedAt: 'Resolved',
    duration: 'Duration',
    impactedCustomers: 'Customers impacted',
    timeline: 'Timeline',
    when: 'When',
    event: 'Event',
    rootCause: 'Root cause',
    contributingFactors: 'Contributing factors',
    resolution: 'Resolution',
    measuresTaken: 'Measures taken',
    measuresPlanned: 'Measures planned to reduce recurrence',
    measure: 'Measure',
    doneOn: 'Done',
    dueOn: 'Due',
    status: 'Status',
    owner: 'Owner',
    tracker: 'Tracker',
    none: 'None.',
    summary: 'Internal summary',
    analysis: 'Major problem analysis (internal)',
    wentWell: 'What went well',
    wentBadly: 'What went badly',
    failureCauses: 'Causes of the failures',
    securityDetails: 'Security details',
    internalNotes: 'Internal notes',
    cancelledMeasures: 'Cancelled measures',
    participants: 'Participants',
    approvedBy: 'Analysis approved by',
    page: (n, total) => `Page ${n} of ${total}`,
    kinds: { service_disruption: 'Service disruption', security_breach: 'Security incident' },
    moments: {
      detected: 'Problem first reported',
      declared: 'Incident declared',
      impact_defined: 'Impacted customers identified',
      first_notice: 'First notice delivered to customers',
      update: 'Status update sent',
      resolution_notice: 'Resolution notice sent',
      resolved: 'Service restored',
    },
    statuses: { open: 'Planned', in_progress: 'In progress', done: 'Done', cancelled: 'Cancelled' },
    durationUnits: { day: 'd', hour: 'h', minute: 'min' },
  },
  fr: {
    documentTitle: 'Rapport d’analyse des causes',
    internalEdition: 'Édition interne',
    customerEdition: 'Édition client',
    preparedFor: 'Préparé pour',
    confidential: 'Confidentiel : réservé à l’équipe de l’incident',
    version: 'Version',
    generatedAt: 'Généré le',
    publishedAt: 'Publié le',
    notPublished: 'Non publié',
    correction: 'Correction',
    overview: 'Vue d’ensemble',
    contents: 'Sommaire',
    reference: 'Référence',
    kind: 'Type',
    severity: 'Sévérité',
    services: 'Services concernés',
    declaredAt: 'Déclaré le',
    resolvedAt: 'Résolu le',
    duration: 'Durée',
    impactedCustomers: 'Clients impactés',
    timeline: 'Chronologie',
    when: 'Date',
    event: 'Événement',
    rootCause: 'Cause racine',
    contributingFactors: 'Facteurs contributifs',
    resolution: 'Résolution',
    measuresTaken: 'Mesures prises',
    measuresPlanned: 'Mesures prévues pour éviter que cela se reproduise',
    measure: 'Mesure',
    doneOn: 'Réalisée le',
    dueOn: 'Échéance',
    status: 'État',
    owner: 'Responsable',
    tracker: 'Suivi',
    none: 'Aucune.',
    summary: 'Résumé interne',
    analysis: 'Analyse du problème majeur (interne)',
    wentWell: 'Ce qui a bien fonctionné',
    wentBadly: 'Ce qui a mal fonctionné',
    failureCauses: 'Causes des défaillances',
    securityDetails: 'Détails de sécurité',
    internalNotes: 'Notes internes',
    cancelledMeasures: 'Mesures annulées',
    participants: 'Participants',
    approvedBy: 'Analyse approuvée par',
    page: (n, total) => `Page ${n} sur ${total}`,
    kinds: { service_disruption: 'Interruption de service', security_breach: 'Incident de sécurité' },
    moments: {
      detected: 'Premier signalement du problème',
      declared: 'Incident déclaré',
      impact_defined: 'Clients impactés identifiés',
      first_notice: 'Première notification remise aux clients',
      update: 'Point de situation envoyé',
      resolution_notice: 'Avis de résolution envoyé',
      resolved: 'Service rétabli',
    },
    statuses: { open: 'Prévue', in_progress: 'En cours', done: 'Réalisée', cancelled: 'Annulée' },
    durationUnits: { day: 'j', hour: 'h', minute: 'min' },
  },
};
