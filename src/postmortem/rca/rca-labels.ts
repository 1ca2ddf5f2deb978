import type { ActionItemStatus } from '../entities/action-item.entity';
import type { RcaMomentKind } from './rca-model';

import { Language, LANGUAGES, supportedLanguage } from '../../common/languages';
import { DE } from './labels/de';
import { EN } from './labels/en';
import { ES } from './labels/es';
import { FR } from './labels/fr';
import { IT } from './labels/it';

export const RCA_LANGUAGES = LANGUAGES;
export type RcaLanguage = Language;

/** A supported language, or English. */
export const rcaLanguage = (language: string | null | undefined): RcaLanguage => supportedLanguage(language);

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

/** One file per language under labels/: the compiler refuses a language that lacks a label. */
export const RCA_LABELS: Record<RcaLanguage, RcaLabels> = { en: EN, fr: FR, de: DE, it: IT, es: ES };
