/**
 * Issue 4, documentation that cannot rot:
 * - every ```yaml block of README.md parses, and each step that uses this
 *   action passes only inputs action.yml declares, gives its mode's required
 *   inputs, and every `steps.<id>.outputs.<name>` of the block names a declared
 *   output of that step's action; no job hands a masked output to another job;
 * - action.yml describes every input and output and has branding;
 * - Troubleshooting (docs/troubleshooting.md, and the README's section of the
 *   common ones, each also in that file) is keyed by messages the action
 *   really prints: each key matches a message of a run against the simulator,
 *   and each such message is documented by a key.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { docsExampleBlocks, yamlBlocks } from './support/markdown.ts';
import { ROOT, runAction } from '../harness/runner.ts';
import type { Report } from '../src/runner/report.ts';
import { renderSummary } from '../src/runner/summary.ts';
import { MEMBER, OWNER, PlatformSimulator, type Fault, type Route } from '../harness/simulator.ts';
import { makeLoopbackCertificate, type LoopbackCertificate } from '../harness/tls.ts';
import * as http from 'node:http';
import { createProxy } from 'proxy';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The workflow examples of docs/*.md (Key Vault hand-off, on-premises behind a proxy, password login, several platforms): checked like the README's. */
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
};
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
        problems.push(`${label} has mode ${JSON.stringify(mode)}; write provision or token literally`);
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

  it('has one complete workflow per use: quick start, several platforms, smoke test', () => {
    // The README shows the Quick start and the smoke test; docs/ the variants it links.
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
    expect(text).toContain('gh secret set');
    expect(text).toMatch(/GH_TOKEN: \$\{\{ secrets\.\w+ \}\}/u);
    expect(text).toContain('outputs.access-token');
    expect(text).toMatch(/\/Users/u);
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

  it('every example that stores a new client secret stores it also after a late failure, with its client-id and registration-id', () => {
    const blocks = [
      ...yamlBlocks(README).map((text, i) => ({ file: 'README.md', index: i + 1, text })),
      ...DOCS_BLOCKS,
    ];
    const stores = blocks.flatMap((b) =>
      secretStores(b.text).map((store) => ({ ...store, where: `${b.file} block ${b.index} job ${store.job}` })),
    );
    expect(stores.length).toBeGreaterThanOrEqual(5); // Quick start, password, Key Vault, matrix, organization
    for (const { id, step, where } of stores) {
      expect(String(step.if), where).toBe(`\${{ !cancelled() && steps.${id}.outputs.client-secret != '' }}`);
      const text = JSON.stringify(step);
      for (const output of ['client-id', 'client-secret', 'registration-id'])
        expect(text, `${where} stores ${output}`).toContain(`steps.${id}.outputs.${output}`);
      expect(String(step.run), where).toMatch(
        /gh variable get INVICTI_REGISTRATION_ID[^\n]*\n\s*gh variable set INVICTI_PREVIOUS_REGISTRATION_ID/u,
      );
    }
  });

  it.each(blocks.map((text, i) => [i + 1, text]))('block %i parses and uses the action as declared', (_, text) => {
    expect(checkBlock(text as string)).toEqual([]);
  });

  it('the quick start provisions and, in the same job, stores the client secret', () => {
    const quickStart = README.slice(
      README.indexOf('\n## Quick start\n'),
      README.indexOf('\n## ', README.indexOf('\n## Quick start\n') + 1),
    );
    const [block] = yamlBlocks(quickStart);
    const jobs = Object.values((parse(block ?? '') as { jobs: Record<string, { steps: Step[] }> }).jobs);
    expect(jobs).toHaveLength(1);
    const steps = jobs[0]?.steps ?? [];
    const provision = steps.findIndex(
      (step) => typeof step.uses === 'string' && THIS_ACTION.test(step.uses) && step.with?.['mode'] === 'provision',
    );
    expect(provision).toBeGreaterThanOrEqual(0);
    const id = String(steps[provision]?.id);
    const store = steps
      .slice(provision + 1)
      .find((step) => JSON.stringify(step).includes(`steps.${id}.outputs.client-secret`));
    expect(JSON.stringify(store)).toMatch(/gh secret set|az keyvault secret set|vault kv put/u);
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
      else if (w['api-key'] !== undefined) delete w['api-key'];
      else delete w['password'];
    })) {
      expect(checkBlock(text)).toContainEqual(
        expect.stringMatching(
          /is mode (provision|token) but (does not pass "(password|client-secret)"|passes none of "api-key" or "email" \+ "password")/u,
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

/** The `| \`key\` |` rows of a Markdown text. */
function tableKeys(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `([^`]+)` \|/gmu)].map((match) => match[1] ?? '');
}

/** Every message, by its beginning: docs/troubleshooting.md (the README links it). */
const TROUBLESHOOTING = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8');

/** The keys of the README's Troubleshooting section (the most common messages). */
function readmeTroubleshootingKeys(): string[] {
  const start = README.indexOf('\n## Troubleshooting\n');
  const end = README.indexOf('\n## ', start + 1);
  return tableKeys(README.slice(start, end === -1 ? undefined : end));
}

/** Every Troubleshooting key: those of docs/troubleshooting.md and of the README's section. */
function troubleshootingKeys(): string[] {
  return [...new Set([...tableKeys(TROUBLESHOOTING), ...readmeTroubleshootingKeys()])];
}

/** A key as a pattern: `…` stands for any text; the message must begin with it. */
function keyPattern(key: string): RegExp {
  return new RegExp(
    `^${key
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'))
      .join('.*?')}`,
    'u',
  );
}

describe('Troubleshooting is keyed by the messages the action prints', () => {
  let sim: PlatformSimulator;
  /** An HTTPS simulator whose self-signed certificate the action does not trust. */
  let untrusted: PlatformSimulator;
  let cert: LoopbackCertificate;
  /** A CONNECT proxy that refuses every tunnel with 407. */
  let refusingProxy: http.Server;
  let closedPort = 0;
  const printed: Array<{ scenario: string; message: string }> = [];
  beforeAll(async () => {
    sim = await PlatformSimulator.start();
    cert = makeLoopbackCertificate();
    untrusted = await PlatformSimulator.start({ tls: { key: cert.key, cert: cert.cert } });
    refusingProxy = createProxy(http.createServer());
    (refusingProxy as http.Server & { authenticate: () => boolean }).authenticate = () => false;
    await new Promise<void>((resolve) => refusingProxy.listen(0, '127.0.0.1', resolve));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await sim.close();
    await untrusted.close();
    cert.cleanup();
    refusingProxy.closeAllConnections();
    await new Promise((resolve) => refusingProxy.close(resolve));
  });

  const owner = (): Record<string, string> => ({
    mode: 'provision',
    'base-url': sim.baseUrl,
    email: OWNER.email,
    password: OWNER.password,
  });
  const ownerKey = (): Record<string, string> => ({
    mode: 'provision',
    'base-url': sim.baseUrl,
    'api-key': OWNER.apiKey ?? '',
  });
  /** Token-mode inputs for an authorized registration, seeded as `provision` would leave it. */
  const client = async (): Promise<Record<string, string>> => {
    const record = sim.seedRegistration();
    return {
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': record.clientId,
      'client-secret': record.clientSecret,
    };
  };
  const json = (body: unknown, status: number): Fault => ({ status, body: JSON.stringify(body) });

  /** Name, inputs, faults, environment (a function when it needs what beforeAll started). */
  /** Name, inputs, faults, environment, and a route whose request, once it arrives, gets the run a SIGINT (a cancelled job). */
  type Scenario = [
    string,
    () => Promise<Record<string, string>>,
    Array<[Route, Fault]>?,
    (Record<string, string> | (() => Record<string, string>))?,
    Route?,
  ];
  const scenarios: Scenario[] = [
    ['no mode', async () => ({ ...owner(), mode: '' })],
    ['unknown mode', async () => ({ ...owner(), mode: 'rotate' })],
    ['empty password', async () => ({ ...owner(), password: '' })],
    ['empty email', async () => ({ ...owner(), email: '' })],
    ['no Owner credential', async () => ({ ...owner(), email: '', password: '' })],
    ['api-key and email/password', async () => ({ ...owner(), 'api-key': OWNER.apiKey ?? '' })],
    ['organization-id with api-key', async () => ({ ...ownerKey(), 'organization-id': 'org-1' })],
    ['api-key with a line break', async () => ({ ...ownerKey(), 'api-key': 'eyJ.one\neyJ.two' })],
    ['api-key rejected', async () => ({ ...ownerKey(), 'api-key': 'eyJ.not.a-key' })],
    ["a Member's api-key", async () => ({ ...ownerKey(), 'api-key': MEMBER.apiKey ?? '' })],
    ['empty client-secret', async () => ({ ...(await client()), 'client-secret': '' })],
    ['bad email', async () => ({ ...owner(), email: 'owner' })],
    ['scim-check without verify', async () => ({ ...owner(), 'scim-check': 'true', verify: 'false' })],
    ['region and base-url disagree', async () => ({ ...owner(), region: 'eu' })],
    ['plain http', async () => ({ ...owner(), 'base-url': 'http://platform.example.com' })],
    ['not a URL', async () => ({ ...owner(), 'base-url': 'platform.invicti.com' })],
    ['query', async () => ({ ...owner(), 'base-url': 'https://platform.invicti.com/?tenant=1' })],
    ['user info', async () => ({ ...owner(), 'base-url': 'https://me:pw@platform.invicti.com' })],
    ['unknown region', async () => ({ ...owner(), 'base-url': '', region: 'apac' })],
    ['verify not a boolean', async () => ({ ...owner(), verify: 'yes' })],
    ['organization-id with a space', async () => ({ ...owner(), 'organization-id': 'org one' })],
    ['audience over plain http', async () => ({ ...(await client()), audience: 'http://platform.example.com/api' })],
    ['organization-id the account is not in', async () => ({ ...owner(), 'organization-id': 'org-elsewhere' })],
    [
      'audience the platform does not know',
      async () => ({ ...(await client()), audience: 'https://elsewhere.example.com/api' }),
    ],
    ['timeout out of range', async () => ({ ...owner(), 'timeout-seconds': '0' })],
    ['wrong password', async () => ({ ...owner(), password: 'not it' })],
    ['login 403', async () => owner(), [['login', json({ message: 'Account disabled.' }, 403)]]],
    ['a Member account', async () => ({ ...owner(), email: MEMBER.email, password: MEMBER.password })],
    [
      'credentials null',
      async () => owner(),
      [['create', { act: true, mutate: (body) => ({ ...body, credentials: null }) }]],
    ],
    [
      'no registration id',
      async () => owner(),
      [['create', { act: true, mutate: (body) => ({ ...body, clientId: undefined }) }]],
    ],
    [
      'incomplete credentials',
      async () => owner(),
      [['create', { act: true, mutate: (body) => ({ ...body, credentials: { clientId: 'm2m-1' } }) }]],
    ],
    ['create 500', async () => owner(), [['create', json({ message: 'Internal error.' }, 500)]]],
    ['authorize 403', async () => owner(), [['authorize', json({ message: 'Forbidden.' }, 403)]]],
    [
      'verify: invalid_client',
      async () => owner(),
      [['token', json({ error: 'invalid_client', error_description: 'Client authentication failed.' }, 401)]],
    ],
    ['invalid_client', async () => ({ ...(await client()), 'client-secret': 'not the secret' })],
    [
      'access_denied',
      client,
      [
        [
          'token',
          json({ error: 'access_denied', error_description: 'Client is not authorized to access this API.' }, 403),
        ],
      ],
    ],
    [
      'invalid_request',
      client,
      [['token', json({ error: 'invalid_request', error_description: 'Service not found.' }, 400)]],
    ],
    [
      'SCIM 401',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [
        [
          'scim',
          json(
            { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'Token expired.' },
            401,
          ),
        ],
      ],
    ],
    [
      'SCIM 403',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['scim', json({ detail: 'No SCIM access.' }, 403)]],
    ],
    [
      'SCIM not a ServiceProviderConfig',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['scim', { act: true, mutate: (body) => ({ ...body, schemas: [] }) }]],
    ],
    ['SCIM 202', async () => ({ ...(await client()), 'scim-check': 'true' }), [['scim', { status: 202, body: '{}' }]]],
    [
      '/Users 401',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['users', json({ detail: 'Token not accepted.' }, 401)]],
    ],
    [
      '/Users 403',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['users', json({ detail: 'No SCIM access.' }, 403)]],
    ],
    [
      '/Users 404',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['users', json({ message: 'Resource not found.' }, 404)]],
    ],
    [
      '/Users not a ListResponse',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['users', { act: true, mutate: (body) => ({ ...body, schemas: [] }) }]],
    ],
    [
      '/Users without totalResults',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['users', { act: true, mutate: (body) => ({ ...body, totalResults: undefined }) }]],
    ],
    [
      '/Users ignores the filter',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['users', { act: true, mutate: (body) => ({ ...body, totalResults: 3 }) }]],
    ],
    [
      '/Groups 404',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['groups', json({ message: 'Resource not found.' }, 404)]],
    ],
    [
      '/Groups not a ListResponse',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [['groups', { act: true, mutate: (body) => ({ ...body, schemas: [] }) }]],
    ],
    [
      'SCIM fails after provision',
      async () => ({ ...owner(), 'scim-check': 'true' }),
      [['scim', json({ detail: 'Token expired.' }, 401)]],
    ],
    ['404', async () => owner(), [['login', json({ message: 'Resource not found.' }, 404)]]],
    ['redirect', async () => owner(), [['login', { redirect: 'https://sso.example.com/login' }]]],
    ['HTML', async () => owner(), [['login', { status: 200, contentType: 'text/html', body: '<html>Sign in</html>' }]]],
    ['truncated JSON', async () => owner(), [['login', { act: true, truncate: 5 }]]],
    ['no accessToken', async () => owner(), [['login', { act: true, mutate: () => ({ token: 'x' }) }]]],
    ['429', async () => ({ ...owner(), 'max-attempts': '1' }), [['login', { status: 429, body: '' }]]],
    ['503', async () => ({ ...owner(), 'max-attempts': '1' }), [['login', { status: 503, body: '' }]]],
    ['refused', async () => ({ ...owner(), 'base-url': `http://127.0.0.1:${closedPort}`, 'max-attempts': '1' })],
    [
      'timeout',
      async () => ({ ...owner(), 'timeout-seconds': '1', 'max-attempts': '1' }),
      [['login', { delayMs: 1500, times: 1 }]],
    ],
    ['reset', async () => ({ ...owner(), 'max-attempts': '1' }), [['login', { reset: 'before' }]]],
    ['cut-off body', async () => ({ ...owner(), 'max-attempts': '1' }), [['login', { act: true, cutBody: true }]]],
    [
      'oversized body',
      async () => ({ ...owner(), 'max-attempts': '1' }),
      [['login', { status: 200, body: `"${'x'.repeat(5 * 1024 * 1024)}"` }]],
    ],
    ['no GITHUB_OUTPUT file', async () => client(), [], { GITHUB_OUTPUT: '/nonexistent/dir/output' }],
    ['GITHUB_OUTPUT not set', async () => client(), [], { GITHUB_OUTPUT: '' }],
    [
      'cancelled during authorize',
      async () => owner(),
      [['authorize', { delayMs: 20_000, times: 1 }]],
      {},
      'authorize',
    ],
    ['ca-certificate unreadable', async () => ({ ...owner(), 'ca-certificate': 'certs/missing.pem' })],
    ['ca-certificate not PEM', async () => ({ ...owner(), 'ca-certificate': 'MIIB\nMIIB' })],
    ['untrusted certificate', async () => ({ ...owner(), 'base-url': untrusted.baseUrl })],
    [
      'https:// to a plain-HTTP port',
      async () => ({ ...owner(), 'base-url': sim.baseUrl.replace('http://', 'https://') }),
    ],
    [
      'unknown Content-Encoding',
      async () => owner(),
      [['login', { act: true, headers: { 'content-encoding': 'zstd' } }]],
    ],
    [
      'corrupt gzip',
      async () => ({ ...owner(), 'max-attempts': '1' }),
      [['login', { act: true, headers: { 'content-encoding': 'gzip' } }]],
    ],
    ['base-url is the Tenant URL', async () => ({ ...owner(), 'base-url': `${sim.baseUrl}/api/scim/v2` })],
    [
      'client secret of two characters',
      async () => owner(),
      [
        [
          'create',
          { act: true, mutate: (body) => ({ ...body, credentials: { clientId: 'm2m-1', clientSecret: 'St' } }) },
        ],
      ],
    ],
    [
      '400 invalid_client with audience',
      async () => ({ ...(await client()), audience: `${sim.baseUrl}/api` }),
      [['token', json({ error: 'invalid_client', error_description: 'Client authentication failed.' }, 400)]],
    ],
    [
      'token 200 with an OAuth error',
      async () => client(),
      [['token', json({ error: 'invalid_client', error_description: 'Bad secret.' }, 200)]],
    ],
    [
      'token too long',
      async () => client(),
      [['token', { act: true, mutate: (body) => ({ ...body, access_token: 'T'.repeat(9000) }) }]],
    ],
    [
      'token too short',
      async () => client(),
      [['token', { act: true, mutate: (body) => ({ ...body, access_token: 'T' }) }]],
    ],
    [
      'SCIM 401 with a Bearer challenge',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [
        [
          'scim',
          {
            status: 401,
            body: '',
            headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="Expired."' },
          },
        ],
      ],
    ],
    [
      '/Groups ignores count',
      async () => ({ ...(await client()), 'scim-check': 'true' }),
      [
        [
          'groups',
          { status: 200, contentType: 'application/scim+json', body: `{"Resources":"${'x'.repeat(5 * 1024 * 1024)}"}` },
        ],
      ],
    ],
    [
      "headers over Node's limit",
      async () => owner(),
      [['login', { act: true, headers: { 'set-cookie': `session=${'a'.repeat(20_000)}` } }]],
    ],
    [
      'stacked Content-Encoding',
      async () => owner(),
      [['login', { act: true, headers: { 'content-encoding': 'gzip, gzip, gzip' } }]],
    ],
    // Loopback hosts bypass the proxy, so these name a host only the proxy would resolve.
    [
      'proxy answers 407',
      async () => ({ ...owner(), 'base-url': 'https://invicti.test' }),
      [],
      () => ({ https_proxy: `http://127.0.0.1:${(refusingProxy.address() as { port: number }).port}` }),
    ],
    [
      'proxy unreachable',
      async () => ({ ...owner(), 'base-url': 'https://invicti.test', 'max-attempts': '1' }),
      [],
      () => ({ https_proxy: `http://127.0.0.1:${closedPort}` }),
    ],
  ];

  it.each(scenarios.map((s) => [s[0], s]))('%s: its error is documented', async (_, scenario) => {
    const [name, inputs, faults = [], env = {}, cancelAt] = scenario as Scenario;
    const given = await inputs();
    sim.clearFaults();
    for (const [route, fault] of faults) sim.fault(route, fault);
    const seen = sim.requests.length;
    const signal = cancelAt && {
      name: 'SIGINT' as const,
      when: () => sim.requests.slice(seen).some((r) => r.route === cancelAt),
    };
    const run = await runAction(given, { env: typeof env === 'function' ? env() : env, signal });
    sim.clearFaults();
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    const message = run.log.errors[0] ?? '';
    printed.push({ scenario: name, message });
    const keys = troubleshootingKeys().filter((key) => keyPattern(key).test(message));
    expect(keys, `no Troubleshooting row starts like: ${message}`).not.toEqual([]);
  });

  it('the expires_in notice is documented', async () => {
    const given = await client();
    sim.fault('token', { act: true, mutate: (body) => ({ ...body, expires_in: undefined }) });
    const run = await runAction(given);
    sim.clearFaults();
    expect(run.exitCode).toBe(0);
    expect(run.log.notices).toHaveLength(1);
    printed.push({ scenario: 'no expires_in', message: run.log.notices[0] ?? '' });
    expect(troubleshootingKeys().some((key) => keyPattern(key).test(run.log.notices[0] ?? ''))).toBe(true);
  });

  it('the warnings are documented', async () => {
    const warnings: string[] = [];
    // JSON labelled text/plain; a registration id that is not a UUID (authorize then fails: the warning came first).
    for (const fault of [
      { act: true, relabel: 'text/plain' },
      { act: true, mutate: (body: Record<string, unknown>) => ({ ...body, clientId: 'reg_1' }) },
    ]) {
      sim.fault('create', fault);
      const run = await runAction({ ...owner(), verify: 'false' });
      sim.clearFaults();
      expect(run.log.warnings).toHaveLength(1);
      warnings.push(run.log.warnings[0] ?? '');
    }
    for (const message of warnings) {
      printed.push({ scenario: 'warning', message });
      expect(
        troubleshootingKeys().some((key) => keyPattern(key).test(message)),
        message,
      ).toBe(true);
    }
  });

  it('the warning for an https_proxy the HTTP client ignores is documented', async () => {
    // A platform name that is not loopback (loopback never goes through a proxy); it resolves nowhere, so the run fails after the warning.
    const run = await runAction(
      { ...owner(), 'base-url': 'https://invicti.test', 'max-attempts': '1' },
      { env: { https_proxy: 'proxy.invalid:3128' } },
    );
    expect(run.log.warnings).toHaveLength(1);
    printed.push({ scenario: 'ignored https_proxy', message: run.log.warnings[0] ?? '' });
    expect(troubleshootingKeys().some((key) => keyPattern(key).test(run.log.warnings[0] ?? ''))).toBe(true);
  });

  it('the NODE_TLS_REJECT_UNAUTHORIZED=0 warning is documented', async () => {
    const run = await runAction(await client(), { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } });
    expect(run.exitCode).toBe(0);
    expect(run.log.warnings).toHaveLength(1);
    printed.push({ scenario: 'certificate checks off', message: run.log.warnings[0] ?? '' });
    expect(troubleshootingKeys().some((key) => keyPattern(key).test(run.log.warnings[0] ?? ''))).toBe(true);
  });

  it('the README shows the common messages and links the full list, which has each of them', () => {
    const common = readmeTroubleshootingKeys();
    expect(common.length).toBeGreaterThanOrEqual(5);
    expect(README).toContain('](docs/troubleshooting.md)');
    for (const key of common) expect(tableKeys(TROUBLESHOOTING), key).toContain(key);
  });

  it('every Troubleshooting key begins a message the action printed above', () => {
    expect(printed.length).toBe(scenarios.length + 5);
    const src = ['main.ts'].map((file) => readFileSync(join(ROOT, 'src', file), 'utf8')).join('\n');
    const keys = troubleshootingKeys();
    expect(keys.length).toBeGreaterThanOrEqual(30);
    for (const key of keys) {
      // A bug cannot be provoked on purpose: that key is checked against the source instead.
      if (key.startsWith('Run failed: unexpected error')) {
        expect(src).toContain("step: 'run'");
        expect(src).toContain('unexpected error: ');
        continue;
      }
      const matches = printed.filter(({ message }) => keyPattern(key).test(message));
      expect(matches, `Troubleshooting key \`${key}\` begins no message the action printed`).not.toEqual([]);
    }
  });
});
