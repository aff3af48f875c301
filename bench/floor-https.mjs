/**
 * Benchmark floor 1 (`npm run bench`): the action's requests with plain
 * `node:https` and nothing else. Reads the same `INPUT_*` variables as the
 * action, sends the same calls with the same headers and bodies over one
 * kept-alive connection, destroys it, and exits 0 when every answer is 2xx
 * (1 otherwise). No input checks, masking, outputs, retries or log: this is
 * what the requests alone cost in a fresh Node process.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const base = input('base-url').replace(/\/+$/u, '');
const lib = base.startsWith('https:') ? https : http;
const agent = new lib.Agent({ keepAlive: true });
const userAgent = 'invicti-scim-credentials/1';

/** One request; resolves with the parsed JSON body of a 2xx answer. */
function call(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const request = lib.request(
      `${base}${path}`,
      { method, agent, headers: { 'user-agent': userAgent, ...headers } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) reject(new Error(`${method} ${path}: HTTP ${status}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
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
  const scim = input('scim-check') === 'true';
  if (input('mode') === 'provision') {
    const login = await call(
      'POST',
      '/api/identity/v1/userCredentials/login',
      json,
      JSON.stringify({ emailAddress: input('email'), password: input('password') }),
    );
    const name = input('client-name') || 'GitHub Actions SCIM (floor)';
    const created = await call(
      'POST',
      '/api/identity/v1/clients?expand=credentials',
      { ...json, ...bearer(login.accessToken) },
      JSON.stringify({
        name,
        description: input('client-description') || name,
        enabled: true,
        clientType: 'machineToMachine',
        jwtSigningAlgorithm: 'rs256',
        refreshTokenRotation: false,
        grantTypeClientCredentials: true,
      }),
    );
    await call(
      'POST',
      '/api/identity/v1/apis/00000000-0000-0000-0000-000000000001/clients',
      { ...json, ...bearer(login.accessToken) },
      JSON.stringify([{ clientId: created.clientId }]),
    );
    if (input('verify') !== 'false') {
      const accessToken = await token(created.credentials.clientId, created.credentials.clientSecret);
      if (scim) await scimCheck(accessToken);
    }
  } else {
    const accessToken = await token(input('client-id'), input('client-secret'));
    if (scim) await scimCheck(accessToken);
  }
} catch (error) {
  process.exitCode = 1;
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  agent.destroy();
}
