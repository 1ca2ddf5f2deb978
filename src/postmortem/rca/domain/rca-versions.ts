import { ConflictError, DomainError, ValidationError } from '../../../common/domain-error';

export interface VersionState {
  version: number;
  publishedAt: Date | null;
}

export class RcaVersionNotFound extends DomainError {
  constructor(reference: string, version?: number) {
    super(
      'not_found',
      'rca.not_found',
      version === undefined
        ? `${reference} has no RCA report yet`
        : `${reference} has no RCA report version ${version}`,
    );
  }
}

/**
 * The number of the next version. The first is the report; every later one is a correction
 * and must say what it corrects.
 */
export function nextVersion(versions: VersionState[], correctionNote: string | null): number {
  const version = Math.max(0, ...versions.map((v) => v.version)) + 1;
  if (version > 1 && !correctionNote?.trim()) {
    throw ValidationError.field(
      'correctionNote',
      'required',
      'correctionNote is required for a correction (version 2 and later): say what changed',
    );
  }
  return version;
}

/**
 * The version a publication makes public: the one asked for, else the latest. Each is
 * published once, and never after a later one (customers would get an older report last).
 */
export function versionToPublish<T extends VersionState>(
  reference: string,
  versions: T[],
  requested: number | undefined,
): T {
  if (versions.length === 0)
    throw new ConflictError('rca.not_generated', `${reference} has no RCA report to publish yet`);
  const latest = versions.reduce((a, b) => (b.version > a.version ? b : a));
  const chosen = requested === undefined ? latest : versions.find((v) => v.version === requested);
  if (!chosen) throw new RcaVersionNotFound(reference, requested);
  if (chosen.publishedAt) {
    throw new ConflictError(
      'rca.already_published',
      `${reference} RCA version ${chosen.version} was published on ${chosen.publishedAt.toISOString()}`,
    );
  }
  if (versions.some((v) => v.version > chosen.version && v.publishedAt)) {
    throw new ConflictError(
      'rca.version_superseded',
      `${reference} already has a later published RCA version than ${chosen.version}`,
    );
  }
  return chosen;
}
