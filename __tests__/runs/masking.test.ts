/**
 * Masking in a whole run (src/main.ts `run`, in process, against the
 * simulator): for each secret (password input, api-key input, client-secret
 * input, login token, client secret, bearer token) the log as the runner shows
 * it never holds the secret nor its URL-encoded, form-encoded or JSON-escaped
 * form, even when the server echoes that form back in an error; the step
 * summary never holds it either.
 */
import { describe, expect, it } from 'vitest';
import { type FakeCore } from '../support/fake-core.ts';
import { renderLog } from '../../harness/runner.ts';
import { OWNER, type User } from '../../harness/simulator.ts';
import { runInProcess } from '../support/in-process.ts';
import { withSimulator } from '../support/platform.ts';
import { namedForms } from '../support/secrets.ts';

// One simulator whose every secret has characters that encode.

const PASSWORD = 'Pa ss+&=%/ü"\\w0rd';
const CLIENT_SECRET = 'Cl1ent +&=%/é"\\secret';
/** Header-safe (they travel in Authorization) but still changed by every encoding. */
const LOGIN_TOKEN = 'login +&=%/"\\token';
const BEARER_TOKEN = 'bearer +&=%/"\\token';
/** Header-safe (it travels in X-Auth) but still changed by every encoding. */
const API_KEY = 'eyJ key +&=%/"\\jwt';
const SPECIAL: User = { email: 'special@example.com', password: PASSWORD, role: 'Owner', apiKey: API_KEY };

const sim = withSimulator({ users: [OWNER, SPECIAL], secretFactory: () => CLIENT_SECRET });

/** A run in process to its end; its fake core. */
const runInProcessCore = async (inputs: Record<string, string>): Promise<FakeCore> =>
  (await runInProcess(sim, inputs)).core;

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
  /** The outputs that carry the secret after the failed run (the runner must mask them); none by default. */
  outputs?: string[];
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
    outputs: ['client-secret'],
    arrange: (form) => {
      sim.fault('authorize', { status: 400, body: echo(form) });
      return provision;
    },
  },
  'bearer token': {
    secret: BEARER_TOKEN,
    outputs: ['access-token'],
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
  for (const [name, { secret, arrange, outputs = [] }] of Object.entries(CASES)) {
    for (const [formName, form] of Object.entries(namedForms(secret))) {
      it(`${name}, ${formName}`, async () => {
        const core = await runInProcessCore(arrange(form));
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
        // Exactly the outputs expected carry the secret, and those are masked (not a vacuous check).
        const carrying = Object.keys(core.outputs).filter((output) => core.outputs[output] === secret);
        expect(carrying).toEqual(outputs);
        if (outputs.length > 0) expect(log.masks).toContain(secret);
      });
    }
  }
});

describe('in run(): happy paths', () => {
  it('provision with verify and SCIM check: no secret in the shown log (debug included) or summary', async () => {
    specialLoginToken();
    specialBearerToken();
    const core = await runInProcessCore({ ...provision, 'scim-check': 'true' });
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
    await runInProcessCore({ ...provision, verify: 'false' });
    const [registration] = [...sim.registrations.values()];
    specialBearerToken();
    const core = await runInProcessCore({
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
    const core = await runInProcessCore({
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
