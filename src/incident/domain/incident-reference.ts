/** `INC-2026-00042`: the year of declaration and a per-year sequence. */
export function formatIncidentReference(year: number, sequence: number): string {
  return `INC-${year}-${String(sequence).padStart(5, '0')}`;
}

export const INCIDENT_REFERENCE_PATTERN = /^INC-\d{4}-\d{5,}$/;
