import { RCA_LABELS, rcaLanguage } from './rca-labels';
import type { RcaMeasure, RcaModel } from './rca-model';

export const REDACTED_CUSTOMER: Record<string, string> = {
  en: 'another customer',
  fr: 'un autre client',
};

export interface CustomerEditionInput {
  /** The customer the edition is for: its own name may stay. */
  recipient: { id: string; name: string };
  /** Names to take out of every free text, besides the other impacted customers of the model. */
  otherCustomerNames: string[];
  language: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const normalise = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/**
 * Replaces each of `names` in `text` by `replacement`, whole words only, ignoring case and
 * runs of white space, except `keep` (the recipient's own name). One pass over the longest
 * names first, so "Acme Logistics" is taken whole and a recipient called "Acme" stays.
 */
export function redactNames(text: string, names: string[], keep: string | null, replacement: string): string {
  const keepKey = keep ? normalise(keep) : null;
  const unique = [...new Map([...names, ...(keep ? [keep] : [])].map((n) => [normalise(n), n])).values()]
    .filter((n) => n.trim().length > 0)
    .sort((a, b) => b.length - a.length);
  if (unique.length === 0 || !text) return text;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${unique.map((n) => n.trim().split(/\s+/).map(escapeRegExp).join('\\s+')).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
  return text.replace(pattern, (match) => (normalise(match) === keepKey ? match : replacement));
}

/**
 * The customer edition of a report model, for one customer: no internal field (analysis
 * retrospective, internal notes, security details, the incident's internal summary and
 * resolution summary, owners, tracker links, staff names; a breach's title, which may describe
 * the attack), no other customer's name in any free text, no other customer in the impacted
 * list (only the count).
 */
export function customerEdition(model: RcaModel, input: CustomerEditionInput): RcaModel {
  const others = [
    ...model.impactedCustomers.filter((c) => c.id !== input.recipient.id).map((c) => c.name),
    ...input.otherCustomerNames,
  ].filter((name) => normalise(name) !== normalise(input.recipient.name));
  const replacement = REDACTED_CUSTOMER[input.language] ?? REDACTED_CUSTOMER.en;
  const redact = (text: string) => redactNames(text, others, input.recipient.name, replacement);
  const measure = (m: RcaMeasure): RcaMeasure => ({
    title: redact(m.title),
    description: redact(m.description),
    status: m.status,
    dueOn: m.dueOn,
    doneAt: m.doneAt,
    owner: '',
    trackerUrl: null,
  });
  return {
    schema: model.schema,
    incident: {
      ...model.incident,
      // As in the breach notices: a breach's title may describe the attack, customers get the kind.
      title:
        model.incident.kind === 'security_breach'
          ? RCA_LABELS[rcaLanguage(input.language)].kinds.security_breach
          : redact(model.incident.title),
      summary: '',
    },
    services: model.services.map(redact),
    impactedCustomerCount: model.impactedCustomerCount,
    impactedCustomers: model.impactedCustomers.filter((c) => c.id === input.recipient.id),
    timeline: model.timeline.map((m) => ({ ...m })),
    rootCauses: redact(model.rootCauses),
    contributingFactors: redact(model.contributingFactors),
    resolutionMessage: model.resolutionMessage === null ? null : redact(model.resolutionMessage),
    resolutionSummary: null,
    measuresTaken: model.measuresTaken.map(measure),
    measuresPlanned: model.measuresPlanned.map(measure),
    internal: null,
  };
}
