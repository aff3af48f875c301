/**
 * Masking (src/mask.ts), and in run(): for each secret (password input, api-key input,
 * client-secret input, login token, client secret, bearer token) the log as
 * the runner shows it never holds the secret nor its URL-encoded,
 * form-encoded or JSON-escaped form, even when the server echoes that form
 * back in an error; the step summary never holds it either.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../src/net/http.ts';
import { run } from '../src/main.ts';
import { createMask, secretForms } from '../src/runner/mask.ts';
import { fakeCore, type FakeCore } from './support/fake-core.ts';
import { renderLog } from '../harness/runner.ts';
import { OWNER, PlatformSimulator, type User } from '../harness/simulator.ts';

/** The forms the issue names, computed independently of src/mask.ts. */
function namedForms(secret: string): Record<string, string> {
  return {
    raw: secret,
    'URL-encoded': encodeURIComponent(secret),
    'form-encoded': new URLSearchParams({ v: secret }).toString().slice(2),
    'JSON-escaped': JSON.stringify(secret).slice(1, -1),
  };
}

describe('secretForms', () => {
  it('a secret with + & = % space quote backslash and non-ASCII has all four forms, distinct', () => {
    const secret = 'a+b&c=d%e f"g\\h/é';
    const forms = secretForms(secret);
    for (const form of Object.values(namedForms(secret))) expect(forms).toContain(form);
    expect(new Set(Object.values(namedForms(secret))).size).toBe(4);
    expect(new Set(forms).size).toBe(forms.length);
  });

  it('percent-encoded forms also with lower-case hex digits, as servers often echo them (RFC 3986 §2.1)', () => {
    const forms = secretForms('abc/def+ghi=JKL');
    expect(forms).toContain('abc%2Fdef%2Bghi%3DJKL');
    expect(forms).toContain('abc%2fdef%2bghi%3dJKL');
    expect(forms).toContain('abc%2fdef%2bghi%3dJKL'.replace('%2b', '%2B').replace('%2B', '%2b'));
    expect(forms).toContain('abc%2fdef%2bghi%3dJKL');
  });

  it("the URL-encoded form also with RFC 3986 reserved ! ' ( ) * escaped, as strict encoders write it", () => {
    const forms = secretForms('S3cret/pass(word)!x');
    expect(forms).toContain('S3cret%2Fpass(word)!x');
    expect(forms).toContain('S3cret%2Fpass%28word%29%21x');
    expect(forms).toContain('S3cret%2fpass%28word%29%21x');
  });

  it('a plain alphanumeric secret is one form', () => {
    expect(secretForms('abcDEF123')).toEqual(['abcDEF123']);
  });

  it('each line of a multi-line secret (e.g. a PEM key) and its forms; never an empty or blank form', () => {
    const secret = 'line one\r\nline+two\n\n   \nlast';
    const forms = secretForms(secret);
    for (const line of ['line one', 'line+two', 'last']) {
      for (const form of Object.values(namedForms(line))) expect(forms).toContain(form);
    }
    expect(forms.every((form) => form.trim() !== '')).toBe(true);
  });

  it('surrounding white space: the trimmed value too', () => {
    expect(secretForms('  padded secret  ')).toContain('padded secret');
  });

  it('a lone surrogate does not throw', () => {
    expect(() => secretForms('x\ud800y')).not.toThrow();
  });
});

