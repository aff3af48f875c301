/**
 * action.yml and src/ agree: every input src reads is declared and every
 * declared input is read; every output src sets is declared and the reverse;
 * defaults in action.yml are the ones src falls back to.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/runner/inputs.ts';
import { outputsOf, type Report } from '../../src/runner/report.ts';
import { actionYml, NODE24, ROOT } from '../../harness/runner.ts';

const SRC = join(ROOT, 'src');
const sources = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name: name.replaceAll('\\', '/'), text: readFileSync(join(SRC, name), 'utf8') }));

/** Input names src reads: getInput('x') anywhere, readBoolean/readInteger(getInput, 'x', …) in inputs.ts. */
function inputsReadInSrc(): Set<string> {
  const names = new Set<string>();
  for (const { text } of sources) {
    for (const match of text.matchAll(/getInput\(\s*['"]([^'"]+)['"]/gu)) names.add(match[1] ?? '');
    for (const match of text.matchAll(/read(?:Boolean|Integer)\(\s*getInput\s*,\s*['"]([^'"]+)['"]/gu))
      names.add(match[1] ?? '');
  }
  return names;
}

/** The members of `export type OutputName = 'a' | 'b' …` in src/runner/report.ts. */
function outputNamesInSrc(): Set<string> {
  const report = sources.find((s) => s.name === 'runner/report.ts')?.text ?? '';
  const union = /export type OutputName\s*=([^;]+);/u.exec(report)?.[1] ?? '';
  return new Set([...union.matchAll(/'([^']+)'/gu)].map((m) => m[1] ?? ''));
}

const yml = actionYml();

describe('action.yml ↔ src', () => {
  it('finds what it compares (the scan is not vacuous)', () => {
    expect(inputsReadInSrc().size).toBeGreaterThanOrEqual(10);
    expect(outputNamesInSrc().size).toBe(11);
  });

  it('every input read in src is declared in action.yml', () => {
    const declared = new Set(Object.keys(yml.inputs));
    expect([...inputsReadInSrc()].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('every input declared in action.yml is read in src', () => {
    const read = inputsReadInSrc();
    expect(Object.keys(yml.inputs).filter((name) => !read.has(name))).toEqual([]);
  });

  it('every input readInputs actually asks for (at run time) is declared', () => {
    const asked = new Set<string>();
    const getInput = (name: string): string => {
      asked.add(name);
      return { mode: 'provision', email: 'a@b.c', password: 'p' }[name] ?? '';
    };
    readInputs(getInput, {}, (s) => s);
    const asked2 = new Set<string>();
    readInputs(
      (name) => {
        asked2.add(name);
        return { mode: 'token', 'client-id': 'a', 'client-secret': 'b' }[name] ?? '';
      },
      {},
      (s) => s,
    );
    expect([...asked, ...asked2].filter((name) => !(name in yml.inputs))).toEqual([]);
  });

  it('every output set in src (OutputName) is declared in action.yml, and the reverse', () => {
    const set = outputNamesInSrc();
    const declared = new Set(Object.keys(yml.outputs));
    expect([...set].filter((name) => !declared.has(name))).toEqual([]);
    expect([...declared].filter((name) => !set.has(name))).toEqual([]);
  });

  it('a full report yields exactly the declared outputs', () => {
    const report: Report = {
      mode: 'provision',
      baseUrl: 'https://platform.invicti.com',
      region: 'us',
      scimUrl: 's',
      tokenUrl: 't',
      verified: true,
      registration: { id: 'r', name: 'n', clientId: 'c', clientSecret: 'x', authorized: true },
      token: { accessToken: 'a', tokenType: 'Bearer', expiresIn: 1, expiresAt: 'e' },
      entra: {
        tenantId: 't',
        appClientId: 'a',
        servicePrincipalId: 's',
        jobId: 'scim.1',
        newTest: 'passed',
        save: 'saved',
        savedTest: 'passed',
        updated: true,
      },
    };
    expect(Object.keys(outputsOf(report)).sort()).toEqual(Object.keys(yml.outputs).sort());
  });

  it('each output description starts with the mode(s) that set it, as src sets them', () => {
    const common = { baseUrl: 'https://platform.invicti.com', region: 'us' as const, scimUrl: 's', tokenUrl: 't' };
    const registration = { id: 'r', name: 'n', clientId: 'c', clientSecret: 'x', authorized: true };
    const token = { accessToken: 'a', tokenType: 'Bearer', expiresIn: 1, expiresAt: 'e' };
    const set = (report: Report): string[] => Object.keys(outputsOf(report));
    const provisionOnly = set({ ...common, mode: 'provision', verified: false, registration } as Report);
    const provisionVerified = set({ ...common, mode: 'provision', verified: true, registration, token } as Report);
    const tokenMode = set({ ...common, mode: 'token', token } as Report);
    const declared = yml as unknown as {
      inputs: Record<string, { description?: string }>;
      outputs: Record<string, { description?: string }>;
    };
    for (const [name, spec] of Object.entries(declared.outputs)) {
      const description = String(spec.description);
      if (name.startsWith('entra-')) {
        expect(description.startsWith('With the `entra-*` inputs:'), name).toBe(true);
        continue;
      }
      const expected = tokenMode.includes(name)
        ? provisionOnly.includes(name)
          ? 'Modes `provision` and `token`:'
          : 'Mode `token`, and `provision` with `verify`:'
        : 'Mode `provision`:';
      expect(provisionVerified, name).toContain(name);
      expect(description.startsWith(expected), `${name}: "${description}" should start with "${expected}"`).toBe(true);
    }
  });

  it('mode and region say that any letter case is accepted, and it is', () => {
    const inputs = (yml as unknown as { inputs: Record<string, { description?: string }> }).inputs;
    expect(inputs['mode']?.description).toMatch(/any letter case/iu);
    expect(inputs['region']?.description).toMatch(/any letter case/iu);
    const given: Record<string, string> = { mode: 'Provision', region: 'EU', email: 'a@b.c', password: 'p' };
    const read = readInputs(
      (name) => given[name] ?? '',
      {},
      (s) => s,
      () => 0.5,
    );
    expect(read.mode).toBe('provision');
    expect(read.baseUrl).toBe('https://platform-eu.invicti.com');
  });

  it('mode is required; base-url and region have no default (so src can tell which one the user set)', () => {
    expect(yml.inputs['mode']?.required).toBe(true);
    expect(yml.inputs['base-url']?.default).toBeUndefined();
    expect(yml.inputs['region']?.default).toBeUndefined();
  });

  it('action.yml defaults are the values src uses when an input is unset', () => {
    const base = { mode: 'provision', email: 'a@b.c', password: 'p' };
    const withDefaults: Record<string, string> = { ...base };
    for (const [name, spec] of Object.entries(yml.inputs))
      if (spec.default !== undefined) withDefaults[name] = String(spec.default);
    // The default client-name carries a random tag: the same "random" number for both.
    const fromYml = readInputs(
      (name) => withDefaults[name] ?? '',
      {},
      (s) => s,
      () => 0.5,
    );
    const fromSrc = readInputs(
      (name) => (base as Record<string, string>)[name] ?? '',
      {},
      (s) => s,
      () => 0.5,
    );
    expect(fromYml).toEqual(fromSrc);
  });

  it('every input and output has a description; runs on node24 from dist/index.js', () => {
    const raw = yml as unknown as {
      inputs: Record<string, { description?: string }>;
      outputs: Record<string, { description?: string }>;
      runs: { using: string; main: string };
    };
    for (const [name, spec] of [...Object.entries(raw.inputs), ...Object.entries(raw.outputs)]) {
      expect(spec.description?.trim(), name).toBeTruthy();
    }
    expect(raw.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});

describe('the runtime', () => {
  it('action.yml runs dist/index.js on node24, and the end-to-end tests spawn a real Node 24', () => {
    const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    expect(yml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js$/mu);
    expect(execFileSync(NODE24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./u);
  });
});
