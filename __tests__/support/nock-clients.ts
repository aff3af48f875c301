/**
 * Platform clients over the real HTTP transport for request-level unit tests
 * with `nock` (`nock(NOCK_BASE)…`): one attempt, no waiting, a fixed clock, and
 * recording fakes for the mask and the client log. Call {@link useNock} once
 * per file to block real connections and clean up between tests.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { createPlatformClients, type ClientOptions, type PlatformClients } from '../../src/client/index.ts';
import { ActionError } from '../../src/errors.ts';
import { createHttpTransport, type Transport } from '../../src/net/http.ts';

/** The base URL the clients talk to (nock answers it; nothing listens). */
export const NOCK_BASE = 'https://platform.example.test';
/** The clients' clock. */
export const NOCK_NOW = new Date('2030-01-02T03:04:05.000Z');
export const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
export const SCIM_TYPE = { 'content-type': 'application/scim+json' };

const transports: Transport[] = [];

/** Blocks real connections for the file, and after each test disposes the transports and clears nock. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => {
    for (const transport of transports.splice(0)) transport.dispose();
    nock.cleanAll();
  });
}

/** Clients made by {@link nockClients}, with the fakes behind them. */
export interface NockClients {
  client: PlatformClients;
  /** Every secret the clients asked to mask. */
  masked: string[];
  /** Every line the clients logged, by level. */
  logged: { info: string[]; debug: string[]; warning: string[] };
}

/** Makes the three clients against {@link NOCK_BASE}; `overrides` change any option. */
export function nockClients(overrides: Partial<ClientOptions> = {}): NockClients {
  const masked: string[] = [];
  const logged = { info: [] as string[], debug: [] as string[], warning: [] as string[] };
  const transport = createHttpTransport('scim-action-test/1', 5000);
  transports.push(transport);
  const client = createPlatformClients({
    baseUrl: NOCK_BASE,
    transport,
    timeoutMs: 5000,
    maxAttempts: 1,
    sleep: async () => undefined,
    random: () => 0,
    now: () => NOCK_NOW,
    log: {
      info: vi.fn((m: string) => void logged.info.push(m)),
      debug: vi.fn((m: string) => void logged.debug.push(m)),
      warning: vi.fn((m: string) => void logged.warning.push(m)),
    },
    mask: (secret) => {
      masked.push(secret);
      return secret;
    },
    ...overrides,
  });
  return { client, masked, logged };
}

/** The ActionError `promise` rejects with (fails the test when it resolves or rejects with anything else). */
export async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const outcome = await promise.then(
    () => new Error('expected the call to fail'),
    (error: unknown) => error,
  );
  if (outcome instanceof ActionError) return outcome;
  throw outcome;
}
