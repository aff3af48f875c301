/**
 * A repository ready to publish:
 * - one name everywhere (action.yml, README title, package.json, User-Agent,
 *   step summary);
 * - one Node version everywhere (action.yml `node24`, `engines`,
 *   `.node-version`, the `node` devDependency), and a one-line message instead
 *   of a stack trace when the scripts start without it;
 * - LICENSE, SECURITY.md, CONTRIBUTING.md and docs/platform-api.md exist; the
 *   project points nowhere outside itself;
 * - CHANGELOG.md keeps an [Unreleased] section and dated versions that the
 *   release script turns into release notes; its parsing refuses what would
 *   make an empty or wrong release;
 * - files a local run writes stay out of git.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { changelogSection, createTag, majorTagOf, ReleaseError, versionOf } from '../../scripts/release.ts';
import { runNames } from '../../src/runner/names.ts';
import { NODE24, ROOT } from '../../harness/runner.ts';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  name: string;
  version: string;
  license: string;
  engines: { node: string };
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const action = parse(read('action.yml')) as {
  name: string;
  runs: { using: string };
  inputs: Record<string, { description?: string }>;
};

/** The action's name, as people read it, and as a package and User-Agent token. */
const NAME = 'Invicti SCIM credentials';
const SLUG = 'invicti-scim-credentials';

