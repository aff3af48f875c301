/**
 * Hostile inputs and hostile servers, end to end: the action
 * (the entry file under Node 24, as a runner runs it) against tiny node:http
 * servers on 127.0.0.1 that answer like the platform except where a test makes
 * them lie. Every run is held to the same contract: no secret in the shown log,
 * stderr, summary or a non-secret output; exactly one `::error::` on failure
 * and none on success; no stack trace; no workflow command the action did not
 * mean to issue; a bounded run time.
 *
 * The first block keeps faults that were found and fixed; the sweep after it
 * keeps the attacks the action already withstood.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBaseUrl } from '../../src/runner/inputs.ts';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { printableForms } from '../support/secrets.ts';

const UUID = '3f2b8c1e-1111-4222-8333-444455556666';
const PASSWORD = 'Pa55-word-XYZ "quoted" 100%';
const INPUT_SECRET = 'in-SECRET-0987654321+/=';
const LOGIN_TOKEN = 'login.TOKEN-abcdefghijklmnop';
const CLIENT_SECRET = 'client-SECRET-qrstuvwxyz012345';
const BEARER = 'bearer.TOKEN-zyxwvutsrq987654';
const SECRETS = [PASSWORD, INPUT_SECRET, LOGIN_TOKEN, CLIENT_SECRET, BEARER];
const SECRET_OUTPUTS = new Set(['client-secret', 'access-token']);
/** The workflow commands the action itself issues. */
const OWN_COMMANDS = new Set(['add-mask', 'group', 'endgroup', 'debug', 'notice', 'warning', 'error']);

type Route = 'login' | 'create' | 'authorize' | 'token' | 'scim' | 'unknown';
/** Answers `route` itself and returns true, or returns false to let the honest platform answer. */
type Override = (route: Route, req: http.IncomingMessage, res: http.ServerResponse, body: string) => boolean;

interface Hostile {
  url: string;
  /** Routes in the order requested. */
  hits: Route[];
  close(): Promise<void>;
}

