/**
 * Documentation that cannot rot:
 * - every ```yaml block of README.md parses, and each step that uses this
 *   action passes only inputs action.yml declares, gives its mode's required
 *   inputs, and every `steps.<id>.outputs.<name>` of the block names a declared
 *   output of that step's action; no job hands a masked output to another job;
 * - action.yml describes every input and output and has branding.
 * The Troubleshooting keys against real messages: e2e/troubleshooting.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { docsExampleBlocks, yamlBlocks } from '../support/markdown.ts';
import { ROOT } from '../../harness/runner.ts';
import type { Report } from '../../src/runner/report.ts';
import { renderSummary } from '../../src/runner/summary.ts';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The workflow examples of docs/*.md (handing over credentials, on-premises behind a proxy, password login, several platforms): checked like the README's. */
const DOCS_BLOCKS = docsExampleBlocks(ROOT);

interface ActionSpec {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  branding?: { icon?: string; color?: string };
}
const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionSpec;

/**
 * The ways each mode can be given what it cannot do without (inputs.ts), besides
 * action.yml's `required: true`: exactly one way, all of its inputs. Provision
 * takes an Owner's `api-key` or `email` + `password`.
 */
const REQUIRED_BY_MODE: Record<string, string[][]> = {
  provision: [['api-key'], ['email', 'password']],
  token: [['client-id', 'client-secret']],
  'entra-check': [['entra-tenant-id', 'entra-client-id', 'entra-service-principal-id']],
};
/** The inputs of the Entra ID hand-off, all three or none; with them the job needs `permissions: id-token: write`. */
const ENTRA_IDS = ['entra-tenant-id', 'entra-client-id', 'entra-service-principal-id'];
/** Outputs that are masked: empty in any other job (README, "Masked outputs do not cross jobs"). */
const MASKED_OUTPUTS = ['client-secret', 'access-token'];
const THIS_ACTION = /^(?:invicti-scim\/credentials-action@\S+|\.\/?)$/u;

interface Step {
  id?: unknown;
  uses?: unknown;
  with?: Record<string, unknown> | null;
}
interface Scope {
  name: string;
  steps: Step[];
  /** The scope as JSON text (no line folding), to find expressions in. */
  text: string;
  /** A job's `outputs:` map, if any. */
  outputs?: Record<string, unknown>;
}

/** The job-like scopes of a block: each job of a workflow, or a bare list of steps. */
function scopesOf(doc: unknown): Scope[] {
  if (Array.isArray(doc)) return [{ name: 'steps', steps: doc as Step[], text: JSON.stringify(doc) }];
  const jobs = (doc as { jobs?: Record<string, { steps?: Step[]; outputs?: Record<string, unknown> }> } | null)?.jobs;
  if (!jobs) return [];
  return Object.entries(jobs).map(([name, job]) => ({
    name,
    steps: job.steps ?? [],
    text: JSON.stringify(job),
    outputs: job.outputs,
  }));
}

const OUTPUT_REF = /steps\.([A-Za-z_][\w-]*)\.outputs(?:\.([A-Za-z_][\w-]*)|\[\s*'([^']+)'\s*\])/gu;

/**
 * What is wrong with one yaml block, as sentences; empty when all is well.
 * @param text the block's YAML
 */