describe('createMask', () => {
  it('registers every form once, the raw value first, and returns the secret', () => {
    const registered: string[] = [];
    const mask = createMask((value) => registered.push(value));
    expect(mask('p+w d')).toBe('p+w d');
    expect(registered[0]).toBe('p+w d');
    expect(registered).toEqual(secretForms('p+w d'));
    mask('p+w d');
    expect(registered).toEqual(secretForms('p+w d'));
  });

  it('forms shared between secrets are registered once', () => {
    const registered: string[] = [];
    const mask = createMask((value) => registered.push(value));
    mask('same');
    mask(' same ');
    expect(registered.filter((v) => v === 'same')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// In run(): one simulator whose every secret has characters that encode.

const PASSWORD = 'Pa ss+&=%/ü"\\w0rd';
const CLIENT_SECRET = 'Cl1ent +&=%/é"\\secret';
/** Header-safe (they travel in Authorization) but still changed by every encoding. */
const LOGIN_TOKEN = 'login +&=%/"\\token';
const BEARER_TOKEN = 'bearer +&=%/"\\token';
/** Header-safe (it travels in X-Auth) but still changed by every encoding. */
const API_KEY = 'eyJ key +&=%/"\\jwt';
const SPECIAL: User = { email: 'special@example.com', password: PASSWORD, role: 'Owner', apiKey: API_KEY };

let sim: PlatformSimulator;
beforeAll(async () => {
  sim = await PlatformSimulator.start({ users: [OWNER, SPECIAL], secretFactory: () => CLIENT_SECRET });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

async function runAction(inputs: Record<string, string>): Promise<FakeCore> {
  const core = fakeCore({ 'base-url': sim.baseUrl, 'max-attempts': '1', ...inputs });
  await run({
    core,
    env: { GITHUB_REPOSITORY: 'octo-org/identity', GITHUB_RUN_ID: '1', GITHUB_OUTPUT: '/dev/null' },
    createTransport: createHttpTransport,
    sleep: async () => undefined,
    random: () => 0,
    now: () => new Date(),
    userAgent: 'mask-test/1',
  });
  return core;
}

/** The login answers LOGIN_TOKEN (valid on the simulator). */
function specialLoginToken(): void {
  sim.fault('login', {
    act: true,
    mutate: (body) => {
      sim.loginTokens.set(LOGIN_TOKEN, SPECIAL);
      return { ...body, accessToken: LOGIN_TOKEN };
    },
  });
}

/** The token endpoint answers BEARER_TOKEN (valid on the simulator). */
function specialBearerToken(): void {
  sim.fault('token', {
    act: true,
    mutate: (body) => {
      sim.accessTokens.set(BEARER_TOKEN, 'x');
      return { ...body, access_token: BEARER_TOKEN };
    },
  });
}

const provision = { mode: 'provision', email: SPECIAL.email, password: PASSWORD };
const echo = (text: string): string => JSON.stringify({ message: `rejected ${text}` });

interface Case {
  secret: string;
  /** Set up a run where the server echoes `form` in an error after the secret is known. */
  arrange(form: string): Record<string, string>;
}

const CASES: Record<string, Case> = {
  'password input': {
    secret: PASSWORD,
    arrange: (form) => {
      sim.fault('login', { status: 401, body: echo(form) });
      return provision;
    },
  },
  'api-key input': {
    secret: API_KEY,
    arrange: (form) => {
      sim.fault('create', { status: 401, body: echo(form) });
      return { mode: 'provision', 'api-key': API_KEY };
    },
  },
  'client-secret input': {
    secret: CLIENT_SECRET,
    arrange: (form) => {
      sim.fault('token', {
        status: 401,
        body: JSON.stringify({ error: 'invalid_client', error_description: `rejected ${form}` }),
      });
      return { mode: 'token', 'client-id': 'm2m-x', 'client-secret': CLIENT_SECRET };
    },
  },
  'login token': {
    secret: LOGIN_TOKEN,
    arrange: (form) => {
      specialLoginToken();
      sim.fault('create', { status: 401, body: echo(form) });
      return provision;
    },
  },
  'client secret (from create)': {
    secret: CLIENT_SECRET,
    arrange: (form) => {
      sim.fault('authorize', { status: 400, body: echo(form) });
      return provision;
    },
  },
  'bearer token': {
    secret: BEARER_TOKEN,
    arrange: (form) => {
      specialLoginToken();
      specialBearerToken();
      sim.fault('scim', {
        status: 401,
        contentType: 'application/scim+json',
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '401',
          detail: `rejected ${form}`,
        }),
      });
      return { ...provision, 'scim-check': 'true' };
    },
  },
};

describe('in run(): each secret, echoed back by the server in each form', () => {
  for (const [name, { secret, arrange }] of Object.entries(CASES)) {
    for (const [formName, form] of Object.entries(namedForms(secret))) {
      it(`${name}, ${formName}`, async () => {
        const core = await runAction(arrange(form));
        const log = renderLog(core.stdout);
        const debugLog = renderLog(core.stdout, true);
        // The run failed where the echo was, and the echo was there to leak.
        expect(core.failures).toHaveLength(1);
        expect(log.errors).toHaveLength(1);
        expect(log.errors[0]).toContain('rejected ***');
        for (const shown of [log.text, debugLog.text]) {
          for (const any of Object.values(namedForms(secret))) expect(shown).not.toContain(any);
        }
        expect(log.masks).toContain(form);
        for (const any of Object.values(namedForms(secret))) expect(core.summaryText).not.toContain(any);
        // Every kind is registered as is (so an output that carries it is masked too), not only the echoed form.
        expect(log.masks).toContain(secret);
      });
    }
  }
});

describe('in run(): happy paths', () => {
  it('provision with verify and SCIM check: no secret in the shown log (debug included) or summary', async () => {
    specialLoginToken();
    specialBearerToken();
    const core = await runAction({ ...provision, 'scim-check': 'true' });
    expect(core.failures).toEqual([]);
    expect(core.outputs['client-secret']).toBe(CLIENT_SECRET);
    expect(core.outputs['access-token']).toBe(BEARER_TOKEN);
    const log = renderLog(core.stdout, true);
    for (const secret of [PASSWORD, CLIENT_SECRET, LOGIN_TOKEN, BEARER_TOKEN]) {
      for (const form of Object.values(namedForms(secret))) {
        expect(log.masks).toContain(form);
        expect(log.text).not.toContain(form);
        expect(core.summaryText).not.toContain(form);
      }
    }
  });

  it('token mode: the client-secret input and the bearer token', async () => {
    await runAction({ ...provision, verify: 'false' });
    const [registration] = [...sim.registrations.values()];
    specialBearerToken();
    const core = await runAction({
      mode: 'token',
      'client-id': registration?.clientId ?? '',
      'client-secret': CLIENT_SECRET,
    });
    expect(core.failures).toEqual([]);
    const log = renderLog(core.stdout, true);
    for (const secret of [CLIENT_SECRET, BEARER_TOKEN]) {
      for (const form of Object.values(namedForms(secret))) {
        expect(log.masks).toContain(form);
        expect(log.text).not.toContain(form);
        expect(core.summaryText).not.toContain(form);
      }
    }
  });

  it('secrets are masked even when the inputs are invalid', async () => {
    const core = await runAction({
      mode: 'nonsense',
      password: PASSWORD,
      'api-key': API_KEY,
      'client-secret': CLIENT_SECRET,
    });
    const log = renderLog(core.stdout);
    expect(log.errors).toHaveLength(1);
    for (const secret of [PASSWORD, API_KEY, CLIENT_SECRET]) {
      for (const form of Object.values(namedForms(secret))) expect(log.masks).toContain(form);
    }
  });
});
