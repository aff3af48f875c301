/**
 * Release helper. Two uses:
 *
 *   npm run release -- notes v1.2.3
 *     Prints the CHANGELOG.md section of version 1.2.3 (its body, without the
 *     heading): the GitHub release notes. The release workflow runs this.
 *
 *   npm run release -- v1.2.3 [--dry-run | --no-push] [--remote origin]
 *     Checks that the tag can be released from this commit, then creates the
 *     annotated tag v1.2.3 (its message is the notes) and pushes it, which
 *     starts the release workflow. Checks: a clean work tree; package.json
 *     `version` is 1.2.3; CHANGELOG.md has a dated, non-empty `## [1.2.3]`
 *     section and a link for it; the tag does not exist yet; `dist/` equals
 *     a fresh `npm run bundle`.
 *     --dry-run  checks and prints the notes and the commands; changes nothing.
 *     --no-push  also creates the tag locally, but does not push it.
 *
 * Only plain `vMAJOR.MINOR.PATCH` tags are released; Node 24 runs this file
 * as it is (type stripping), without dependencies.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A release tag, `vMAJOR.MINOR.PATCH` (SemVer 2.0.0 without pre-release or build parts). */
export const TAG_PATTERN = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/u;

/** A release-blocking problem, printed as one line. */
export class ReleaseError extends Error {}

/**
 * The version of a release tag.
 * @param tag e.g. `v1.2.3`
 * @returns e.g. `1.2.3`
 * @throws ReleaseError when the tag is not `vMAJOR.MINOR.PATCH`
 */
export function versionOf(tag: string): string {
  if (!TAG_PATTERN.test(tag))
    throw new ReleaseError(`"${tag}" is not a release tag: write vMAJOR.MINOR.PATCH, e.g. v1.2.3`);
  return tag.slice(1);
}

/** The major tag a release moves, e.g. `v1` for `v1.2.3`. */
export function majorTagOf(tag: string): string {
  return `v${versionOf(tag).split('.')[0]}`;
}

/**
 * One version's section of a Keep a Changelog 1.1.0 file.
 * @param changelog the whole file
 * @param version e.g. `1.2.3`
 * @returns the section's date (`YYYY-MM-DD`) and body (the text between its
 *   `## [version] - date` heading and the next `## ` heading or link
 *   definitions, trimmed)
 * @throws ReleaseError when the section is missing, undated, empty, or the
 *   file has no `[version]: <url>` link for it
 */
export function changelogSection(changelog: string, version: string): { date: string; body: string } {
  const lines = changelog.replace(/\r\n/gu, '\n').split('\n');
  const escaped = version.replace(/\./gu, '\\.');
  const heading = new RegExp(`^## \\[${escaped}\\](.*)$`, 'u');
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1)
    throw new ReleaseError(
      `CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: move the [Unreleased] entries under it`,
    );
  const rest = heading.exec(lines[start] ?? '')?.[1] ?? '';
  const date = /^ - (\d{4}-\d{2}-\d{2})\s*$/u.exec(rest)?.[1];
  if (date === undefined)
    throw new ReleaseError(
      `CHANGELOG.md's "## [${version}]" heading has no date: write "## [${version}] - YYYY-MM-DD"`,
    );
  let end = lines.findIndex((line, i) => i > start && (line.startsWith('## ') || /^\[[^\]]+\]: /u.test(line)));
  if (end === -1) end = lines.length;
  const body = lines
    .slice(start + 1, end)
    .join('\n')
    .trim();
  if (!/^- /mu.test(body)) throw new ReleaseError(`CHANGELOG.md's "## [${version}]" section lists no change`);
  if (!new RegExp(`^\\[${escaped}\\]: \\S+`, 'mu').test(changelog)) {
    throw new ReleaseError(`CHANGELOG.md has no link "[${version}]: <url>" at its end`);
  }
  return { date, body };
}

