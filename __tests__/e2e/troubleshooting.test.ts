/**
 * Troubleshooting (docs/troubleshooting.md, and the README's section of the
 * common ones, each also in that file) is keyed by messages the action really
 * prints: each key matches a message of a run of the entry file against the
 * simulator, and each such message is documented by a key.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runAction } from '../../harness/runner.ts';
import { MEMBER, OWNER, PlatformSimulator, type Fault, type Route } from '../../harness/simulator.ts';
import { makeLoopbackCertificate, type LoopbackCertificate } from '../../harness/tls.ts';
import * as http from 'node:http';
import { createProxy } from 'proxy';
import { provisionInputs, tokenInputs, withSimulator } from '../support/platform.ts';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

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
  const sim = withSimulator({}, { reset: false });
  /** An HTTPS simulator whose self-signed certificate the action does not trust. */
  let untrusted: PlatformSimulator;
  let cert: LoopbackCertificate;
  /** A CONNECT proxy that refuses every tunnel with 407. */
  let refusingProxy: http.Server;
  let closedPort = 0;
  const printed: Array<{ scenario: string; message: string }> = [];
  beforeAll(async () => {
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
    await untrusted.close();
    cert.cleanup();
    refusingProxy.closeAllConnections();
    await new Promise((resolve) => refusingProxy.close(resolve));
  });

  const owner = (): Record<string, string> => provisionInputs(sim);
  const ownerKey = (): Record<string, string> => ({
    mode: 'provision',
    'base-url': sim.baseUrl,
    'api-key': OWNER.apiKey ?? '',
  });
  /** Token-mode inputs for an authorized registration, seeded as `provision` would leave it. */
  const client = async (): Promise<Record<string, string>> => tokenInputs(sim);

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

  it('the notice for an input the mode does not use is documented', async () => {
    const run = await runAction({ ...(await client()), 'api-key': OWNER.apiKey ?? '' });
    expect(run.exitCode).toBe(0);
    expect(run.log.notices).toEqual(['Mode token does not use input "api-key": ignored']);
    printed.push({ scenario: 'input of another mode', message: run.log.notices[0] ?? '' });
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
    expect(printed.length).toBe(scenarios.length + 6);
    const src = ['main.ts'].map((file) => readFileSync(join(ROOT, 'src', file), 'utf8')).join('\n');
    // The Entra ID hand-off's section is proven by runs against the Microsoft simulator: e2e/entra-troubleshooting.test.ts.
    const entra = TROUBLESHOOTING.slice(TROUBLESHOOTING.indexOf('\n## Microsoft Entra ID hand-off\n'));
    const entraKeys = tableKeys(entra.slice(0, entra.indexOf('\n## ', 1)));
    expect(entraKeys.length).toBeGreaterThan(0);
    const keys = troubleshootingKeys().filter((key) => !entraKeys.includes(key));
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
