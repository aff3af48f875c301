/**
 * Request-level unit tests of the platform clients and flows (`client/`,
 * `flows/`): the clients over the real transport (@actions/http-client) with
 * `nock` answering at {@link BASE}. The network is off for the whole file.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { createHttpTransport, type Transport } from '../../src/net/http.ts';
import { createPlatformClients, type ClientOptions, type PlatformClients } from '../../src/client/index.ts';

/** The base URL nock answers for. */
export const BASE = 'https://platform.example.test';
/** The clock of every client made here. */
export const NOW = new Date('2030-01-02T03:04:05.000Z');
export const REGISTRATION_ID = '3f2b7c1e-9a4d-4e8f-b6a5-0c1d2e3f4a5b';
/** A registration's credentials, the secret with characters every encoding changes. */
export const CREDENTIALS = { clientId: 'm2m-6f1e2d3c4b5a6978', clientSecret: 'S3cr3t+/=&% é' };
export const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
export const SCIM_TYPE = { 'content-type': 'application/scim+json' };
export const HTML_TYPE = { 'content-type': 'text/html; charset=utf-8' };
/** A gateway's error page. */
export const HTML = '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>';

const transports: Transport[] = [];

/**
 * Turns the network off for the test file (only nock answers), and after each
 * test disposes of the transports {@link makeClient} made and drops nock's
 * interceptors. Call once at the top of the file.
 */
export function withNock(): void {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
  afterEach(() => {
    for (const transport of transports.splice(0)) transport.dispose();
    nock.cleanAll();
  });
}

/** Clients made by {@link makeClient}, with the mask and log they were given (vi.fn spies). */
export interface Made {
  client: PlatformClients;
  mask: ReturnType<typeof vi.fn<(secret: string) => string>>;
  log: {
    info: ReturnType<typeof vi.fn<(m: string) => void>>;
    debug: ReturnType<typeof vi.fn<(m: string) => void>>;
    warning: ReturnType<typeof vi.fn<(m: string) => void>>;
  };
}

/**
 * The platform clients at {@link BASE} over a real transport (5 s timeout), one
 * attempt, no waiting, random 0, clock {@link NOW}, spied mask and log;
 * `overrides` replace any option.
 */
export function makeClient(overrides: Partial<ClientOptions> = {}): Made {
  const mask = vi.fn((secret: string) => secret);
  const log = {
    info: vi.fn((message: string) => void message),
    debug: vi.fn((message: string) => void message),
    warning: vi.fn((message: string) => void message),
  };
  const transport = createHttpTransport('scim-action-test/1', 5000);
  transports.push(transport);
  const client = createPlatformClients({
    baseUrl: BASE,
    transport,
    timeoutMs: 5000,
    maxAttempts: 1,
    sleep: async () => undefined,
    random: () => 0,
    now: () => NOW,
    log,
    mask,
    ...overrides,
  });
  return { client, mask, log };
}

/** A request nock answered, as it arrived. */
export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Records each request the scope answers, with its raw path and body. */
export function record(scope: nock.Scope): Seen[] {
  const seen: Seen[] = [];
  scope.on(
    'request',
    (req: { method: string; path: string; headers: Seen['headers'] }, _interceptor: unknown, body: string) => {
      seen.push({ method: req.method, path: req.path, headers: req.headers, body });
    },
  );
  return seen;
}

/** The ActionError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function caught(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  }
  throw new Error('expected an ActionError');
}

/** The shape every failure message has: step, status, reason, fix; one line; no stack trace. */
export function expectWellFormed(error: ActionError, title: string, status: number | undefined): void {
  expect(
    error.message.startsWith(status === undefined ? `${title} failed: ` : `${title} failed (HTTP ${status}): `),
  ).toBe(true);
  expect(error.message).toMatch(/\. Fix: .+\.$/u);
  expect(error.message).not.toContain('\n');
  expect(error.message).not.toMatch(/\s+at\s.+:\d+/u);
  expect(error.message).not.toMatch(/SyntaxError|Unexpected token|JSON\.parse|is not valid JSON:/u);
  expect(error.status).toBe(status);
}
