import { DomainError } from '../../../common/domain-error';
import { nextVersion, versionToPublish } from './rca-versions';

const at = new Date('2026-03-06T10:00:00Z');
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return `${error.kind}:${error.code}`;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('nextVersion', () => {
  it('starts at 1 without a note, and counts on from the highest', () => {
    expect(nextVersion([], null)).toBe(1);
    expect(
      nextVersion(
        [
          { version: 2, publishedAt: at },
          { version: 1, publishedAt: at },
        ],
        'Fixed',
      ),
    ).toBe(3);
  });

  it('needs a correction note from version 2 on', () => {
    expect(code(() => nextVersion([{ version: 1, publishedAt: null }], null))).toBe(
      'validation:validation_failed',
    );
    expect(code(() => nextVersion([{ version: 1, publishedAt: null }], '   '))).toBe(
      'validation:validation_failed',
    );
  });
});

describe('versionToPublish', () => {
  const v = (version: number, published = false) => ({ version, publishedAt: published ? at : null });

  it('takes the latest by default, or the one asked for', () => {
    expect(versionToPublish('INC-2026-00042', [v(1, true), v(2)], undefined).version).toBe(2);
    expect(versionToPublish('INC-2026-00042', [v(1), v(2)], 1).version).toBe(1);
  });

  it('refuses when nothing was generated, an unknown version, or one already out', () => {
    expect(code(() => versionToPublish('INC-2026-00042', [], undefined))).toBe('conflict:rca.not_generated');
    expect(code(() => versionToPublish('INC-2026-00042', [v(1)], 3))).toBe('not_found:rca.not_found');
    expect(code(() => versionToPublish('INC-2026-00042', [v(1, true)], undefined))).toBe(
      'conflict:rca.already_published',
    );
  });

  it('never publishes a version older than one already published', () => {
    expect(code(() => versionToPublish('INC-2026-00042', [v(1), v(2, true), v(3)], 1))).toBe(
      'conflict:rca.version_superseded',
    );
    expect(versionToPublish('INC-2026-00042', [v(1), v(2, true), v(3)], 3).version).toBe(3);
  });
});