describe('one name everywhere', () => {
  it('action.yml, the README title, package.json, the User-Agent and the step summary', () => {
    expect(action.name).toBe(NAME);
    expect(read('README.md').split('\n')[0]).toBe(`# ${NAME}`);
    expect(pkg.name).toBe(SLUG);
    expect(read('src/index.ts')).toContain(`'${SLUG}/${pkg.version.split('.')[0]}'`);
    expect(read('src/runner/summary.ts')).toContain(NAME);
  });

  it('the default client-name starts with the name, so a registration tells which action made it', () => {
    expect(runNames({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7' }, () => 0).clientName).toBe(
      `${NAME} (o/r, run 7, 000000)`,
    );
    expect(action.inputs['client-name']?.description).toContain(`Default: "${NAME} (`);
  });
});

describe('one Node version everywhere', () => {
  it('action.yml runs node24; engines, .node-version and the node devDependency say 24', () => {
    expect(action.runs.using).toBe('node24');
    expect(pkg.engines.node).toBe('>=24');
    expect(read('.node-version').trim()).toBe('24');
    expect(pkg.devDependencies['node']).toMatch(/^24\./u);
  });

  const require = createRequire(import.meta.url);
  const { whatIsMissing } = require('../../scripts/check-node.cjs') as {
    whatIsMissing(env: {
      version: string;
      execPath: string;
      platform: string;
      root: string;
      exists: (path: string) => boolean;
    }): string | null;
  };
  const env = (version: string, present: string[]): Parameters<typeof whatIsMissing>[0] => ({
    version,
    execPath: '/usr/bin/node',
    platform: 'linux',
    root: '/p',
    exists: (path) => present.includes(path),
  });

  it('says in one sentence what is missing: dependencies, Node 24, or the Node 24 of the devDependency', () => {
    const all = ['/p/node_modules', '/p/node_modules/node/bin/node'];
    expect(whatIsMissing(env('v24.21.0', all))).toBeNull();
    expect(whatIsMissing(env('v25.0.0', all))).toBeNull();
    expect(whatIsMissing(env('v24.21.0', []))).toBe('This project needs its dependencies: run "npm ci" first.');
    expect(whatIsMissing(env('v20.20.2', all))).toBe(
      'This project needs Node 24, but "node" is v20.20.2 (/usr/bin/node): run "npm ci" (without --ignore-scripts) so the "node" devDependency installs Node 24, then retry.',
    );
    expect(whatIsMissing(env('v24.21.0', ['/p/node_modules']))).toMatch(
      /^Node 24 of the "node" devDependency is missing \(node_modules\/node\/bin\/node\); .*--ignore-scripts/u,
    );
    expect(
      whatIsMissing({ ...env('v24.21.0', ['/p/node_modules', '/p/node_modules/node/bin/node']), platform: 'win32' }),
    ).toMatch(/node\.exe/u);
  });

  it('every script that needs Node 24 checks it first', () => {
    for (const name of ['test', 'demo', 'bench', 'local', 'simulator', 'release', 'bundle']) {
      expect(pkg.scripts[name], name).toMatch(/^node scripts\/check-node\.cjs && /u);
    }
  });

  const scratch = mkdtempSync(join(tmpdir(), 'check-node-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('after npm ci --ignore-scripts (no Node 24 binary), the check prints one line and exits 1', () => {
    mkdirSync(join(scratch, 'scripts'));
    mkdirSync(join(scratch, 'node_modules', 'node', 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'scripts', 'check-node.cjs'), join(scratch, 'scripts', 'check-node.cjs'));
    const run = spawnSync(NODE24, [join(scratch, 'scripts', 'check-node.cjs')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^Node 24 of the "node" devDependency is missing/u);
  });

  /** A Node older than 24 on this machine, if there is one (machines here have Node 20). */
  const older = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
    if (!existsSync(path)) return false;
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
    return Number(version.slice(1).split('.')[0]) < 24;
  });

  it.skipIf(older === undefined)('started by an older Node, the check prints one line and exits 1', () => {
    const run = spawnSync(older ?? '', [join(ROOT, 'scripts', 'check-node.cjs')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^This project needs Node 24, but "node" is v\d+/u);
  });
});

describe('the files a published action needs', () => {
  it('LICENSE is the MIT licence package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /u);
  });

  it('SECURITY.md says how to report privately; CONTRIBUTING.md says how to build, test, bench, run and release', () => {
    expect(read('SECURITY.md')).toMatch(/Report a vulnerability/u);
    const contributing = read('CONTRIBUTING.md');
    for (const heading of ['## Set up', '## Test', '## Run locally', '## Performance', '## Releasing'])
      expect(contributing).toContain(`\n${heading}`);
  });

  it('the project points nowhere outside itself and uses its own words', () => {
    const files = [
      'README.md',
      'CONTRIBUTING.md',
      'SECURITY.md',
      'CHANGELOG.md',
      'action.yml',
      ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`),
    ];
    expect(files).toEqual(
      expect.arrayContaining([
        'docs/platform-api.md',
        'docs/troubleshooting.md',
        'docs/entra-id.md',
        'docs/owner-credential.md',
      ]),
    );
    for (const file of files) {
      expect(read(file), file).not.toMatch(/\.\.\/shared|\bseed\b/iu);
    }
    expect(read('docs/platform-api.md')).toContain('https://docs.invicti.com/ip/set-up-scim-provisioning');
    expect(read('docs/platform-api.md')).toContain('https://docs.invicti.com/ip/scim-configure-directory');
  });

  it('files a local run writes are ignored by git', () => {
    const ignored = (path: string): boolean =>
      spawnSync('git', ['check-ignore', '--quiet', '--no-index', path], { cwd: ROOT }).status === 0;
    for (const path of ['outputs.json', 'local/outputs.json', 'scim.outputs.json', 'coverage/index.html', '.env'])
      expect(ignored(path), path).toBe(true);
    expect(ignored('src/index.ts')).toBe(false);
  });
});

describe('CHANGELOG.md and the release notes', () => {
  const changelog = read('CHANGELOG.md');

  it('follows Keep a Changelog: an [Unreleased] section, then dated versions with links, newest first', () => {
    expect(changelog).toMatch(/^# Changelog\n/u);
    expect(changelog).toContain('\n## [Unreleased]\n');
    const versions = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/gmu)].map((m) => m[1] ?? '');
    // Before the first release no version is dated (package.json names the first one); after it, package.json's is.
    if (versions.length > 0) expect(versions).toContain(pkg.version);
    const sorted = [...versions].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    expect(versions).toEqual(sorted);
    for (const version of versions)
      expect(changelogSection(changelog, version).body).toMatch(
        /^### (Added|Changed|Deprecated|Removed|Fixed|Security)\n/u,
      );
    // [Unreleased] compares with the newest tag; before the first release there is none to compare with.
    expect(changelog).toMatch(
      versions.length > 0
        ? /^\[Unreleased\]: https:\/\/github\.com\/\S+\/compare\/v\S+\.\.\.HEAD$/mu
        : /^\[Unreleased\]: https:\/\/github\.com\/\S+\/commits\/main$/mu,
    );
  });

  it('a version section is its body up to the next version, without the links', () => {
    const text = `# Changelog\n\n## [Unreleased]\n\n### Added\n\n- next\n\n## [1.1.0] - 2027-01-02\n\n### Fixed\n\n- a fix\n\n## [1.0.0] - 2026-11-30\n\n### Added\n\n- first\n\n[Unreleased]: https://x/compare/v1.1.0...HEAD\n[1.1.0]: https://x/compare/v1.0.0...v1.1.0\n[1.0.0]: https://x/releases/tag/v1.0.0\n`;
    expect(changelogSection(text, '1.1.0')).toEqual({ date: '2027-01-02', body: '### Fixed\n\n- a fix' });
    expect(changelogSection(text, '1.0.0')).toEqual({ date: '2026-11-30', body: '### Added\n\n- first' });
    expect(() => changelogSection(text, '1.2.0')).toThrow(/no "## \[1\.2\.0\] - YYYY-MM-DD" section/u);
    expect(() => changelogSection(text.replace('[1.1.0] - 2027-01-02', '[1.1.0]'), '1.1.0')).toThrow(/has no date/u);
    expect(() => changelogSection(text.replace('- a fix', ''), '1.1.0')).toThrow(/lists no change/u);
    expect(() => changelogSection(text.replace('[1.1.0]: https://x/compare/v1.0.0...v1.1.0\n', ''), '1.1.0')).toThrow(
      /no link/u,
    );
    expect(() => changelogSection(text, '1.1')).toThrow(ReleaseError);
  });

  it('only vMAJOR.MINOR.PATCH tags are released; the major tag follows', () => {
    expect(versionOf('v1.2.3')).toBe('1.2.3');
    expect(majorTagOf('v1.2.3')).toBe('v1');
    expect(majorTagOf('v10.0.0')).toBe('v10');
    for (const bad of ['1.2.3', 'v1.2', 'v1.2.3-rc.1', 'v01.2.3', 'v1.2.3.4', 'v1'])
      expect(() => versionOf(bad), bad).toThrow(ReleaseError);
  });

  it('the release tag carries the notes verbatim, headings included', () => {
    const repo = mkdtempSync(join(tmpdir(), 'release-tag-'));
    try {
      const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
      git('init', '--quiet');
      git('config', 'user.name', 't');
      git('config', 'user.email', 't@example.com');
      git('commit', '--quiet', '--allow-empty', '--message', 'scratch');
      const notes = '### Added\n\n- a thing\n\n### Fixed\n\n- # not a comment';
      const commit = git('rev-parse', 'HEAD').trim();
      createTag('v9.9.9', notes, commit, repo);
      expect(git('tag', '--list', '--format=%(contents)', 'v9.9.9')).toBe(`v9.9.9\n\n${notes}\n\n`);
      expect(git('rev-list', '-n', '1', 'v9.9.9').trim()).toBe(commit);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('`release notes vX.Y.Z` prints that section, and fails in one line on a version it lacks', () => {
    // Before the first release package.json's version has no section yet: the notes of the newest dated one, if any.
    const dated = /^## \[(\d+\.\d+\.\d+)\] - /mu.exec(changelog)?.[1];
    if (dated !== undefined) {
      const ok = execFileSync(NODE24, [join(ROOT, 'scripts', 'release.ts'), 'notes', `v${dated}`], {
        encoding: 'utf8',
      });
      expect(ok).toBe(`${changelogSection(changelog, dated).body}\n`);
    }
    const missing = spawnSync(NODE24, [join(ROOT, 'scripts', 'release.ts'), 'notes', 'v99.0.0'], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      'Release: CHANGELOG.md has no "## [99.0.0] - YYYY-MM-DD" section: move the [Unreleased] entries under it.\n',
    );
  });
});