export function checkBlock(text: string, action: ActionSpec = ACTION): string[] {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return [`does not parse: ${(error as Error).message}`];
  }
  const declaredInputs = Object.keys(action.inputs);
  const declaredOutputs = Object.keys(action.outputs);
  const workflowPermissions = Array.isArray(doc) ? undefined : (doc as { permissions?: unknown } | null)?.permissions;
  for (const scope of scopesOf(doc)) {
    const byId = new Map<string, Step>();
    for (const step of scope.steps) if (typeof step.id === 'string') byId.set(step.id, step);
    for (const step of scope.steps) {
      if (typeof step.uses !== 'string' || !THIS_ACTION.test(step.uses)) continue;
      const label = `${scope.name}: step ${typeof step.id === 'string' ? step.id : '(no id)'}`;
      const given = step.with ?? {};
      for (const name of Object.keys(given)) {
        if (!declaredInputs.includes(name))
          problems.push(`${label} passes input "${name}", which action.yml does not declare`);
      }
      const present = (name: string): boolean =>
        given[name] !== undefined && given[name] !== null && String(given[name]).trim() !== '';
      for (const [name, spec] of Object.entries(action.inputs)) {
        if (spec.required && !present(name)) problems.push(`${label} does not pass required input "${name}"`);
      }
      const mode = given['mode'];
      if (typeof mode !== 'string' || !(mode in REQUIRED_BY_MODE)) {
        problems.push(`${label} has mode ${JSON.stringify(mode)}; write provision, token or entra-check literally`);
        continue;
      }
      const ways = REQUIRED_BY_MODE[mode] ?? [];
      const begun = ways.filter((way) => way.some(present));
      if (begun.length > 1) {
        problems.push(
          `${label} passes ${begun
            .map((way) =>
              way
                .filter(present)
                .map((n) => `"${n}"`)
                .join(' + '),
            )
            .join(' and ')} together (an input error: give one of them)`,
        );
      } else if (begun.length === 1 || ways.length === 1) {
        for (const name of begun[0] ?? ways[0] ?? []) {
          if (!present(name)) problems.push(`${label} is mode ${mode} but does not pass "${name}"`);
        }
      } else {
        problems.push(
          `${label} is mode ${mode} but passes none of ${ways.map((way) => way.map((n) => `"${n}"`).join(' + ')).join(' or ')}`,
        );
      }
      if (mode === 'provision' && String(given['scim-check']) === 'true' && String(given['verify']) === 'false') {
        problems.push(`${label} sets scim-check without verify (an input error in mode provision)`);
      }
      const entra = ENTRA_IDS.filter(present);
      if (entra.length > 0 && entra.length < ENTRA_IDS.length)
        problems.push(`${label} passes ${entra.map((n) => `"${n}"`).join(' + ')} without the other entra-* ids`);
      if (entra.length > 0 && mode === 'provision' && String(given['verify']) === 'false')
        problems.push(`${label} hands off to Entra ID without verify (an input error in mode provision)`);
      const permissions = (JSON.parse(scope.text) as { permissions?: unknown }).permissions ?? workflowPermissions;
      if (entra.length > 0 && (permissions as Record<string, unknown> | undefined)?.['id-token'] !== 'write')
        problems.push(`${label} hands off to Entra ID but its job lacks permissions: id-token: write`);
    }
    for (const match of scope.text.matchAll(OUTPUT_REF)) {
      const [, id = '', dotted, bracketed] = match;
      const output = dotted ?? bracketed ?? '';
      const step = byId.get(id);
      if (!step) {
        problems.push(`${scope.name}: steps.${id}.outputs.${output} names no step of this job`);
      } else if (typeof step.uses === 'string' && THIS_ACTION.test(step.uses) && !declaredOutputs.includes(output)) {
        problems.push(`${scope.name}: steps.${id}.outputs.${output} is not an output declared in action.yml`);
      }
    }
    for (const [name, value] of Object.entries(scope.outputs ?? {})) {
      for (const masked of MASKED_OUTPUTS) {
        if (String(value).includes(`outputs.${masked}`))
          problems.push(
            `${scope.name}: job output "${name}" passes masked output ${masked} to other jobs (it arrives empty)`,
          );
      }
    }
  }
  return problems;
}

/** Action steps of every README block (and, with `docs`, of every docs/*.md block), for coverage assertions. */
function actionSteps(docs = false): Array<{ block: number; step: Step; file: string }> {
  const blocks = [...yamlBlocks(README).map((text) => ({ file: 'README.md', text })), ...(docs ? DOCS_BLOCKS : [])];
  return blocks.flatMap(({ file, text }, block) =>
    scopesOf(parse(text)).flatMap((scope) =>
      scope.steps
        .filter((s) => typeof s.uses === 'string' && THIS_ACTION.test(s.uses))
        .map((step) => ({ block, step, file })),
    ),
  );
}

