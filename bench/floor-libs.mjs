/**
 * Benchmark floor 2 (`npm run bench`): the least an action can do with the
 * same libraries as this one. It loads `@actions/core` and
 * `@actions/http-client`, reads its inputs with `core.getInput`, masks every
 * secret with `core.setSecret`, sends the action's calls with the same
 * headers and bodies through one kept-alive `HttpClient` (no redirects, no
 * retries), sets the same outputs with `core.setOutput`, disposes the client,
 * and fails with `core.setFailed` on a non-2xx answer. It does not check
 * inputs, map errors, retry, group the log or write a step summary.
 *
 * The benchmark bundles it with scripts/bundle.ts, as `npm run bundle`
 * bundles the action, so it is packaged exactly as dist/index.js is; the
 * ratio action / this floor is then the cost of the action's own code.
 */
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { HttpClient } from '@actions/http-client';

const base = core.getInput('base-url').replace(/\/+$/u, '');
const timeout = Number(core.getInput('timeout-seconds') || '30') * 1000;
const client = new HttpClient('invicti-scim-credentials/1', [], {
  allowRedirects: false,
  allowRetries: false,
  maxRetries: 0,
  keepAlive: true,
  socketTimeout: timeout,
});

/** One request; resolves with the parsed JSON body of a 2xx answer. */
async function call(method, path, headers, body) {
  const response = await client.request(method, `${base}${path}`, body ?? null, headers);
  const text = await response.readBody();
  const status = response.message.statusCode ?? 0;
  if (status < 200 || status > 299) throw new Error(`${method} ${path}: HTTP ${status}`);
  return JSON.parse(text);
}

const json = { 'content-type': 'application/json', accept: 'application/json' };
const bearer = (token) => ({ authorization: `Bearer ${token}` });
const audience = encodeURIComponent(`${base}/api`).replace(/%3A/gu, ':').replace(/%2F/gu, '/');

async function token(clientId, clientSecret) {
  const answer = await call(
    'POST',
    `/oauth/token?audience=${audience}`,
    { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
  );
  core.setSecret(answer.access_token);
  core.setOutput('access-token', answer.access_token);
  core.setOutput('token-type', answer.token_type);
  core.setOutput('expires-in', String(answer.expires_in));
  core.setOutput('expires-at', new Date(Date.now() + answer.expires_in * 1000).toISOString());
  return answer.access_token;
}

/** The action's SCIM check: ServiceProviderConfig, Entra ID's /Users filter query, one group. */
async function scimCheck(accessToken) {
  const headers = { accept: 'application/scim+json, application/json', ...bearer(accessToken) };
  await call('GET', '/api/scim/v2/ServiceProviderConfig', headers);
  await call(
    'GET',
    `/api/scim/v2/Users?filter=${encodeURIComponent(`userName eq "scim-check-${randomUUID()}"`)}`,
    headers,
  );
  await call('GET', '/api/scim/v2/Groups?count=1&excludedAttributes=members', headers);
}

try {
  const scim = core.getBooleanInput('scim-check');
  core.setOutput('scim-url', `${base}/api/scim/v2`);
  core.setOutput('token-url', `${base}/oauth/token?audience=${audience}`);
  if (core.getInput('mode') === 'provision') {
    core.setSecret(core.getInput('password'));
    const login = await call(
      'POST',
      '/api/identity/v1/userCredentials/login',
      json,
      JSON.stringify({ emailAddress: core.getInput('email'), password: core.getInput('password') }),
    );
    core.setSecret(login.accessToken);
    const name = core.getInput('client-name') || 'GitHub Actions SCIM (floor)';
    const created = await call(
      'POST',
      '/api/identity/v1/clients?expand=credentials',
      { ...json, ...bearer(login.accessToken) },
      JSON.stringify({
        name,
        description: core.getInput('client-description') || name,
        enabled: true,
        clientType: 'machineToMachine',
        jwtSigningAlgorithm: 'rs256',
        refreshTokenRotation: false,
        grantTypeClientCredentials: true,
      }),
    );
    core.setSecret(created.credentials.clientSecret);
    core.setOutput('registration-id', created.clientId);
    core.setOutput('client-id', created.credentials.clientId);
    core.setOutput('client-secret', created.credentials.clientSecret);
    await call(
      'POST',
      '/api/identity/v1/apis/00000000-0000-0000-0000-000000000001/clients',
      { ...json, ...bearer(login.accessToken) },
      JSON.stringify([{ clientId: created.clientId }]),
    );
    if (core.getBooleanInput('verify')) {
      const accessToken = await token(created.credentials.clientId, created.credentials.clientSecret);
      if (scim) await scimCheck(accessToken);
    }
  } else {
    core.setSecret(core.getInput('client-secret'));
    const accessToken = await token(core.getInput('client-id'), core.getInput('client-secret'));
    if (scim) await scimCheck(accessToken);
  }
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
} finally {
  client.dispose();
}
