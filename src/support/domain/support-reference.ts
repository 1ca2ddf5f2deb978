/** `SR-2026-000042`: the year of creation and a per-year sequence. */
export function formatSupportReference(year: number, sequence: number): string {
  return `SR-${year}-${String(sequence).padStart(6, '0')}`;
}

export const SUPPORT_REFERENCE_PATTERN = /^SR-\d{4}-\d{6,}$/;