/** Every step of a block's jobs that reads `steps.<id>.outputs.client-secret` of an action step, with that id. */
function secretStores(
  text: string,
): Array<{ job: string; id: string; step: Step & { if?: unknown; run?: unknown; env?: Record<string, unknown> } }> {
  return scopesOf(parse(text)).flatMap((scope) => {
    const ids = scope.steps
      .filter((s) => typeof s.uses === 'string' && THIS_ACTION.test(s.uses))
      .map((s) => String(s.id));
    return scope.steps
      .filter(
        (s) =>
          !(typeof s.uses === 'string' && THIS_ACTION.test(s.uses)) && typeof (s as { run?: unknown }).run === 'string',
      )
      .flatMap((step) =>
        ids
          .filter((id) => JSON.stringify(step).includes(`steps.${id}.outputs.client-secret`))
          .map((id) => ({ job: scope.name, id, step })),
      );
  });
}

describe('README workflow blocks', () => {
  const blocks = yamlBlocks(README);

  it('has one complete workflow per use: rotate on a schedule, check what Entra uses, several platforms, smoke test', () => {
    // The README shows the rotation (its Quick start) and the check; docs/ the variants it links.
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(DOCS_BLOCKS.map((b) => b.file)).toEqual([
      'docs/entra-id.md',
      'docs/networks.md',
      'docs/owner-credential.md',
      'docs/several-platforms.md',
    ]);
    const docs = blocks.map((text) => parse(text) as Record<string, unknown>);
    const workflows = docs.filter((doc) => !Array.isArray(doc) && doc['jobs'] !== undefined);
    expect(workflows).toHaveLength(blocks.length);
    // Several platforms (a matrix) is linked from the README: docs/several-platforms.md.
    const matrices = [...docs, ...DOCS_BLOCKS.map((b) => parse(b.text) as Record<string, unknown>)].filter((doc) =>
      Object.values((doc['jobs'] ?? {}) as Record<string, { strategy?: { matrix?: unknown } }>).some(
        (job) => job.strategy?.matrix !== undefined,
      ),
    );
    expect(matrices.length).toBeGreaterThanOrEqual(1);
    for (const workflow of workflows) {
      expect(workflow['on'], 'a workflow needs a trigger').toBeDefined();
      for (const job of Object.values(workflow['jobs'] as Record<string, { 'runs-on'?: unknown; steps?: unknown[] }>)) {
        expect(job['runs-on']).toBeDefined();
        expect(job.steps?.length).toBeGreaterThan(0);
      }
    }
    const text = blocks.join('\n');
    expect(text).toContain('workflow_dispatch:');
    expect(text).toMatch(/schedule:\s*\n\s*- cron:/u);
    // Rotation hands off to Entra ID with no stored secret but the Owner's key; a scheduled check of what Entra uses.
    expect(text).toMatch(/^name: Rotate on a schedule$/mu);
    expect(text).toMatch(/^name: Check what Entra uses$/mu);
    expect(text).toContain('mode: entra-check');
    expect(text).toMatch(/^concurrency:/mu);
    expect(text).toContain('id-token: write');
    expect(text).not.toContain('gh secret set');
    // The smoke test with a bearer token is in docs/ (docs/entra-id.md).
    const docsText = DOCS_BLOCKS.map((b) => b.text).join('\n');
    expect(docsText).toContain('outputs.access-token');
    expect(docsText).toMatch(/\/Users/u);
    expect(actionSteps().map(({ step }) => step.uses)).toEqual(
      expect.arrayContaining(['invicti-scim/credentials-action@v1']),
    );
    for (const { step } of actionSteps(true)) expect(step.uses).toBe('invicti-scim/credentials-action@v1');
  });

  it('says before the first example that v1 is not released yet, and that a full commit SHA is safest', () => {
    const beforeFirstExample = README.slice(0, README.indexOf('```yaml'));
    expect(beforeFirstExample).toMatch(/Not released yet/u);
    expect(beforeFirstExample).toContain('CONTRIBUTING.md#releasing');
    expect(beforeFirstExample).toMatch(/Safest[^.]*full commit SHA/u);
  });

  it('api-key is the default: every README provisioning example uses it; the password login only where it is needed, in docs/', () => {
    const provisioning = actionSteps(true).filter(({ step }) => step.with?.['mode'] === 'provision');
    const withPassword = provisioning.filter(({ step }) => step.with?.['password'] !== undefined);
    expect(provisioning.length).toBeGreaterThanOrEqual(3);
    // Once as the Quick start's variant (docs/owner-credential.md), once as the organization job of several platforms.
    expect(withPassword.map(({ file }) => file).sort()).toEqual([
      'docs/owner-credential.md',
      'docs/several-platforms.md',
    ]);
    for (const { step, file } of provisioning) {
      if (step.with?.['password'] === undefined)
        expect(step.with?.['api-key'], file).toBe('${{ secrets.INVICTI_OWNER_API_KEY }}');
      // What only a password login can do (an API key cannot choose an organization).
      else expect(step.with?.['organization-id'], file).toBeTruthy();
      expect(
        step.with?.['api-key'] === undefined || step.with?.['organization-id'] === undefined,
        `${file}: api-key with organization-id`,
      ).toBe(true);
    }
    expect(README).not.toMatch(/^\s*password: /mu);
  });

  it.each(DOCS_BLOCKS.map((b) => [`${b.file} block ${b.index}`, b.text]))(
    '%s parses and uses the action as declared',
    (_, text) => {
      expect(checkBlock(text as string)).toEqual([]);
      expect(text as string, 'a masked output must not reach another job').not.toMatch(
        /needs\.[\w-]+\.outputs\.(client-secret|access-token)/u,
      );
    },
  );

  it('no example stores a client secret (the hand-off gives it to Entra ID) or needs a token that can write secrets', () => {
    const blocks = [
      ...yamlBlocks(README).map((text, i) => ({ file: 'README.md', index: i + 1, text })),
      ...DOCS_BLOCKS,
    ];
    const stores = blocks.flatMap((b) =>
      secretStores(b.text).map((store) => ({ ...store, where: `${b.file} block ${b.index} job ${store.job}` })),
    );
    expect(stores.map(({ where }) => where)).toEqual([]);
    for (const { text, file } of blocks) expect(text, file).not.toMatch(/SECRETS_ADMIN_TOKEN|GH_TOKEN|gh secret set/u);
  });

  it.each(blocks.map((text, i) => [i + 1, text]))('block %i parses and uses the action as declared', (_, text) => {
    expect(checkBlock(text as string)).toEqual([]);
  });

  it('the quick start provisions and, in the same step, hands the credentials to Entra ID: on a schedule, one run at a time, no reviewer', () => {
    const quickStart = README.slice(
      README.indexOf('\n## Quick start\n'),
      README.indexOf('\n## ', README.indexOf('\n## Quick start\n') + 1),
    );
    const [block] = yamlBlocks(quickStart);
    const workflow = parse(block ?? '') as {
      on: Record<string, unknown>;
      concurrency?: unknown;
      jobs: Record<string, { steps: Step[]; environment?: unknown; permissions?: Record<string, string> }>;
    };
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['schedule', 'workflow_dispatch']));
    expect(workflow.concurrency).toBeDefined();
    const jobs = Object.values(workflow.jobs);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.environment).toBeTruthy();
    expect(jobs[0]?.permissions?.['id-token']).toBe('write');
    const steps = jobs[0]?.steps ?? [];
    const provision = steps.find(
      (step) => typeof step.uses === 'string' && THIS_ACTION.test(step.uses) && step.with?.['mode'] === 'provision',
    );
    for (const input of ['entra-tenant-id', 'entra-client-id', 'entra-service-principal-id'])
      expect(String(provision?.with?.[input]), input).toMatch(/^\$\{\{ vars\.\w+ \}\}$/u);
    expect(provision?.with?.['verify']).toBeUndefined();
    // No step needs the client secret: the action gave it to Entra ID.
    expect(block).not.toContain('outputs.client-secret');
    // Required reviewers would pause every scheduled run; the README says so.
    expect(quickStart).toMatch(/without required reviewers/iu);
  });

  it('the hand-off table names the fields as the step summary does, with example values', () => {
    const section = README.slice(
      README.indexOf('\n## Hand-off to the directory\n'),
      README.indexOf('\n## ', README.indexOf('\n## Hand-off to the directory\n') + 1),
    );
    const rows = [...section.matchAll(/^\| ([^|`]+?) \| `([\w-]+)` \| (.+?) \|$/gmu)].map((m) => ({
      field: m[1] ?? '',
      output: m[2] ?? '',
      example: m[3] ?? '',
    }));
    expect(rows.map((r) => r.field)).toEqual(['Tenant URL', 'Token Endpoint', 'Client Identifier', 'Client Secret']);
    const summary = renderSummary(
      'token',
      {
        mode: 'token',
        baseUrl: 'https://platform-eu.invicti.com',
        region: 'eu',
        scimUrl: 'https://s',
        tokenUrl: 'https://t',
        clientId: 'm2m-1',
        token: { accessToken: 'a', tokenType: 'Bearer', expiresIn: 1, expiresAt: 'e' },
      } as Report,
      undefined,
      new Date(0),
    );
    for (const { field } of rows) expect(summary).toContain(`| ${field} |`);
    const clientId = rows.find((r) => r.output === 'client-id')?.example ?? '';
    expect(clientId).toMatch(/^`m2m-[0-9a-f]+`/u);
    expect(clientId).not.toContain('credentials.');
    expect(README).not.toMatch(/Client identifier|Client secret\b/u);
  });

  it('each workflow keeps the masked outputs in the job that made them (one job each)', () => {
    for (const text of blocks) {
      const doc = parse(text) as { jobs?: Record<string, unknown> };
      if (doc?.jobs && /outputs\.(client-secret|access-token)/u.test(text))
        expect(Object.keys(doc.jobs)).toHaveLength(1);
    }
  });
});

describe('checkBlock catches what would rot', () => {
  /** Each README block with its action steps changed by `edit`. */
  function mutated(edit: (step: Step) => void): string[] {
    return yamlBlocks(README)
      .map((text) => {
        const doc = parse(text) as unknown;
        let touched = false;
        for (const scope of scopesOf(doc)) {
          for (const step of scope.steps) {
            if (typeof step.uses === 'string' && THIS_ACTION.test(step.uses)) {
              edit(step);
              touched = true;
            }
          }
        }
        return touched ? stringify(doc) : undefined;
      })
      .filter((text): text is string => text !== undefined);
  }

  it('an undeclared input added to any README workflow', () => {
    const texts = mutated((step) => {
      step.with = { ...(step.with ?? {}), 'client-secret-file': 'secret.txt' };
    });
    expect(texts.length).toBe(actionSteps().length > 0 ? texts.length : -1);
    for (const text of texts)
      expect(checkBlock(text)).toContainEqual(
        expect.stringContaining('passes input "client-secret-file", which action.yml does not declare'),
      );
  });

  it('a required input of the mode left out', () => {
    for (const text of mutated((step) => {
      const w = step.with ?? {};
      if (w['mode'] === 'token') delete w['client-secret'];
      else if (w['mode'] === 'entra-check') delete w['entra-client-id'];
      else if (w['api-key'] !== undefined) delete w['api-key'];
      else delete w['password'];
    })) {
      expect(checkBlock(text)).toContainEqual(
        expect.stringMatching(
          /is mode (provision|token|entra-check) but (does not pass "(password|client-secret|entra-client-id)"|passes none of "api-key" or "email" \+ "password")/u,
        ),
      );
    }
    const provision = (given: Record<string, string>): string =>
      stringify([{ id: 'x', uses: './', with: { mode: 'provision', ...given } }]);
    expect(checkBlock(provision({}))).toEqual([
      'steps: step x is mode provision but passes none of "api-key" or "email" + "password"',
    ]);
    expect(checkBlock(provision({ email: 'a@b.c' }))).toEqual([
      'steps: step x is mode provision but does not pass "password"',
    ]);
    expect(checkBlock(provision({ 'api-key': 'k' }))).toEqual([]);
    expect(checkBlock(provision({ email: 'a@b.c', password: 'p' }))).toEqual([]);
    expect(checkBlock(stringify([{ id: 'x', uses: './', with: { email: 'a@b.c', password: 'p' } }]))).toContainEqual(
      expect.stringContaining('does not pass required input "mode"'),
    );
  });

  it('api-key given together with email or password (an input error of the action)', () => {
    const texts = mutated((step) => {
      const w = step.with ?? {};
      if (w['mode'] === 'provision') Object.assign(w, { 'api-key': 'k', email: 'a@b.c', password: 'p' });
    }).filter((text) => text.includes('mode: provision'));
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts)
      expect(checkBlock(text)).toContainEqual(
        expect.stringContaining('passes "api-key" and "email" + "password" together'),
      );
  });

  it('an undeclared output, a step that does not exist, and a masked output passed between jobs', () => {
    const steps = [
      {
        id: 'scim',
        uses: 'invicti-scim/credentials-action@v1',
        with: { mode: 'token', 'client-id': 'a', 'client-secret': 'b' },
      },
    ];
    const workflow = {
      on: 'push',
      jobs: {
        one: {
          'runs-on': 'ubuntu-latest',
          outputs: { secret: '${{ steps.scim.outputs.client-secret }}' },
          steps: [
            ...steps,
            {
              run: "echo ${{ steps.scim.outputs.bearer-token }} ${{ steps.other.outputs.x }} ${{ steps.scim.outputs['scim-url'] }}",
            },
          ],
        },
      },
    };
    expect(checkBlock(stringify(workflow))).toEqual([
      'one: steps.scim.outputs.bearer-token is not an output declared in action.yml',
      'one: steps.other.outputs.x names no step of this job',
      'one: job output "secret" passes masked output client-secret to other jobs (it arrives empty)',
    ]);
  });

  it('an Entra hand-off with one of its ids left out, without verify, or in a job without id-token: write', () => {
    const job = (w: Record<string, string>, permissions?: Record<string, string>): string =>
      stringify({
        on: 'workflow_dispatch',
        jobs: { rotate: { 'runs-on': 'ubuntu-latest', permissions, steps: [{ uses: './', with: w }] } },
      });
    const ids = { 'entra-tenant-id': 't', 'entra-client-id': 'c', 'entra-service-principal-id': 's' };
    const provision = { mode: 'provision', 'api-key': 'k', ...ids };
    expect(checkBlock(job(provision, { 'id-token': 'write' }))).toEqual([]);
    expect(checkBlock(job({ mode: 'entra-check', ...ids }, { 'id-token': 'write' }))).toEqual([]);
    expect(checkBlock(job({ ...provision, 'entra-client-id': '' }, { 'id-token': 'write' }))).toEqual([
      'rotate: step (no id) passes "entra-tenant-id" + "entra-service-principal-id" without the other entra-* ids',
    ]);
    expect(checkBlock(job({ ...provision, verify: 'false' }, { 'id-token': 'write' }))).toEqual([
      'rotate: step (no id) hands off to Entra ID without verify (an input error in mode provision)',
    ]);
    expect(checkBlock(job(provision, { contents: 'read' }))).toEqual([
      'rotate: step (no id) hands off to Entra ID but its job lacks permissions: id-token: write',
    ]);
    expect(checkBlock(job({ mode: 'entra-check', 'entra-tenant-id': 't' }, { 'id-token': 'write' }))).toContainEqual(
      'rotate: step (no id) is mode entra-check but does not pass "entra-client-id"',
    );
  });

  it('a block that does not parse', () => {
    expect(checkBlock('jobs: [unclosed')[0]).toMatch(/^does not parse/u);
  });
});

describe('action.yml documents itself', () => {
  it('every input and output has a description; branding is set', () => {
    for (const [name, spec] of [...Object.entries(ACTION.inputs), ...Object.entries(ACTION.outputs)]) {
      expect(
        typeof spec.description === 'string' && spec.description.trim().length > 10,
        `${name} needs a description`,
      ).toBe(true);
    }
    expect(ACTION.branding?.icon).toBeTruthy();
    expect(ACTION.branding?.color).toBeTruthy();
  });

  it('the README tables list every input and output', () => {
    for (const name of [...Object.keys(ACTION.inputs), ...Object.keys(ACTION.outputs)])
      expect(README).toContain(`| \`${name}\` |`);
  });
});