const servers: Hostile[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function routeOf(path: string): Route {
  if (path.endsWith('/api/identity/v1/userCredentials/login')) return 'login';
  if (path.endsWith('/api/identity/v1/clients')) return 'create';
  if (/\/api\/identity\/v1\/apis\/[^/]+\/clients$/u.test(path)) return 'authorize';
  if (path.endsWith('/oauth/token')) return 'token';
  if (path.endsWith('/api/scim/v2/ServiceProviderConfig')) return 'scim';
  return 'unknown';
}

function json(res: http.ServerResponse, status: number, value: unknown, contentType = 'application/json'): true {
  res.writeHead(status, { 'content-type': contentType }).end(typeof value === 'string' ? value : JSON.stringify(value));
  return true;
}

/** A platform on 127.0.0.1 that answers every documented call correctly unless `override` takes it. */
async function hostile(override: Override = () => false): Promise<Hostile> {
  const hits: Route[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const route = routeOf(new URL(req.url ?? '/', 'http://x').pathname);
      hits.push(route);
      if (override(route, req, res, body)) return;
      if (route === 'login') json(res, 200, { accessToken: LOGIN_TOKEN });
      else if (route === 'create')
        json(res, 201, { clientId: UUID, credentials: { clientId: 'm2m-abc', clientSecret: CLIENT_SECRET } });
      else if (route === 'authorize') json(res, 201, [{ clientId: UUID }]);
      else if (route === 'token') json(res, 200, { access_token: BEARER, token_type: 'Bearer', expires_in: 3600 });
      else if (route === 'scim')
        json(
          res,
          200,
          { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'] },
          'application/scim+json',
        );
      else json(res, 404, { message: 'not found' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const result: Hostile = {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(result);
  return result;
}

const provision = (url: string, extra: Record<string, string> = {}): Record<string, string> => ({
  mode: 'provision',
  'base-url': url,
  email: 'owner@example.com',
  password: PASSWORD,
  ...extra,
});
const token = (url: string, extra: Record<string, string> = {}): Record<string, string> => ({
  mode: 'token',
  'base-url': url,
  'client-id': 'm2m-abc',
  'client-secret': INPUT_SECRET,
  ...extra,
});

/** The workflow commands the runner obeyed (renderLog reads the log as the runner does), by name; `##[…]` forms marked. */
function commandsOf(run: ActionRun): string[] {
  return run.log.commands.map((c) => (c.form === 'v2' ? c.name : `##[${c.name}]`));
}

/** The contract every run keeps, whatever the server or the inputs did. */
function expectContract(run: ActionRun, outcome: 'success' | 'failure', extraSecrets: string[] = []): void {
  expect(run.exitCode, run.log.text).toBe(outcome === 'success' ? 0 : 1);
  const commands = commandsOf(run);
  expect(
    commands.filter((name) => !OWN_COMMANDS.has(name)),
    'a workflow command the action did not mean to issue',
  ).toEqual([]);
  expect(commands.filter((name) => name === 'error')).toHaveLength(outcome === 'success' ? 0 : 1);
  expect(run.log.stopped, 'stop-commands took effect').toBe(false);
  expect(run.stderr, 'stderr (stack traces)').toBe('');
  expect(run.log.text).not.toMatch(/\bat .+:\d+:\d+\)?$/mu);
  for (const secret of [...SECRETS, ...extraSecrets].flatMap((secret) => printableForms(secret))) {
    expect(run.log.text).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
    for (const [name, value] of Object.entries(run.outputs)) {
      if (!SECRET_OUTPUTS.has(name)) expect(value, `output ${name}`).not.toContain(secret);
    }
  }
}

describe('faults found and fixed', () => {
  it('a server-sent OAuth client_id with line breaks is refused, so it cannot inject ::error:: or ::stop-commands:: (which would unmask later secrets)', async () => {
    const server = await hostile(
      (route, _req, res) =>
        route === 'create' &&
        json(res, 201, {
          clientId: UUID,
          credentials: { clientId: 'm2m\n::error::injected\n::stop-commands::zzz', clientSecret: CLIENT_SECRET },
        }),
    );
    const run = await runAction(provision(server.url));
    expectContract(run, 'failure');
    expect(run.stdout).not.toMatch(/^::stop-commands::/mu);
    expect(run.log.errors[0]).toMatch(
      /^Create registration failed \(HTTP 201\): the response has no valid credentials\.clientId/u,
    );
    expect(run.log.errors[0]).toContain(`registration ${UUID}`);
    expect(run.outputs['registration-id']).toBe(UUID);
    expect(run.outputs['client-id']).toBeUndefined();
    expect(server.hits).toEqual(['login', 'create']);
  });

  it('a client-name input with line breaks is logged on one line: no injected ::error:: or ::add-mask::', async () => {
    const server = await hostile();
    const name = 'ci\n::error::from input\n::add-mask::Logged\r::warning::w';
    const run = await runAction(provision(server.url, { 'client-name': name }));
    expectContract(run, 'success');
    expect(run.log.masks).not.toContain('Logged');
    expect(run.log.text).toContain('Logged in as owner@example.com');
    expect(run.log.text).toContain('("ci ::error::from input ::add-mask::Logged ::warning::w")');
  });

  it.each([
    ['login', 'accessToken', `${LOGIN_TOKEN}\r\nX-Evil: 1`, 'Login failed (HTTP 200)'],
    ['login', 'accessToken', '   ', 'Login failed (HTTP 200)'],
    ['token', 'access_token', `${BEARER}\n${BEARER}-2`, 'Token failed (HTTP 200)'],
    ['token', 'access_token', ' \t ', 'Token failed (HTTP 200)'],
    ['token', 'access_token', `${BEARER}😀`, 'Token failed (HTTP 200)'],
    ['token', 'access_token', `${BEARER}\u0000`, 'Token failed (HTTP 200)'],
  ] as const)(
    'a %s %s that cannot go in an Authorization header (%j) is refused as a bad response, not sent',
    async (route, field, value, starts) => {
      const server = await hostile((r, _req, res) => {
        if (r !== route) return false;
        return json(
          res,
          200,
          route === 'login' ? { accessToken: value } : { access_token: value, token_type: 'Bearer', expires_in: 60 },
        );
      });
      const run = await runAction(
        route === 'login' ? provision(server.url) : token(server.url, { 'scim-check': 'true' }),
      );
      expectContract(
        run,
        'failure',
        value.split(/\s+/u).filter((part) => part.length >= 8),
      );
      expect(run.log.errors[0]).toContain(
        `${starts}: the response has no valid ${field} (a token of 4 to 8192 characters on one line, without control characters or surrounding spaces)`,
      );
      expect(run.log.errors[0]).not.toContain('network error');
      expect(run.outputs['access-token']).toBeUndefined();
      // Never put in a header: the run stops at the step that received it.
      expect(server.hits).toEqual([route]);
    },
  );

  it('a connection closed mid-body is reported at once as closed, not after the timeout as "no response"', async () => {
    const server = await hostile((route, req, res) => {
      if (route !== 'token') return false;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"access_token":"');
      setTimeout(() => req.socket.destroy(), 20);
      return true;
    });
    const run = await runAction(token(server.url, { 'timeout-seconds': '30', 'max-attempts': '2' }));
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toMatch(
      /^Token failed: the connection was closed before the whole response arrived while talking to 127\.0\.0\.1:\d+ after 2 attempts\. Fix: /u,
    );
    expect(server.hits).toEqual(['token', 'token']);
    expect(run.durationMs).toBeLessThan(10_000);
  });

  it('a create response cut mid-body (chunked) is not sent again and says the registration may exist', async () => {
    const server = await hostile((route, req, res) => {
      if (route !== 'create') return false;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.write(`{"clientId":"${UUID}","credentials":{"clientSecret":"${CLIENT_SECRET.slice(0, 10)}`);
      setTimeout(() => req.socket.destroy(), 20);
      return true;
    });
    const run = await runAction(provision(server.url, { 'timeout-seconds': '30' }));
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toContain(
      'Create registration failed: the connection was closed before the whole response arrived',
    );
    expect(run.log.errors[0]).toContain('may have created a registration named');
    expect(server.hits).toEqual(['login', 'create']);
    expect(run.durationMs).toBeLessThan(10_000);
  });

  it('a body that never ends (as fast as it can) is cut at 4 MiB: quick, small, one error', async () => {
    const server = await hostile((route, _req, res) => {
      if (route !== 'token') return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return true;
    });
    const run = await runAction(token(server.url, { 'timeout-seconds': '30', 'max-attempts': '1' }));
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toMatch(
      /^Token failed: the response was larger than 4 MiB while talking to 127\.0\.0\.1:\d+; the answer is the same on every attempt, so it was not retried\. Fix: /u,
    );
    expect(run.durationMs).toBeLessThan(10_000);
  });

  it('an error body of 10 MB is refused without being read in full', async () => {
    const server = await hostile(
      (route, _req, res) =>
        route === 'token' && json(res, 400, { error: 'invalid_request', error_description: 'x'.repeat(10_000_000) }),
    );
    const run = await runAction(token(server.url, { 'max-attempts': '1' }));
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toContain('the response was larger than 4 MiB');
  });

  it('a body that drips forever stops being read when its attempt times out, not only when the run ends', async () => {
    const closedAfterMs: number[] = [];
    const server = await hostile((route, _req, res) => {
      if (route !== 'token') return false;
      const started = Date.now();
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => {
        clearInterval(drip);
        closedAfterMs.push(Date.now() - started);
      });
      return true;
    });
    const run = await runAction(token(server.url, { 'timeout-seconds': '1', 'max-attempts': '3' }));
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toContain('within the 1 s limit (timeout-seconds) after 3 attempts');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedAfterMs).toHaveLength(3);
    // Each attempt's response is dropped at its own 1 s deadline, not kept streaming until the run ends.
    for (const ms of closedAfterMs) expect(ms).toBeLessThan(1900);
  });

  it.each([
    ['a missing file', '/nonexistent/dir/output', 'Missing file at path: /nonexistent/dir/output'],
    ['a directory', '/tmp', 'EISDIR'],
  ])('GITHUB_OUTPUT pointing at %s: one ::error:: naming it, no stack trace', async (_what, path, detail) => {
    const server = await hostile();
    const run = await runAction(token(server.url), { env: { GITHUB_OUTPUT: path } });
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toMatch(
      /^Run failed: could not write the step outputs \(GITHUB_OUTPUT\): .+\. Fix: run the action as a step of a GitHub Actions job/u,
    );
    expect(run.log.errors[0]).toContain(detail);
  });

  it('GITHUB_OUTPUT unwritable: found when the first outputs are written, before any request, so nothing is made whose outputs would be lost', async () => {
    const server = await hostile(
      (route, _req, res) =>
        route === 'token' &&
        json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' }),
    );
    const run = await runAction(token(server.url), { env: { GITHUB_OUTPUT: '/nonexistent/dir/output' } });
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toBe(
      'Run failed: could not write the step outputs (GITHUB_OUTPUT): Missing file at path: /nonexistent/dir/output. Fix: run the action as a step of a GitHub Actions job, whose runner makes that file.',
    );
    expect(run.log.warnings).toEqual([]);
    expect(server.hits).toEqual([]);
  });

  it('304 is not reported as a redirect; a Location without a host is named as such', async () => {
    const notModified = await hostile((route, _req, res) => route === 'token' && (res.writeHead(304).end(), true));
    const run304 = await runAction(token(notModified.url));
    expectContract(run304, 'failure');
    expect(run304.log.errors[0]).toMatch(/^Token failed \(HTTP 304\): the response carries no error details\./u);

    const noHost = await hostile(
      (route, _req, res) => route === 'token' && (res.writeHead(307, { location: 'javascript:alert(1)' }).end(), true),
    );
    const run307 = await runAction(token(noHost.url));
    expectContract(run307, 'failure');
    expect(run307.log.errors[0]).toContain('(HTTP 307): the platform redirected to a location without a host;');
  });
});

describe('attacks the action withstands', () => {
  const inject =
    'bad\n::add-mask::Token\n::set-output name=x::y\r\n::stop-commands::s\n::error::second %0A::error::third';
  const failures: [string, 'provision' | 'token', Override, string][] = [
    [
      'OAuth error_description with workflow commands',
      'token',
      (r, _q, res) => r === 'token' && json(res, 401, { error: 'invalid_client', error_description: inject }),
      'Token failed (HTTP 401): the platform answered "invalid_client: bad ::add-mask::Token',
    ],
    [
      'identity API message with workflow commands',
      'provision',
      (r, _q, res) => r === 'login' && json(res, 401, { message: inject }),
      'Login failed (HTTP 401)',
    ],
    [
      'error text echoing the secret raw and encoded',
      'token',
      (r, _q, res, body) =>
        r === 'token' &&
        json(res, 401, {
          error: 'invalid_client',
          error_description: `${new URLSearchParams(body).get('client_secret') ?? ''} ${encodeURIComponent(INPUT_SECRET)} ${body}`,
        }),
      'the platform answered "invalid_client: *** *** grant_type=client_credentials&client_id=m2m-abc&client_secret=***"',
    ],
    [
      'login error echoing the password JSON-escaped',
      'provision',
      (r, _q, res, body) => r === 'login' && json(res, 400, { message: `bad body ${body}` }),
      'Login failed (HTTP 400)',
    ],
    [
      'access_token a number',
      'token',
      (r, _q, res) => r === 'token' && json(res, 200, { access_token: 12345678901234 }),
      'no valid access_token',
    ],
    [
      'access_token an object',
      'token',
      (r, _q, res) => r === 'token' && json(res, 200, { access_token: { value: BEARER } }),
      'no valid access_token',
    ],
    [
      'access_token empty',
      'token',
      (r, _q, res) => r === 'token' && json(res, 200, { access_token: '' }),
      'no valid access_token',
    ],
    [
      'a 1 MB access token (over the 8192-character bound)',
      'token',
      (r, _q, res) =>
        r === 'token' && json(res, 200, { access_token: `${'A'.repeat(1_000_000)}${BEARER}`, expires_in: 60 }),
      "access_token is too long: 1000029 characters, over the action's limit of 8192",
    ],
    [
      '__proto__ and constructor keys',
      'provision',
      (r, _q, res) =>
        r === 'login' &&
        json(res, 200, '{"__proto__":{"accessToken":"x"},"constructor":{"prototype":{"accessToken":"y"}}}'),
      'no valid accessToken',
    ],
    [
      'JSON nested 200 000 deep',
      'token',
      (r, _q, res) => r === 'token' && json(res, 200, `${'['.repeat(200_000)}${']'.repeat(200_000)}`),
      'no valid access_token',
    ],
    [
      'error JSON nested 100 000 deep',
      'token',
      (r, _q, res) => r === 'token' && json(res, 400, `${'{"error":'.repeat(100_000)}1${'}'.repeat(100_000)}`),
      'Token failed (HTTP 400): the response carries no error details',
    ],
    [
      'invalid UTF-8 in an error',
      'token',
      (r, _q, res) =>
        r === 'token' &&
        (res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(
            Buffer.concat([
              Buffer.from('{"error":"invalid_client","error_description":"x'),
              Buffer.from([0xff, 0xfe, 0xc3]),
              Buffer.from('"}'),
            ]),
          ),
        true),
      'invalid_client: x',
    ],
    [
      'SCIM detail with workflow commands',
      'token',
      (r, _q, res) =>
        r === 'scim' &&
        json(res, 401, { detail: '::error::fake\n::add-mask::Bearer', scimType: 'a\nb' }, 'application/scim+json'),
      'SCIM check failed (HTTP 401): the platform answered "a b: ::error::fake ::add-mask::Bearer"',
    ],
    [
      'expires_in 1e300',
      'token',
      (r, _q, res) => r === 'token' && json(res, 200, { access_token: BEARER, expires_in: 1e300 }),
      'no valid expires_in',
    ],
    [
      'status 600',
      'token',
      (r, _q, res) =>
        r === 'token' && (res.writeHead(600, { 'content-type': 'application/json' }).end('{"error":"weird"}'), true),
      'Token failed (HTTP 600): the platform answered "weird"',
    ],
    [
      '302 to another host with userinfo',
      'token',
      (r, _q, res) => r === 'token' && (res.writeHead(302, { location: 'https://user:pw@evil.example/x' }).end(), true),
      'the platform redirected to evil.example; credentials are never sent',
    ],
    [
      '307 with a relative Location',
      'provision',
      (r, _q, res) => r === 'login' && (res.writeHead(307, { location: '/sso/login' }).end(), true),
      'Login failed (HTTP 307): the platform redirected to 127.0.0.1:',
    ],
    // The first label wins; a JSON body under a non-JSON label is read (with a warning) and judged by its content.
    [
      'duplicate Content-Type (first one HTML)',
      'token',
      (r, req) =>
        r === 'token' &&
        (req.socket.end(
          `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        ),
        true),
      'Token failed (HTTP 200): the response has no valid access_token',
    ],
    [
      'conflicting Content-Length',
      'token',
      (r, req) =>
        r === 'token' &&
        (req.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{"a":1}'), true),
      'network error (HPE_UNEXPECTED_CONTENT_LENGTH)',
    ],
    [
      'not HTTP at all',
      'token',
      (r, req) => r === 'token' && (req.socket.end('SSH-2.0-OpenSSH\r\n\r\n'), true),
      'network error (HPE_INVALID_CONSTANT)',
    ],
    [
      'gzip-encoded JSON',
      'token',
      (r, _q, res) =>
        r === 'token' &&
        (res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
          .end(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])),
        true),
      'the gzip-compressed response does not decompress (truncated or corrupt)',
    ],
  ];
  it.each(failures)('%s', async (_name, mode, override, expected) => {
    const server = await hostile(override);
    const run = await runAction(
      mode === 'token'
        ? token(server.url, { 'scim-check': 'true', 'max-attempts': '1' })
        : provision(server.url, { 'max-attempts': '1' }),
    );
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toContain(expected);
    expect((run.log.errors[0] ?? '').length).toBeLessThan(1000);
  });

  const successes: [string, Record<string, string>, Override][] = [
    [
      'Content-Type upper case with a charset',
      token(''),
      (r, _q, res) =>
        r === 'token' && json(res, 200, { access_token: BEARER, expires_in: 60 }, 'APPLICATION/JSON; Charset=UTF-8'),
    ],
    [
      '103 Early Hints before the answer',
      token(''),
      (r, req) => {
        if (r !== 'token') return false;
        const body = JSON.stringify({ access_token: BEARER, expires_in: 60 });
        req.socket.end(
          `HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
        return true;
      },
    ],
    [
      'a multi-line password with workflow commands in it',
      provision('', { password: `${PASSWORD}\n::add-mask::zz\n%0A::error::p` }),
      () => false,
    ],
    [
      'a client secret with % %25 quotes backslash emoji and a lone surrogate',
      token('', { 'client-secret': `${INPUT_SECRET}a%25b%c"d'e\\f😀\ud800g` }),
      () => false,
    ],
    [
      'a client-id input with a line break (never logged)',
      token('', { 'client-id': 'm2m\n::error::injected-by-client-id' }),
      () => false,
    ],
    ['an email with :: in it', provision('', { email: '::error::x@example.com' }), () => false],
    ['no GITHUB_STEP_SUMMARY', token('', {}), () => false],
  ];
  it.each(successes)('%s', async (name, inputs, override) => {
    const server = await hostile(override);
    const env: Record<string, string> = name === 'no GITHUB_STEP_SUMMARY' ? { GITHUB_STEP_SUMMARY: '' } : {};
    const run = await runAction({ ...inputs, 'base-url': server.url }, { env });
    const secrets = [inputs['password'], inputs['client-secret']]
      .filter((s): s is string => s !== undefined)
      .flatMap((s) => [s, ...s.split('\n').filter((line) => line.length >= 8)]);
    expectContract(run, 'success', secrets);
  });

  it('without GITHUB_OUTPUT: one error before any request, never ::set-output (the secrets would be printed)', async () => {
    const server = await hostile();
    const run = await runAction(provision(server.url), { env: { GITHUB_OUTPUT: '' } });
    expectContract(run, 'failure');
    expect(run.stdout).not.toContain('set-output');
    expect(run.log.errors[0]).toMatch(/^Run failed: GITHUB_OUTPUT is not set/u);
    expect(server.hits).toEqual([]);
  });

  it('Retry-After below zero or unparsable falls back to a short backoff; 429 forever stops at max-attempts', async () => {
    const server = await hostile(
      (route, _req, res) => route === 'token' && (res.writeHead(429, { 'retry-after': '-5' }).end(), true),
    );
    const run = await runAction(token(server.url, { 'max-attempts': '3' }));
    expectContract(run, 'failure');
    expect(run.log.errors[0]).toMatch(
      /^Token failed \(HTTP 429\): .* after 3 attempts\. Fix: the platform is rate limiting/u,
    );
    expect(server.hits).toEqual(['token', 'token', 'token']);
    expect(run.durationMs).toBeLessThan(10_000);
  });

  it('base-url tricks: only real loopback hosts may use plain http://', () => {
    for (const url of [
      'http://127.0.0.1.evil.com',
      'http://localhost.evil.com',
      'http://[::ffff:127.0.0.1]',
      'http://localhost.',
      'http://0.0.0.0',
      'http://127.0.0.1\t.evil.com',
    ]) {
      expect(() => resolveBaseUrl(url, ''), url).toThrow(/plain http:\/\//u);
    }
    for (const url of ['https://platform.invicti.com@evil.com', 'http://user:pw@127.0.0.1'])
      expect(() => resolveBaseUrl(url, ''), url).toThrow(/user name or password/u);
    expect(resolveBaseUrl('http://127.1', '').baseUrl).toBe('http://127.0.0.1');
    expect(resolveBaseUrl('http://0x7f.0.0.1:8080', '').baseUrl).toBe('http://127.0.0.1:8080');
    expect(resolveBaseUrl('http://[0:0:0:0:0:0:0:1]', '').baseUrl).toBe('http://[::1]');
    expect(resolveBaseUrl('HTTPS://PLATFORM.INVICTI.COM:443/', '').baseUrl).toBe('https://platform.invicti.com');
    expect(resolveBaseUrl('https://platform.invicti.com/a/../%2e%2e/b/', '').baseUrl).toBe(
      'https://platform.invicti.com/b',
    );
    expect(resolveBaseUrl('https://пример.рф', '').baseUrl).toBe('https://xn--e1afmkfd.xn--p1ai');
  });
});
