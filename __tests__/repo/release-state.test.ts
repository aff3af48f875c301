/**
 * Issue 17, "CHANGELOG and README agree on what is released": the README's
 * "Not released yet" note stands exactly while CHANGELOG.md dates no version;
 * before the first release CHANGELOG.md says so, links no release tag, and
 * the release script refuses package.json's version until [Unreleased] is
 * moved under it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changelogSection, ReleaseError } from '../../scripts/release.ts';
import { ROOT } from '../../harness/runner.ts';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The versions CHANGELOG.md records as released (dated sections), newest first. */
function releasedVersions(changelog: string): string[] {
  return [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/gmu)].map((m) => m[1] ?? '');
}

/** Whether the README says nothing is released yet. */
function readmeSaysUnreleased(readme: string): boolean {
  return /\bNot released yet\b/u.test(readme);
}

describe('what is released', () => {
  const changelog = read('CHANGELOG.md');
  const readme = read('README.md');
  const pkg = JSON.parse(read('package.json')) as { version: string };

  it('the README says "Not released yet" exactly while CHANGELOG.md dates no version', () => {
    expect(readmeSaysUnreleased(readme)).toBe(releasedVersions(changelog).length === 0);
  });

  it.runIf(releasedVersions(changelog).length === 0)(
    'before the first release CHANGELOG.md says so, links no release tag, and package.json names the first version',
    () => {
      expect(changelog).toMatch(/Nothing is released yet/u);
      expect(changelog).not.toMatch(/\/releases\/tag\/|\/compare\/v/u);
      expect(changelog).toContain(`The first release will be ${pkg.version}`);
      expect(() => changelogSection(changelog, pkg.version)).toThrow(ReleaseError);
      expect(() => changelogSection(changelog, pkg.version)).toThrow(/move the \[Unreleased\] entries under it/u);
    },
  );

  it('tells the two states apart', () => {
    const released = '# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-30\n\n### Added\n\n- x\n';
    expect(releasedVersions(released)).toEqual(['1.0.0']);
    expect(releasedVersions('# Changelog\n\n## [Unreleased]\n\n### Added\n\n- x\n')).toEqual([]);
    expect(readmeSaysUnreleased('> **Not released yet.** `@v1` …')).toBe(true);
    expect(readmeSaysUnreleased('Pin `@v1`.')).toBe(false);
  });
});
