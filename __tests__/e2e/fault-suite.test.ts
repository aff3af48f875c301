/**
 * The fault suite: the action's entry file (Node 24, as a
 * runner runs it) against a fresh platform simulator per scenario, with one
 * fault injected on one route. Each scenario asserts the outcome (success
 * after retry, or the right error), how many requests each route saw, how
 * many registrations were created (never more than one per run), the elapsed
 * time, and that no secret (in any form) reached the log or the summary.
 *
 * Waiting is not the point here (client/retry.test.ts proves the exact waits with an
 * injected sleep), so 5xx and 429 faults carry `Retry-After: 0`; faults
 * without it wait a real full-jitter backoff (< 1 s, < 2 s). Exactly one
 * scenario proves a real `Retry-After` wait. The scenarios are printed as a
 * table after the run.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, it } from 'vitest';
import { runAction } from '../../harness/runner.ts';
import {
  PlatformSimulator,
  ROUTES,
  type Fault,
  type Route,
  type SimulatorOptions,
  type User,
} from '../../harness/simulator.ts';
import { printableForms } from '../support/secrets.ts';

/** An Owner whose password needs every encoding (form, URL, JSON). */
const OWNER: User = {
  email: 'owner@example.com',
  password: `p%25ss "w\\rd"+&=é ${randomBytes(6).toString('hex')}`,
  role: 'Owner',
};
/** Client secrets with characters that change under each encoding. */
const trickySecret = (): string => `s%3Ac+r/e"t\\=${randomBytes(12).toString('base64url')}`;

const STEP: Record<Route, string> = {
  login: 'Login failed',
  create: 'Create registration failed',
  authorize: 'Authorize failed',
  token: 'Token failed',
  scim: 'SCIM check failed',
  users: 'SCIM check failed',
  groups: 'SCIM check failed',
};
const IDEMPOTENT: Record<Route, boolean> = {
  login: true,
  create: false,
  authorize: true,
  token: true,
  scim: true,
  users: true,
  groups: true,
};
/** The status of each route's documented success answer. */
const OK_STATUS: Record<Route, number> = {
  login: 200,
  create: 201,
  authorize: 201,
  token: 200,
  scim: 200,
  users: 200,
  groups: 200,
};

type Counts = Record<Route, number>;

interface Expect {
  outcome: 'success' | 'failure';
  /** Substrings of the one `::error::` line (failure). `{name}` stands for the client-name input. */
  error?: string[];
  /** Requests per route; routes not listed: 0. */
  requests: Partial<Counts>;
  registrations: 0 | 1;
  /** Elapsed time bounds of the whole run, ms. */
  minMs?: number;
  maxMs: number;
  /** Provision failed after create: registration-id, client-id, client-secret are still output. */
  keepsRegistration?: boolean;
  /** Provision failed at create without a registration id: client-id and client-secret are still output. */
  keepsCredentials?: boolean;
  /** Exact outputs to check (success). */
  outputs?: Record<string, string | undefined>;
  notice?: string;
}

interface Scenario {
  route: Route;
  fault: string;
  mode?: 'provision' | 'token';
  faults?: Fault[];
  inputs?: Record<string, string>;
  sim?: SimulatorOptions;
  /** Prepares the simulator; may return another base URL (e.g. a closed port). */
  setup?: (sim: PlatformSimulator) => Promise<string | undefined>;
  /** The server acts late (after the action timed out): wait for it (at most this long) before counting registrations. */
  settleMs?: number;
  expect: Expect;
}

/** Process start-up, six requests and CPU contention with the other scenarios. */
const SLACK_MS = 8000;
const TIMEOUT_S = 1;

/** Requests of a provision run that fails or succeeds at `route`, which saw `n` requests. */
function counts(route: Route, n: number, outcome: 'success' | 'failure'): Partial<Counts> {
  const out: Partial<Counts> = {};
  let reached = true;
  for (const r of ROUTES) {
    if (r === route) {
      out[r] = n;
      reached = outcome === 'success';
    } else if (reached) out[r] = 1;
  }
  return out;
}

const RA0 = { 'retry-after': '0' };
const HTML =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/sso">Sign in to continue</form></body></html>';

/** The route-specific "missing field" and "wrong type" mutations, and the error each must give. */
const SHAPE: Record<
  Route,
  { missing: Fault['mutate']; missingError: string; wrong: Fault['mutate']; wrongError: string }
