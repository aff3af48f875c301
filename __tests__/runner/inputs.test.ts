/**
 * Input parsing (src/runner/inputs.ts): every input is checked before any request,
 * errors name the input, secrets are masked before anything else.
 */
import { describe, expect, it, vi } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import type { Env } from '../../src/runner/env.ts';
import { isLoopback } from '../../src/net/loopback.ts';
import {
  MODES,
  readInputs,
  REGIONS,
  resolveBaseUrl,
  withTrimNote,
  type GetInput,
  type Inputs,
} from '../../src/runner/inputs.ts';

const ENV: Env = {
  GITHUB_REPOSITORY: 'octo-org/identity',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_JOB: 'provision',
  GITHUB_SERVER_URL: 'https://github.com',
};
const PROVISION = { mode: 'provision', email: 'owner@example.com', password: 'p@ss word+&=%é' };
const TOKEN = { mode: 'token', 'client-id': 'm2m-0123', 'client-secret': 's3cr+t&=% é' };

/** getInput as `@actions/core` has it: unset → '', value trimmed unless `trimWhitespace: false`. */
function getter(inputs: Record<string, string>): GetInput {
  return (name, options) => (options?.trimWhitespace === false ? (inputs[name] ?? '') : (inputs[name] ?? '').trim());
}

/** A fixed "random" number: the default client-name's tag is then `abcdef`. */
const RANDOM = (): number => 0xabcdef / 0x1000000;

function read(inputs: Record<string, string>, env: Env = ENV, random = RANDOM): Inputs {
  return readInputs(
    getter(inputs),
    env,
    vi.fn((s: string) => s),
    random,
  );
}