function git(args: string[], options: { quiet?: boolean; cwd?: string } = {}): string {
  return execFileSync('git', args, {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', options.quiet ? 'ignore' : 'inherit'],
  }).trim();
}

/**
 * Creates the annotated tag `tag` on commit `commit`, its message the tag name
 * and the release notes, kept verbatim (git would otherwise drop the notes'
 * `### Added` lines as comments).
 * @param cwd the repository; default this project
 */
export function createTag(tag: string, notes: string, commit: string, cwd: string = ROOT): void {
  const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
  try {
    const file = join(dir, 'notes.md');
    writeFileSync(file, `${tag}\n\n${notes}\n`);
    git(['tag', '--annotate', '--cleanup=verbatim', tag, '--file', file, commit], { cwd });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tagExists(tag: string): boolean {
  try {
    git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}`], { quiet: true });
    return true;
  } catch {
    return false;
  }
}

/** Every check of a release of `tag` from HEAD; returns the release notes. */
function check(tag: string): string {
  const version = versionOf(tag);
  if (git(['status', '--porcelain']) !== '')
    throw new ReleaseError('the work tree has uncommitted changes: commit or stash them first');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string };
  if (pkg.version !== version)
    throw new ReleaseError(
      `package.json says version ${pkg.version ?? '(none)'}, the tag ${tag}: set "version": "${version}" and commit`,
    );
  const { body } = changelogSection(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), version);
  if (tagExists(tag))
    throw new ReleaseError(`tag ${tag} already exists: a released version is never moved; release the next version`);
  console.log(`Building dist/ to check it matches src/ (npm run bundle)…`);
  execFileSync('npm', ['run', '--silent', 'bundle'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (git(['status', '--porcelain', '--', 'dist']) !== '') {
    throw new ReleaseError('dist/ differs from a fresh "npm run bundle": commit the rebuilt dist/ first');
  }
  return body;
}

function main(argv: string[]): void {
  if (argv[0] === 'notes') {
    const tag = argv[1] ?? '';
    const { body } = changelogSection(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), versionOf(tag));
    process.stdout.write(`${body}\n`);
    return;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean' },
      'no-push': { type: 'boolean' },
      remote: { type: 'string', default: 'origin' },
    },
  });
  const [tag] = positionals;
  if (tag === undefined || positionals.length > 1) {
    throw new ReleaseError(
      'usage: npm run release -- vX.Y.Z [--dry-run | --no-push] [--remote origin], or npm run release -- notes vX.Y.Z',
    );
  }
  const dryRun = values['dry-run'] === true;
  const push = !dryRun && values['no-push'] !== true;
  const remote = values.remote ?? 'origin';
  const notes = check(tag);
  const head = git(['rev-parse', 'HEAD']);
  console.log(`\nRelease notes of ${tag} (from CHANGELOG.md):\n\n${notes}\n`);
  const tagCommand = ['git', 'tag', '--annotate', '--cleanup=verbatim', tag, '--file', '<the notes above>', head];
  const pushCommand = ['git', 'push', remote, `refs/tags/${tag}`];
  if (dryRun) {
    console.log(
      `Dry run: all checks passed for ${tag} at ${head}. Would run:\n  ${tagCommand.join(' ')}\n  ${pushCommand.join(' ')}`,
    );
    console.log(
      `The release workflow would then publish the GitHub release ${tag} and move ${majorTagOf(tag)} to ${head}.`,
    );
    return;
  }
  createTag(tag, notes, head);
  console.log(`Created tag ${tag} at ${head}.`);
  if (!push) {
    console.log(`Not pushed (--no-push). To release: ${pushCommand.join(' ')}   To undo: git tag --delete ${tag}`);
    return;
  }
  git(['push', remote, `refs/tags/${tag}`]);
  console.log(`Pushed ${tag}: the release workflow now checks it, publishes the release and moves ${majorTagOf(tag)}.`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    const known = error instanceof ReleaseError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!known) throw error;
    console.error(`Release: ${(error as Error).message}.`);
    process.exit(1);
  }
}