> = {
  login: {
    missing: () => ({ tokenType: 'Bearer' }),
    missingError: 'no valid accessToken',
    wrong: (b) => ({ ...b, accessToken: 12345 }),
    wrongError: 'no valid accessToken',
  },
  create: {
    missing: (b) => ({ ...b, credentials: { clientId: (b.credentials as { clientId: string }).clientId } }),
    missingError: 'no valid credentials.clientSecret',
    wrong: (b) => ({ ...b, clientId: 12345 }),
    wrongError: 'no valid clientId (the registration UUID)',
  },
  authorize: {
    missing: () => [],
    missingError: 'does not list registration',
    wrong: (b) => ({ authorized: b }),
    wrongError: 'no valid list of authorized registrations',
  },
  token: {
    missing: (b) => ({ ...b, access_token: undefined }),
    missingError: 'no valid access_token',
    wrong: (b) => ({ ...b, expires_in: 'an hour' }),
    wrongError: 'no valid expires_in',
  },
  scim: {
    missing: (b) => ({ ...b, schemas: undefined }),
    missingError: 'not a ServiceProviderConfig',
    wrong: (b) => ({ ...b, schemas: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig' }),
    wrongError: 'not a ServiceProviderConfig',
  },
  users: {
    missing: (b) => ({ ...b, schemas: undefined }),
    missingError: 'did not answer a SCIM ListResponse',
    wrong: (b) => ({ ...b, totalResults: '0' }),
    wrongError: 'without a valid totalResults',
  },
  groups: {
    missing: (b) => ({ ...b, schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }),
    missingError: 'did not answer a SCIM ListResponse',
    wrong: (b) => ({ ...b, Resources: { displayName: 'Security' } }),
    wrongError: 'whose Resources is not a list',
  },
};

/** What a provision failure at `route` adds to the error text. */
function afterCreateText(route: Route): string[] {
  if (route === 'create') return [];
  if (route === 'authorize')
    return [
      'was created but not authorized',
      'finish it by hand',
      '/api/identity/v1/apis/00000000-0000-0000-0000-000000000001/clients',
    ];
  if (route === 'token') return ['was created and authorized, but its credentials did not yield a token'];
  if (route === 'scim' || route === 'users' || route === 'groups') return ['was created and authorized'];
  return [];
}

/** The route × fault matrix: 7 routes × 12 faults. */
function matrix(): Scenario[] {
  const out: Scenario[] = [];
  for (const route of ROUTES) {
    const idem = IDEMPOTENT[route];
    const keeps = route !== 'login' && route !== 'create';
    const fail = (n: number, error: string[], registrations: 0 | 1, extraMs = 0, minMs?: number): Expect => ({
      outcome: 'failure',
      error: [...error, ...afterCreateText(route)],
      requests: counts(route, n, 'failure'),
      registrations: route === 'login' ? 0 : route === 'create' ? registrations : 1,
      maxMs: SLACK_MS + extraMs,
      minMs,
      keepsRegistration: keeps,
    });
    const retried = (extraMs: number, minMs?: number): Expect => ({
      outcome: 'success',
      requests: counts(route, 2, 'success'),
      registrations: 1,
      maxMs: SLACK_MS + extraMs,
      minMs,
    });
    /** Create is never sent again once it may have reached the server. */
    const uncertain = (extra: string[], acted: 0 | 1, extraMs = 0, minMs?: number): Expect =>
      fail(1, [...extra, 'may have created a registration named "{name}"', 'not sent again'], acted, extraMs, minMs);

    out.push({
      route,
      fault: '5xx once',
      faults: [{ status: 503, body: JSON.stringify({ message: 'Service Unavailable' }), headers: RA0, times: 1 }],
      expect: idem ? retried(0) : uncertain([`${STEP[route]} (HTTP 503)`], 0),
    });
    out.push({
      route,
      fault: '5xx always',
      faults: [
        { status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html', headers: RA0 },
      ],
      expect: idem
        ? fail(3, [`${STEP[route]} (HTTP 502)`, 'after 3 attempts', 'server error'], 0)
        : uncertain([`${STEP[route]} (HTTP 502)`], 0),
    });
    out.push({
      route,
      fault: '429, Retry-After: 0',
      faults: [{ status: 429, body: JSON.stringify({ message: 'Too many requests' }), headers: RA0, times: 1 }],
      expect: idem ? retried(0) : fail(1, [`${STEP[route]} (HTTP 429)`, 'rate limiting', 'wait a few minutes'], 0),
    });
    out.push({
      route,
      fault: '429, no Retry-After',
      faults: [{ status: 429, body: JSON.stringify({ message: 'Too many requests' }), times: 1 }],
      expect: idem ? retried(1000) : fail(1, [`${STEP[route]} (HTTP 429)`, 'rate limiting'], 0),
    });
    out.push({
      route,
      fault: 'reset before acting',
      faults: [{ reset: 'before', times: 1 }],
      expect: idem ? retried(1000) : uncertain(['the connection was'], 0),
    });
    out.push({
      route,
      fault: 'reset after acting',
      faults: [{ reset: 'after', times: 1 }],
      expect: idem ? retried(1000) : uncertain(['the connection was'], 1),
    });
    out.push({
      route,
      fault: 'slow (1.5 s > 1 s timeout)',
      faults: [{ delayMs: 1500, times: 1 }],
      inputs: { 'timeout-seconds': String(TIMEOUT_S) },
      // The server creates the registration 1.5 s after the request arrived, long after the action gave up.
      settleMs: route === 'create' ? 5000 : undefined,
      expect: idem
        ? retried(1000 + 1000, 1000)
        : uncertain([`no response from 127.0.0.1`, `within the ${TIMEOUT_S} s limit (timeout-seconds)`], 1, 1000, 1000),
    });
    out.push({
      route,
      fault: 'HTML 200',
      faults: [{ status: 200, contentType: 'text/html; charset=utf-8', body: HTML }],
      expect: fail(1, [`${STEP[route]} (HTTP 200)`, 'text/html', 'not JSON'], 0),
    });
    out.push({
      route,
      fault: 'truncated JSON',
      faults: [{ act: true, truncate: 20 }],
      expect: fail(1, [`${STEP[route]} (HTTP ${OK_STATUS[route]})`, 'not valid JSON', 'truncated'], 1),
    });
    out.push({
      route,
      fault: 'missing field',
      faults: [{ act: true, mutate: SHAPE[route].missing }],
      expect: fail(1, [`${STEP[route]} (HTTP ${OK_STATUS[route]})`, SHAPE[route].missingError], 1),
    });
    out.push({
      route,
      fault: 'wrong type',
      faults: [{ act: true, mutate: SHAPE[route].wrong }],
      expect: fail(1, [`${STEP[route]} (HTTP ${OK_STATUS[route]})`, SHAPE[route].wrongError], 1),
    });
    out.push({
      route,
      fault: 'redirect (307)',
      faults: [{ redirect: 'https://login.evil.example/sso?next=/api' }],
      expect: fail(
        1,
        [`${STEP[route]} (HTTP 307)`, 'redirected to login.evil.example', 'never sent to a redirect target'],
        0,
      ),
    });
  }
  // A 2xx from create: the error names client-name, and the registration id once the answer gave one.
  for (const s of out) {
    if (s.route !== 'create' || s.expect.minMs !== undefined) continue;
    if (['HTML 200', 'truncated JSON'].includes(s.fault))
      s.expect.error?.push('may have been created', '"{name}"', 'look for the registration named');
    if (s.fault === 'wrong type') {
      s.expect.error?.push(
        '"{name}" was created but cannot be authorized (step 3)',
        'client-id and client-secret (masked) are in the step outputs',
        'find the registration named "{name}"',
      );
      s.expect.keepsCredentials = true;
    }
    if (s.fault === 'missing field')
      s.expect.error?.push('was created but cannot be used', '("{name}")', 'remove registration');
  }
  return out;
}

/** A registration already made and authorized, for mode token. */
async function preRegistered(sim: PlatformSimulator): Promise<Record<string, string>> {
  const record = sim.seedRegistration({ name: 'pre', clientSecret: trickySecret() });
  return { 'client-id': record.clientId, 'client-secret': record.clientSecret };
}

/** Beyond the matrix: real waits, limits, non-retried statuses, token validation, mode token. */
function extras(): Scenario[] {
  const ok = (route: Route, requests: number, more: Partial<Expect> = {}): Expect => ({
    outcome: 'success',
    requests: counts(route, requests, 'success'),
    registrations: 1,
    maxMs: SLACK_MS,
    ...more,
  });
  return [
    {
      route: 'login',
      fault: '503 once, Retry-After: 1 (real wait)',
      faults: [{ status: 503, headers: { 'retry-after': '1' }, body: '{}', times: 1 }],
      expect: ok('login', 2, { minMs: 1000, maxMs: SLACK_MS + 1000 }),
    },
    {
      route: 'login',
      fault: '503 once, max-attempts 1',
      inputs: { 'max-attempts': '1' },
      faults: [{ status: 503, headers: RA0, body: '{}', times: 1 }],
      expect: {
        outcome: 'failure',
        error: ['Login failed (HTTP 503)', 'server error'],
        requests: { login: 1 },
        registrations: 0,
        maxMs: SLACK_MS,
      },
    },
    {
      route: 'login',
      fault: 'connection refused, max-attempts 2',
      inputs: { 'max-attempts': '2' },
      setup: async () => {
        const closed = await PlatformSimulator.start();
        const url = closed.baseUrl;
        await closed.close();
        return url;
      },
      expect: {
        outcome: 'failure',
        error: ['Login failed', 'could not connect to 127.0.0.1', 'after 2 attempts'],
        requests: {},
        registrations: 0,
        maxMs: SLACK_MS + 1000,
      },
    },
    {
      route: 'login',
      fault: '401 (never retried)',
      faults: [{ status: 401, body: JSON.stringify({ message: 'Invalid email address or password.' }) }],
      expect: {
        outcome: 'failure',
        error: ['Login failed (HTTP 401)', 'Invalid email address or password', 'check the email and password'],
        requests: { login: 1 },
        registrations: 0,
        maxMs: SLACK_MS,
      },
    },
    {
      route: 'login',
      fault: '5xx ×4, max-attempts 5',
      inputs: { 'max-attempts': '5' },
      faults: [{ status: 500, headers: RA0, body: '{}', times: 4 }],
      expect: ok('login', 5),
    },
    {
      route: 'create',
      fault: '502 after acting',
      faults: [{ act: true, status: 502, body: '{}', contentType: 'application/json' }],
      expect: {
        outcome: 'failure',
        error: [
          'Create registration failed (HTTP 502)',
          'may have created a registration named "{name}"',
          'not sent again',
          'look for that registration',
        ],
        requests: { login: 1, create: 1 },
        registrations: 1,
        maxMs: SLACK_MS,
      },
    },
    {
      route: 'create',
      fault: '409 (never retried)',
      faults: [{ status: 409, body: JSON.stringify({ message: 'A client with this name already exists.' }) }],
      expect: {
        outcome: 'failure',
        error: ['Create registration failed (HTTP 409)', 'already exists'],
        requests: { login: 1, create: 1 },
        registrations: 0,
        maxMs: SLACK_MS,
      },
    },
    {
      route: 'create',
      // Refused (issue 8 item 4): a server must not choose what the runner masks, line by line.
      fault: 'multi-line client secret',
      sim: {
        secretFactory: () =>
          `line one ${randomBytes(8).toString('hex')}\nline two ${randomBytes(8).toString('hex')}\r\n  third %25 ${randomBytes(4).toString('hex')}`,
      },
      expect: {
        outcome: 'failure',
        error: [
          'Create registration failed (HTTP 201)',
          'no valid credentials.clientSecret',
          'was created but cannot be used',
        ],
        requests: { login: 1, create: 1 },
        registrations: 1,
        maxMs: SLACK_MS,
      },
    },
    {
      route: 'authorize',
      fault: '403 (never retried)',
      faults: [
        { status: 403, body: JSON.stringify({ message: 'Forbidden: this operation requires the Owner role.' }) },
      ],
      expect: {
        outcome: 'failure',
        error: ['Authorize failed (HTTP 403)', 'needs the Owner role', ...afterCreateText('authorize')],
        requests: { login: 1, create: 1, authorize: 1 },
        registrations: 1,
        keepsRegistration: true,
        maxMs: SLACK_MS,
      },
    },
    {
      route: 'token',
      fault: 'slow always, max-attempts 2',
      inputs: { 'timeout-seconds': String(TIMEOUT_S), 'max-attempts': '2' },
      faults: [{ delayMs: 1500 }],
      expect: {
        outcome: 'failure',
        error: [`within the ${TIMEOUT_S} s limit (timeout-seconds) after 2 attempts`, ...afterCreateText('token')],
        requests: { login: 1, create: 1, authorize: 1, token: 2 },
        registrations: 1,
        keepsRegistration: true,
        minMs: 2000,
        maxMs: SLACK_MS + 2000 + 1000,
      },
    },
    {
      route: 'token',
      fault: '401 invalid_client (never retried)',
      faults: [
        {
          status: 401,
          body: JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed.' }),
        },
      ],
      expect: {
        outcome: 'failure',
        error: ['Token failed (HTTP 401)', 'invalid_client', ...afterCreateText('token')],
        requests: { login: 1, create: 1, authorize: 1, token: 1 },
        registrations: 1,
        keepsRegistration: true,
        maxMs: SLACK_MS,
      },
    },
    {
      route: 'token',
      fault: 'expires_in "3600" (string)',
      faults: [{ act: true, mutate: (b) => ({ ...b, expires_in: '3600' }) }],
      expect: ok('scim', 1, { outputs: { 'expires-in': '3600' } }),
    },
    {
      route: 'token',
      fault: 'expires_in 3599.9',
      faults: [{ act: true, mutate: (b) => ({ ...b, expires_in: 3599.9 }) }],
      expect: ok('scim', 1, { outputs: { 'expires-in': '3599' } }),
    },
    {
      route: 'token',
      fault: 'expires_in absent',
      faults: [{ act: true, mutate: (b) => ({ ...b, expires_in: undefined }) }],
      expect: ok('scim', 1, { outputs: { 'expires-in': undefined, 'expires-at': undefined }, notice: 'no expires_in' }),
    },
    {
      route: 'token',
      mode: 'token',
      fault: 'mode token: 503 once',
      faults: [{ status: 503, headers: RA0, body: '{}', times: 1 }],
      expect: {
        outcome: 'success',
        requests: { token: 2, scim: 1, users: 1, groups: 1 },
        registrations: 1,
        maxMs: SLACK_MS,
      },
    },
    {
      route: 'token',
      mode: 'token',
      fault: 'mode token: reset after acting',
      faults: [{ reset: 'after', times: 1 }],
      expect: {
        outcome: 'success',
        requests: { token: 2, scim: 1, users: 1, groups: 1 },
        registrations: 1,
        maxMs: SLACK_MS + 1000,
      },
    },
    {
      route: 'scim',
      mode: 'token',
      fault: 'mode token: SCIM 5xx always',
      faults: [
        {
          status: 503,
          headers: RA0,
          contentType: 'application/scim+json',
          body: JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '503',
            detail: 'Service unavailable',
          }),
        },
      ],
      expect: {
        outcome: 'failure',
        error: ['SCIM check failed (HTTP 503)', 'Service unavailable', 'after 3 attempts'],
        requests: { token: 1, scim: 3 },
        registrations: 1,
        maxMs: SLACK_MS,
      },
    },
  ];
}

const SCENARIOS: Scenario[] = [...matrix(), ...extras()];

interface Row {
  '#': number;
  route: string;
  fault: string;
  expected: string;
  exit: string;
  'error must say': string;
  requests: string;
  regs: number;
  ms: number;
  'bound ms': string;
}
const rows: Row[] = [];

function short(text: string): string {
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

describe.concurrent(`fault suite: ${SCENARIOS.length} scenarios, entry file × simulator`, () => {
  afterAll(() => {
    rows.sort((a, b) => a['#'] - b['#']);
    const columns = Object.keys(rows[0] ?? {}) as (keyof Row)[];
    const width = (c: keyof Row): number => Math.max(c.length, ...rows.map((r) => String(r[c]).length));
    const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
    const table = [
      line(columns.map((c) => c.padEnd(width(c)))),
      line(columns.map((c) => '-'.repeat(width(c)))),
      ...rows.map((r) => line(columns.map((c) => String(r[c]).padEnd(width(c))))),
    ];
    console.log(
      `\nFault suite: ${rows.length} scenarios (requests: L=login C=create A=authorize T=token S=ServiceProviderConfig U=/Users G=/Groups)\n${table.join('\n')}\n`,
    );
  });

  SCENARIOS.forEach((scenario, index) => {
    const mode = scenario.mode ?? 'provision';
    it.concurrent(
      `#${index + 1} ${scenario.route} × ${scenario.fault} → ${scenario.expect.outcome}`,
      async ({ expect }) => {
        const sim = await PlatformSimulator.start({ users: [OWNER], secretFactory: trickySecret, ...scenario.sim });
        try {
          const baseUrl = (await scenario.setup?.(sim)) ?? sim.baseUrl;
          const clientName = `SCIM fault ${index + 1} ${randomBytes(3).toString('hex')}`;
          const credentials = mode === 'token' ? await preRegistered(sim) : {};
          for (const fault of scenario.faults ?? []) sim.fault(scenario.route, fault);
          const run = await runAction({
            mode,
            'base-url': baseUrl,
            'scim-check': 'true',
            'timeout-seconds': '10',
            ...(mode === 'provision'
              ? { email: OWNER.email, password: OWNER.password, 'client-name': clientName }
              : credentials),
            ...scenario.inputs,
          });
          if (scenario.settleMs !== undefined) {
            const deadline = performance.now() + scenario.settleMs;
            while (sim.registrations.size < scenario.expect.registrations && performance.now() < deadline)
              await sleep(50);
            await sleep(100);
          }

          const seen = Object.fromEntries(ROUTES.map((r) => [r, sim.requestsTo(r).length])) as Counts;
          const e = scenario.expect;
          rows.push({
            '#': index + 1,
            route: scenario.route,
            fault: scenario.fault,
            expected: e.outcome === 'success' ? 'success' : 'error',
            exit: String(run.exitCode),
            'error must say': short(
              (e.error ?? []).map((part) => part.replace('{name}', '<client-name>')).join(' · ') || '—',
            ),
            requests: ROUTES.map((r) => `${r === 'scim' ? 'S' : r[0]?.toUpperCase()}${seen[r]}`).join(' '),
            regs: sim.registrations.size,
            ms: Math.round(run.durationMs),
            'bound ms': `${e.minMs ?? 0}–${e.maxMs}`,
          });
          const context = `\n--- log ---\n${run.log.text}\n--- stderr ---\n${run.stderr}`;

          // Outcome and error text.
          if (e.outcome === 'success') {
            expect(run.exitCode, context).toBe(0);
            expect(run.log.errors, context).toEqual([]);
          } else {
            expect(run.exitCode, context).toBe(1);
            expect(run.log.errors, context).toHaveLength(1);
            for (const part of e.error ?? [])
              expect(run.log.errors[0], context).toContain(part.replace('{name}', clientName));
          }
          // Requests per route, registrations (never more than one per run).
          for (const route of ROUTES) expect(seen[route], `${route} requests${context}`).toBe(e.requests[route] ?? 0);
          expect(sim.registrations.size).toBeLessThanOrEqual(1);
          expect(sim.registrations.size, context).toBe(e.registrations);
          // Elapsed time: a step never hangs.
          expect(run.durationMs).toBeLessThanOrEqual(e.maxMs);
          if (e.minMs !== undefined) expect(run.durationMs).toBeGreaterThanOrEqual(e.minMs);

          // Outputs.
          const [registration] = [...sim.registrations.values()];
          if (e.outcome === 'success') {
            expect(sim.accessTokens.has(run.outputs['access-token'] ?? ''), context).toBe(true);
            if (mode === 'provision') {
              expect(run.outputs['registration-id']).toBe(registration?.id);
              expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
              expect(registration?.authorized).toBe(true);
            }
          }
          if (e.keepsRegistration) {
            expect(run.outputs['registration-id']).toBe(registration?.id);
            expect(run.outputs['client-id']).toBe(registration?.clientId);
            expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
            expect(run.log.masks).toContain(registration?.clientSecret);
          } else if (e.keepsCredentials) {
            expect(run.outputs['registration-id']).toBeUndefined();
            expect(run.outputs['client-id']).toBe(registration?.clientId);
            expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
            expect(run.log.masks).toContain(registration?.clientSecret);
          } else if (e.outcome === 'failure' && mode === 'provision') {
            expect(run.outputs['client-secret']).toBeUndefined();
          }
          for (const [name, value] of Object.entries(e.outputs ?? {}))
            expect(run.outputs[name] || undefined, name).toBe(value);
          if (e.notice !== undefined) expect(run.log.notices.join('\n')).toContain(e.notice);

          // No secret, in any form, in the log as the runner shows it, stderr or the summary.
          const secrets = [
            OWNER.password,
            ...[...sim.registrations.values()].map((r) => r.clientSecret),
            ...sim.loginTokens.keys(),
            ...sim.accessTokens.keys(),
          ];
          for (const secret of secrets) {
            for (const form of printableForms(secret, { lines: true })) {
              expect(run.log.text, 'log').not.toContain(form);
              expect(run.stderr, 'stderr').not.toContain(form);
              expect(run.summary, 'summary').not.toContain(form);
            }
          }
          // Every run, failed or not, writes its step summary.
          expect(run.summary.trim(), 'summary').not.toBe('');
        } finally {
          await sim.close();
        }
      },
    );
  });
});
