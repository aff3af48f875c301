/**
 * A scripted transport for client and flow unit tests: each request is answered by a function
 * (a response, or a thrown TransportError) and recorded; and a request core over it whose mask,
 * log and sleep only record (no real time passes, nothing touches the network).
 */
import { TransportError, type HttpRequest, type HttpResponse, type Transport } from '../../src/net/http.ts';
import { ApiCore } from '../../src/client/request.ts';
import { createPlatformClients, type PlatformClients } from '../../src/client/index.ts';
import { createMask, redact } from '../../src/runner/mask.ts';
import type { Logger } from '../../src/runner/log.ts';

/** Answers one request: a response, or a transport failure. */
export type Answerer = (request: HttpRequest, index: number) => HttpResponse | TransportError;

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** An empty response (e.g. Graph's 204). */
export function empty(status = 204): HttpResponse {
  return { status, headers: {}, body: '' };
}

/** One scripted answer of {@link scriptedClients}: a response, or a transport failure. */
export type Scripted = HttpResponse | TransportError;

/** The platform clients over a scripted transport, with what they did (see {@link scriptedClients}). */
export interface ScriptedClients {
  client: PlatformClients;
  requests: HttpRequest[];
  /** Every wait the clients asked for, in milliseconds. */
  sleeps: number[];
  /** Info lines, and warnings as `warning: …`. */
  info: string[];
  /** Virtual time in milliseconds: advanced by each wait and by each request that timed out. */
  clock: { ms: number };
}

/**
 * The platform clients (base `https://platform.example.test`) over a transport that answers
 * `script` in order (an unscripted request fails the test), with a virtual clock from `now`
 * (default 2025-01-01) that each wait and each `timeout` failure advances: the retry loop's
 * attempts and waits are checked with no socket and no real time.
 */
export function scriptedClients(
  script: Scripted[],
  options: { maxAttempts?: number; random?: () => number; timeoutMs?: number; now?: Date } = {},
): ScriptedClients {
  const requests: HttpRequest[] = [];
  const sleeps: number[] = [];
  const info: string[] = [];
  const clock = { ms: 0 };
  const start = options.now ?? new Date('2025-01-01T00:00:00Z');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transport: Transport = {
    async send(request, limitMs) {
      if (limitMs !== timeoutMs) throw new Error(`request limit ${limitMs} ms, expected ${timeoutMs} ms`);
      requests.push(request);
      const next = script.shift();
      if (next === undefined) throw new Error(`unscripted request ${request.method} ${request.url}`);
      if (next instanceof TransportError) {
        if (next.kind === 'timeout') clock.ms += limitMs;
        throw next;
      }
      return next;
    },
    dispose: () => undefined,
  };
  const client = createPlatformClients({
    baseUrl: 'https://platform.example.test',
    transport,
    timeoutMs,
    maxAttempts: options.maxAttempts ?? 3,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
    },
    random: options.random ?? (() => 0.5),
    now: () => new Date(start.getTime() + clock.ms),
    log: { info: (m) => info.push(m), debug: () => undefined, warning: (m) => info.push(`warning: ${m}`) },
    mask: createMask(() => undefined),
  });
  return { client, requests, sleeps, info, clock };
}

/** What a scripted core recorded. */
export interface ScriptedCore {
  core: ApiCore;
  requests: HttpRequest[];
  /** Every value registered with the mask (each form). */
  secrets: string[];
  /** Every wait asked of `sleep`, in milliseconds. */
  sleeps: number[];
  /** Every line logged, `level: text`. */
  logs: string[];
  log: Logger;
}

/**
 * A request core (base `https://platform.example.test`, 3 attempts) over a transport that
 * answers with `answer`; `sleep` records and returns at once.
 */
export function scriptedCore(answer: Answerer, maxAttempts = 3): ScriptedCore {
  const requests: HttpRequest[] = [];
  const secrets: string[] = [];
  const sleeps: number[] = [];
  const logs: string[] = [];
  const transport: Transport = {
    async send(request) {
      requests.push(request);
      const result = answer(request, requests.length - 1);
      if (result instanceof TransportError) throw result;
      return result;
    },
    dispose: () => undefined,
  };
  const log: Logger = {
    info: (text) => logs.push(`info: ${text}`),
    debug: (text) => logs.push(`debug: ${text}`),
    notice: (text) => logs.push(`notice: ${text}`),
    warning: (text) => logs.push(`warning: ${text}`),
    group: async (name, fn) => {
      logs.push(`group: ${name}`);
      return fn();
    },
  };
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
  };
  const core = new ApiCore({
    baseUrl: 'https://platform.example.test',
    transport,
    timeoutMs: 30_000,
    maxAttempts,
    sleep,
    random: () => 0.5,
    now: () => new Date('2026-12-01T00:00:00Z'),
    log,
    mask: createMask((secret) => secrets.push(secret)),
    redact: (text, options) => redact(text, secrets, options),
  });
  return { core, requests, secrets, sleeps, logs, log };
}