/** The ActionError readInputs throws for `inputs` (fails the test if none). */
function failure(inputs: Record<string, string>, env: Env = ENV): ActionError {
  try {
    read(inputs, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    const actionError = error as ActionError;
    expect(actionError.step).toBe('inputs');
    expect(actionError.message).toMatch(/^Invalid input: /u);
    expect(actionError.message).not.toMatch(/\n\s+at /u);
    return actionError;
  }
  throw new Error(`readInputs accepted ${JSON.stringify(inputs)}`);
}

describe('valid inputs', () => {
  it('provision: defaults from action.yml semantics and the runner environment', () => {
    const inputs = read(PROVISION);
    expect(inputs).toMatchObject({
      mode: 'provision',
      baseUrl: 'https://platform.invicti.com',
      region: 'us',
      email: 'owner@example.com',
      password: PROVISION.password,
      verify: true,
      scimCheck: false,
      timeoutSeconds: 30,
      maxAttempts: 3,
    });
    expect(inputs.clientName).toBe(
      'Invicti SCIM credentials (octo-org/identity, run 4242 attempt 2, job provision, abcdef)',
    );
    expect(inputs.clientDescription).toBe(
      'SCIM provisioning client created by the Invicti SCIM credentials action in https://github.com/octo-org/identity/actions/runs/4242/attempts/2 (job provision), tag abcdef',
    );
  });

  it('provision: explicit client-name and client-description are used as given', () => {
    const inputs = read({ ...PROVISION, 'client-name': 'Entra ID', 'client-description': 'Microsoft Entra ID SCIM' });
    expect(inputs.clientName).toBe('Entra ID');
    expect(inputs.clientDescription).toBe('Microsoft Entra ID SCIM');
  });

  it('provision: the default client-name differs for a re-run, another job, and two matrix jobs (same GITHUB_JOB) of one attempt', () => {
    const names = [
      read(PROVISION, ENV, () => 0.1).clientName,
      read(PROVISION, { ...ENV, GITHUB_RUN_ATTEMPT: '3' }, () => 0.1).clientName,
      read(PROVISION, { ...ENV, GITHUB_JOB: 'rotate' }, () => 0.1).clientName,
      // Matrix jobs (and two steps of one job) share every runner variable: the random tag tells them apart.
      read(PROVISION, ENV, () => 0.7).clientName,
    ];
    expect(new Set(names).size).toBe(names.length);
    // Real randomness: 200 jobs of one attempt get 200 names.
    expect(new Set(Array.from({ length: 200 }, () => read(PROVISION, ENV, Math.random).clientName)).size).toBe(200);
    // The description carries the same tag, so a registration can be matched to its run either way.
    const inputs = read(PROVISION, ENV, () => 0.7);
    expect(inputs.clientName.endsWith(', b33333)')).toBe(true);
    expect(inputs.clientDescription.endsWith('tag b33333')).toBe(true);
  });

  it('provision: without a runner environment the defaults still say where they came from', () => {
    const inputs = read(PROVISION, {});
    expect(inputs.clientName).toBe('Invicti SCIM credentials (local, abcdef)');
    expect(inputs.clientDescription).toBe(
      'SCIM provisioning client created by the Invicti SCIM credentials action in local, tag abcdef',
    );
    expect(read(PROVISION, { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7' }).clientName).toBe(
      'Invicti SCIM credentials (o/r, run 7, abcdef)',
    );
  });

  it('token: client-id and client-secret', () => {
    const inputs = read(TOKEN);
    expect(inputs).toMatchObject({ mode: 'token', clientId: 'm2m-0123', clientSecret: TOKEN['client-secret'] });
  });

  it('mode is case-insensitive', () => {
    expect(read({ ...TOKEN, mode: 'Token' }).mode).toBe('token');
  });

  it('inputs are trimmed (as @actions/core does)', () => {
    expect(
      read({ ...PROVISION, email: '  owner@example.com \n', 'base-url': ' https://x.example.com/ ' }),
    ).toMatchObject({
      email: 'owner@example.com',
      baseUrl: 'https://x.example.com',
    });
  });
});

describe('secret inputs with leading or trailing white space', () => {
  it('are read untrimmed and masked as given (so also trimmed), then used trimmed; the trimmed ones are named', () => {
    const mask = vi.fn((s: string) => s);
    const seen: Array<[string, unknown]> = [];
    const inner = getter({ ...PROVISION, password: '  pass word \n', 'client-secret': 'cs\t' });
    const inputs = readInputs((name, options) => (seen.push([name, options]), inner(name, options)), ENV, mask, RANDOM);
    expect(inputs.password).toBe('pass word');
    expect(inputs.clientSecret).toBe('cs');
    expect(inputs.trimmedSecrets).toEqual(['password', 'client-secret']);
    // The raw value is registered, before any other input is read.
    expect(mask.mock.calls.map(([s]) => s)).toEqual(['  pass word \n', 'cs\t']);
    expect(seen.slice(0, 3)).toEqual([
      ['password', { trimWhitespace: false }],
      ['api-key', { trimWhitespace: false }],
      ['client-secret', { trimWhitespace: false }],
    ]);
  });

  it('untouched secrets are not named; a blank one is empty (and required), never masked', () => {
    expect(read(PROVISION).trimmedSecrets).toEqual([]);
    const mask = vi.fn((s: string) => s);
    expect(() => readInputs(getter({ ...PROVISION, password: ' \n ' }), ENV, mask, RANDOM)).toThrow(
      /input "password" is empty/u,
    );
    expect(mask).not.toHaveBeenCalled();
  });

  it('a refused login (400, 401) or token gets a note in its fix; other errors and untrimmed secrets do not', () => {
    const refused = (status: number): ActionError =>
      new ActionError({
        step: 'login',
        status,
        reason: 'the platform answered "Invalid."',
        fix: 'check the email and password inputs',
      });
    const noted = withTrimNote(refused(401), { trimmedSecrets: ['password'] }, 'password') as ActionError;
    expect(noted.howToFix).toBe(
      'check the email and password inputs; note: input "password" began or ended with white space, which was removed before sending (GitHub Actions trims every input): if the password really begins or ends with spaces, an input cannot carry them, so change it to one without',
    );
    expect(noted.status).toBe(401);
    expect(
      (withTrimNote(refused(400), { trimmedSecrets: ['password'] }, 'password') as ActionError).howToFix,
    ).toContain('began or ended with white space');
    expect(withTrimNote(refused(403), { trimmedSecrets: ['password'] }, 'password')).toEqual(refused(403));
    expect(withTrimNote(refused(401), { trimmedSecrets: [] }, 'password')).toEqual(refused(401));
    expect(withTrimNote(refused(401), { trimmedSecrets: ['password'] }, 'client-secret')).toEqual(refused(401));
    const token = withTrimNote(
      new ActionError({ step: 'token', status: 401, reason: 'r', fix: 'f' }),
      { trimmedSecrets: ['client-secret'] },
      'client-secret',
    ) as ActionError;
    expect(token.howToFix).toContain('if the client secret really begins or ends with spaces');
  });
});

describe('required inputs', () => {
  it('mode missing or empty', () => {
    for (const mode of [undefined, '', '   ']) {
      const inputs: Record<string, string> = { ...PROVISION };
      if (mode === undefined) delete inputs['mode'];
      else inputs['mode'] = mode;
      const error = failure(inputs);
      expect(error.message).toContain('"mode"');
      expect(error.fix).toContain('provision, token');
    }
  });

  it('a bad value is quoted on one line and at most 60 characters, however long the input', () => {
    const error = failure({ ...PROVISION, mode: `x\ry${'z'.repeat(100_000)}` });
    expect(error.message).toMatch(/"mode" is "x yz{56}…"/u);
    expect(error.message.length).toBeLessThan(400);
    expect(failure({ ...PROVISION, 'max-attempts': '9'.repeat(500) }).message).toContain(
      `"max-attempts" is "${'9'.repeat(59)}…"`,
    );
  });

  it('unknown mode lists the valid ones', () => {
    const error = failure({ ...PROVISION, mode: 'rotate' });
    expect(error.message).toContain('"mode" is "rotate"');
    for (const mode of MODES) expect(error.fix).toContain(mode);
  });

  const cases: Array<[string, Record<string, string>, string]> = [
    ['token', TOKEN, 'client-id'],
    ['token', TOKEN, 'client-secret'],
  ];
  for (const [mode, base, name] of cases) {
    for (const value of [undefined, '', '  ']) {
      it(`${mode}: ${name} ${value === undefined ? 'unset' : `"${value}"`} is named, with the fork/Dependabot hint`, () => {
        const inputs: Record<string, string> = { ...base };
        if (value === undefined) delete inputs[name];
        else inputs[name] = value;
        const error = failure(inputs);
        expect(error.reason).toContain(`"${name}"`);
        expect(error.reason).toContain(`mode "${mode}"`);
        // Email and client-id are commonly passed from secrets too (README quick start).
        expect(error.fix).toMatch(/fork/u);
        expect(error.fix).toMatch(/Dependabot/u);
      });
    }
  }

  it("the other mode's inputs are not required", () => {
    expect(() => read({ mode: 'token', 'client-id': 'a', 'client-secret': 'b' })).not.toThrow();
    expect(() => read({ mode: 'provision', email: 'a@b.c', password: 'b' })).not.toThrow();
  });

  it('email must look like an email address in provision', () => {
    const error = failure({ ...PROVISION, email: 'owner' });
    expect(error.message).toContain('"email"');
  });
});

describe('provision authenticates one way: api-key, or email + password', () => {
  const KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvd25lciJ9.c2ln';
  const API_KEY = { mode: 'provision', 'api-key': KEY };

  it('api-key alone is valid: no email or password needed, none kept', () => {
    expect(read(API_KEY)).toMatchObject({ mode: 'provision', apiKey: KEY, email: '', password: '' });
    expect(read(PROVISION).apiKey).toBe('');
  });

  it('an api-key is read untrimmed, masked as given, used trimmed (a copied key often ends in a line break), without a note', () => {
    const mask = vi.fn((s: string) => s);
    const inputs = readInputs(getter({ ...API_KEY, 'api-key': ` ${KEY}\n` }), ENV, mask, RANDOM);
    expect(inputs.apiKey).toBe(KEY);
    expect(mask.mock.calls.map(([s]) => s)).toEqual([` ${KEY}\n`]);
    expect(inputs.trimmedSecrets).toEqual([]);
  });

  it.each([
    [{ email: 'owner@example.com' }, 'input "api-key" is set together with input "email"'],
    [{ password: 'pw' }, 'input "api-key" is set together with input "password"'],
    [
      { email: 'owner@example.com', password: 'pw' },
      'input "api-key" is set together with inputs "email" and "password"',
    ],
  ])('api-key with %j: an error that names the inputs', (more, reason) => {
    const error = failure({ ...API_KEY, ...more });
    expect(error.reason).toBe(reason);
    expect(error.fix).toContain('api-key');
    expect(error.fix).toContain('email and password');
  });

  it('neither: an error that names all three inputs, with the fork/Dependabot hint', () => {
    for (const inputs of [
      { mode: 'provision' },
      { mode: 'provision', 'api-key': ' ', email: '', password: '  ' },
    ] as Array<Record<string, string>>) {
      const error = failure(inputs);
      expect(error.reason).toMatch(/^inputs "api-key", "email" and "password" are all empty; mode "provision" needs/u);
      expect(error.fix).toContain('api-key (recommended)');
      expect(error.fix).toMatch(/fork/u);
      expect(error.fix).toMatch(/Dependabot/u);
    }
  });

  it('email without password, and password without email, name the missing one', () => {
    const noPassword = failure({ mode: 'provision', email: 'owner@example.com' });
    expect(noPassword.reason).toBe('input "password" is empty but input "email" is set');
    expect(noPassword.fix).toMatch(/Dependabot/u);
    expect(noPassword.fix).toContain('api-key');
    const noEmail = failure({ mode: 'provision', password: 'pw' });
    expect(noEmail.reason).toBe('input "email" is empty but input "password" is set');
    expect(noEmail.fix).toContain('api-key');
  });

  it.each([
    ['a line break inside', `${KEY}\n${KEY}`],
    ['a carriage return inside', `${KEY}\rX-Other: 1`],
    ['a tab inside', `${KEY}\tx`],
    ['a NUL', `${KEY}\u0000`],
    ['a DEL', `${KEY}\u007f`],
    ['a character beyond U+00FF', `${KEY}✓`],
  ])('an api-key with %s is an input error (it travels in the X-Auth header)', (_, key) => {
    const error = failure({ ...API_KEY, 'api-key': key });
    expect(error.reason).toBe('input "api-key" contains a line break or another character an HTTP header cannot carry');
    expect(error.fix).toContain('User settings → API key');
    expect(error.message).not.toContain(KEY);
  });

  it('organization-id with api-key is an input error naming both (the key skips the login that carries it)', () => {
    const error = failure({ ...API_KEY, 'organization-id': 'org-1' });
    expect(error.reason).toMatch(/^input "organization-id" is set together with input "api-key"/u);
    expect(error.fix).toContain('email and password');
    expect(read({ ...PROVISION, 'organization-id': 'org-1' }).organizationId).toBe('org-1');
  });

  it('in mode token, api-key, email and password are not required (and not checked)', () => {
    expect(() => read({ ...TOKEN, 'api-key': KEY, email: 'a@b.c', password: 'p' })).not.toThrow();
  });
});

describe('base-url and region', () => {
  it('neither set: the US platform', () => {
    expect(resolveBaseUrl('', '')).toEqual({ baseUrl: 'https://platform.invicti.com', region: 'us' });
  });

  it('region alone gives its public URL (case-insensitive)', () => {
    for (const [region, url] of Object.entries(REGIONS)) {
      expect(resolveBaseUrl('', region)).toEqual({ baseUrl: url, region });
      expect(resolveBaseUrl('', region.toUpperCase())).toEqual({ baseUrl: url, region });
    }
  });

  it('unknown region lists the valid ones and names the input', () => {
    const error = failure({ ...PROVISION, region: 'apac' });
    expect(error.reason).toContain('"region" is "apac"');
    expect(error.fix).toContain('us, eu, ca');
  });

  it('region and a different base-url conflict, naming both', () => {
    const error = failure({ ...PROVISION, region: 'eu', 'base-url': 'https://platform.invicti.com' });
    expect(error.reason).toContain('"region"');
    expect(error.reason).toContain('"base-url"');
  });

  it('region and the same base-url agree (trailing slash, host case)', () => {
    expect(resolveBaseUrl('https://PLATFORM-EU.invicti.com/', 'eu')).toEqual({
      baseUrl: 'https://platform-eu.invicti.com',
      region: 'eu',
    });
  });

  it('base-url alone has no region', () => {
    expect(resolveBaseUrl('https://invicti.example.com', '')).toEqual({
      baseUrl: 'https://invicti.example.com',
      region: undefined,
    });
  });

  it('trailing slashes are stripped', () => {
    expect(resolveBaseUrl('https://invicti.example.com/', '').baseUrl).toBe('https://invicti.example.com');
    expect(resolveBaseUrl('https://invicti.example.com///', '').baseUrl).toBe('https://invicti.example.com');
  });

  it('a path prefix is kept (without its trailing slash), and a port', () => {
    expect(resolveBaseUrl('https://invicti.example.com:8443/invicti/platform/', '').baseUrl).toBe(
      'https://invicti.example.com:8443/invicti/platform',
    );
  });

  it('not an absolute URL', () => {
    for (const url of ['platform.invicti.com', '/invicti', 'https://', 'not a url']) {
      const error = failure({ ...PROVISION, 'base-url': url });
      expect(error.reason).toContain('"base-url"');
    }
  });

  it('a scheme other than http(s)', () => {
    const error = failure({ ...PROVISION, 'base-url': 'ftp://invicti.example.com' });
    expect(error.reason).toContain('"base-url"');
    expect(error.fix).toContain('https://');
  });

  it('plain http:// to a non-loopback host is refused', () => {
    for (const url of [
      'http://platform.invicti.com',
      'http://10.0.0.5:8080',
      'http://localhost.example.com',
      'http://127.0.0.1.nip.io',
    ]) {
      const error = failure({ ...PROVISION, 'base-url': url });
      expect(error.reason).toContain('"base-url"');
      expect(error.reason).toContain('http://');
      expect(error.fix).toMatch(/https:\/\//u);
    }
  });

  it('plain http:// to a loopback host is allowed', () => {
    for (const url of ['http://localhost:8080', 'http://127.0.0.1:1234/prefix', 'http://[::1]:9000']) {
      expect(() => resolveBaseUrl(url, '')).not.toThrow();
    }
    expect(isLoopback('127.255.0.1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('localhost.evil.example')).toBe(false);
  });

  it('credentials, a query or a fragment in base-url are refused without echoing them', () => {
    const withUser = failure({ ...PROVISION, 'base-url': 'https://admin:hunter2@invicti.example.com' });
    expect(withUser.message).not.toContain('hunter2');
    expect(failure({ ...PROVISION, 'base-url': 'https://invicti.example.com?tenant=1' }).reason).toContain(
      '"base-url"',
    );
    expect(failure({ ...PROVISION, 'base-url': 'https://invicti.example.com/#x' }).reason).toContain('"base-url"');
  });
});

describe('organization-id', () => {
  it('unset: empty (step 1 then sends no organizationId); set: kept as given', () => {
    expect(read(PROVISION).organizationId).toBe('');
    expect(read({ ...PROVISION, 'organization-id': ' 5c0ffee0-1234-4abc-8def-0123456789ab ' }).organizationId).toBe(
      '5c0ffee0-1234-4abc-8def-0123456789ab',
    );
  });

  it('white space or a control character inside is refused, naming the input', () => {
    for (const value of ['org one', 'org\none', 'org\u0007']) {
      const error = failure({ ...PROVISION, 'organization-id': value });
      expect(error.reason).toBe('input "organization-id" contains white space or a control character');
    }
  });
});

describe('audience', () => {
  it('unset: undefined (the default <base-url>/api); set: kept exactly as given', () => {
    expect(read(PROVISION).audience).toBeUndefined();
    expect(read({ ...PROVISION, audience: 'https://API.example.com/api/' }).audience).toBe(
      'https://API.example.com/api/',
    );
    expect(read({ ...TOKEN, audience: 'http://127.0.0.1:8080/api' }).audience).toBe('http://127.0.0.1:8080/api');
  });

  it('must be an absolute https:// URL (http:// for loopback only), without user info, query or fragment', () => {
    expect(failure({ ...TOKEN, audience: 'platform.example.com/api' }).reason).toBe(
      'input "audience" is not an absolute URL',
    );
    expect(failure({ ...TOKEN, audience: 'ftp://platform.example.com/api' }).reason).toBe('input "audience" uses ftp');
    expect(failure({ ...TOKEN, audience: 'http://platform.example.com/api' }).reason).toBe(
      'input "audience" uses plain http:// to platform.example.com',
    );
    const withUser = failure({ ...TOKEN, audience: 'https://admin:hunter2@platform.example.com/api' });
    expect(withUser.reason).toBe('input "audience" carries a user name or password');
    expect(withUser.message).not.toContain('hunter2');
    expect(failure({ ...TOKEN, audience: 'https://platform.example.com/api?x=1' }).reason).toBe(
      'input "audience" has a query or fragment',
    );
  });
});

describe('booleans and integers', () => {
  it('verify and scim-check accept the YAML 1.2 core booleans', () => {
    for (const [text, value] of [
      ['true', true],
      ['True', true],
      ['TRUE', true],
      ['false', false],
      ['False', false],
      ['FALSE', false],
    ] as const) {
      expect(read({ ...PROVISION, verify: text }).verify).toBe(value);
      expect(read({ ...PROVISION, 'scim-check': text }).scimCheck).toBe(value);
    }
  });

  it('anything else is an error naming the input', () => {
    for (const name of ['verify', 'scim-check']) {
      for (const text of ['yes', '1', 'on', 'tru']) {
        const error = failure({ ...PROVISION, [name]: text });
        expect(error.reason).toContain(`"${name}"`);
        expect(error.fix).toContain('true or false');
      }
    }
  });

  it('timeout-seconds and max-attempts: whole numbers in range', () => {
    expect(read({ ...PROVISION, 'timeout-seconds': '1', 'max-attempts': '1' })).toMatchObject({
      timeoutSeconds: 1,
      maxAttempts: 1,
    });
    expect(read({ ...PROVISION, 'timeout-seconds': '600', 'max-attempts': '10' })).toMatchObject({
      timeoutSeconds: 600,
      maxAttempts: 10,
    });
  });

  it('out of range or not whole numbers', () => {
    const bad: Array<[string, string]> = [
      ['timeout-seconds', '0'],
      ['timeout-seconds', '601'],
      ['timeout-seconds', '1.5'],
      ['timeout-seconds', '-5'],
      ['timeout-seconds', '30s'],
      ['timeout-seconds', '1e3'],
      ['max-attempts', '0'],
      ['max-attempts', '11'],
      ['max-attempts', 'three'],
    ];
    for (const [name, text] of bad) {
      const error = failure({ ...PROVISION, [name]: text });
      expect(error.reason).toContain(`"${name}" is "${text}"`);
      expect(error.fix).toMatch(/whole number from \d+ to \d+/u);
    }
  });
});

describe('secrets are masked before any validation error', () => {
  const invalid: Array<Record<string, string>> = [
    { mode: 'bogus' },
    { mode: '' },
    { mode: 'provision', 'base-url': 'http://platform.invicti.com' },
    { mode: 'provision', region: 'mars' },
    { mode: 'provision', email: '' },
    { mode: 'token', 'client-id': '' },
    { mode: 'provision', email: 'not-an-email' },
    { mode: 'provision', email: 'a@b.c', verify: 'maybe' },
    { mode: 'provision', email: '', 'api-key': 'key\nsecret' },
    { mode: 'token', 'client-id': 'x', 'timeout-seconds': '0' },
  ];
  for (const overrides of invalid) {
    it(`${JSON.stringify(overrides)}`, () => {
      const mask = vi.fn((s: string) => s);
      const order: string[] = [];
      mask.mockImplementation((s: string) => {
        order.push(`mask:${s}`);
        return s;
      });
      const inputs = {
        password: 'pw-secret',
        'api-key': 'key-secret',
        'client-secret': 'cs-secret',
        'client-id': 'id',
        email: 'a@b.c',
        ...overrides,
      };
      expect(() =>
        readInputs(
          (name) => {
            order.push(`get:${name}`);
            return (inputs as Record<string, string>)[name] ?? '';
          },
          ENV,
          mask,
        ),
      ).toThrow(ActionError);
      // Every secret is masked before any other input is even read.
      const secretInputs = ['get:password', 'get:api-key', 'get:client-secret'];
      const firstOther = order.findIndex((e) => e.startsWith('get:') && !secretInputs.includes(e));
      expect(firstOther).toBeGreaterThan(0);
      for (const secret of [inputs.password, inputs['api-key'], inputs['client-secret']]) {
        expect(mask).toHaveBeenCalledWith(secret);
        expect(order.indexOf(`mask:${secret}`)).toBeLessThan(firstOther);
      }
    });
  }

  it('empty secrets are not registered (an empty mask would hide nothing and is refused by the runner)', () => {
    const mask = vi.fn((s: string) => s);
    readInputs(getter({ mode: 'token', 'client-id': 'a', 'client-secret': 'b' }), ENV, mask);
    expect(mask.mock.calls.map(([s]) => s)).toEqual(['b']);
  });
});
