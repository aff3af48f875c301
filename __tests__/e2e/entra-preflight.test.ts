/**
 * Issue 15, "before anything is created": every way the Entra preflight can
 * fail stops a provision run before its first platform request (no
 * registration exists), with one error naming the cause and the fix; in token
 * mode, before step 4. End to end under Node 24 (harness/runner.ts).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { graphError, scimJob } from '../../harness/microsoft.ts';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { renderMarkdown } from '../support/markdown.ts';
import {
  expectNotShown,
  expectOneError,
  microsoftSecrets,
  provisionWithEntra,
  useEntraWorld,
  tokenWithEntra,
  withIdToken,
} from '../support/entra.ts';

const w = useEntraWorld();

/** A provision run that failed in the preflight: one error, no platform request, nothing saved in Entra. */
function expectStoppedBeforePlatform(run: ActionRun): string {
  const error = expectOneError(run);
  expect(w.sim.requests.filter((r) => r.route === 'create' || r.route === 'login' || r.route === 'authorize')).toEqual(
    [],
  );
  expect(w.sim.registrations.size).toBe(1);
  expect(w.ms.requestsTo('save')).toEqual([]);
  expect(w.ms.secrets.map((s) => s.value)).toContain(w.previous.clientSecret);
  expect(run.outputs['registration-id'] ?? '').toBe('');
  expect(run.outputs['entra-updated']).toBe('false');
  expectNotShown(run, microsoftSecrets(w.ms));
  return error;
}

const provision = (extra: Record<string, string> = {}): Promise<ActionRun> =>
  runAction(provisionWithEntra(w.sim, w.ms, extra), withIdToken(w.ms));

describe('preflight failures stop before anything is created', () => {
  it('no id-token: write permission (the OIDC variables are absent): names the permission', async () => {
    const run = await runAction(provisionWithEntra(w.sim, w.ms));
    const error = expectStoppedBeforePlatform(run);
    expect(error).toContain('id-token: write');
    expect(w.ms.requests).toEqual([]);
  });

  it('no federated credential for the token subject: quotes the subject', async () => {
    w.ms.federatedSubjects = ['repo:octo-org/identity:environment:production'];
    const error = expectStoppedBeforePlatform(await provision());
    expect(error).toContain('repo:octo-org/identity:environment:invicti-rotation');
    expect(error).toContain('700213');
  });

  it('a subject with immutable ids and Markdown in the environment name is quoted whole and inert', async () => {
    w.ms.subject = 'repo:octo-org@1234/identity@5678:environment:Prod [x](https://evil.example)';
    w.ms.federatedSubjects = ['repo:octo-org/identity:environment:Prod'];
    const run = await provision();
    const error = expectStoppedBeforePlatform(run);
    expect(error).toContain(w.ms.subject);
    expect(renderMarkdown(run.summary).live.filter((element) => element.includes('evil.example'))).toEqual([]);
  });

  it('tenant not found (AADSTS90002)', async () => {
    const error = expectStoppedBeforePlatform(await provision({ 'entra-tenant-id': 'fabrikam.onmicrosoft.com' }));
    expect(error).toContain('fabrikam.onmicrosoft.com');
    expect(error).toMatch(/tenant/iu);
  });

  it('app registration not found (AADSTS700016)', async () => {
    const clientId = randomUUID();
    const error = expectStoppedBeforePlatform(await provision({ 'entra-client-id': clientId }));
    expect(error).toContain('700016');
    expect(error).toContain('entra-client-id');
  });

  it('Graph 403: names Application.ReadWrite.OwnedBy with ownership, or Synchronization.ReadWrite.All', async () => {
    w.ms.forbidden = true;
    const error = expectStoppedBeforePlatform(await provision());
    expect(error).toContain('Application.ReadWrite.OwnedBy');
    expect(error).toMatch(/owner/iu);
    expect(error).toContain('Synchronization.ReadWrite.All');
  });

  it('service principal not found (Graph 404)', async () => {
    const error = expectStoppedBeforePlatform(await provision({ 'entra-service-principal-id': randomUUID() }));
    expect(error).toContain('entra-service-principal-id');
  });

  it('no SCIM provisioning job: provisioning not set up', async () => {
    w.ms.jobs = [];
    const error = expectStoppedBeforePlatform(await provision());
    expect(error).toMatch(/provisioning/iu);
  });

  it('two SCIM jobs: which one to update is not guessed', async () => {
    w.ms.jobs = [scimJob(), scimJob()];
    const error = expectStoppedBeforePlatform(await provision());
    expect(error).toContain(w.ms.jobs[0]?.id ?? '?');
  });

  it('no tenant URL key (BaseAddress): said in the preflight, no key invented', async () => {
    w.ms.secrets.splice(
      w.ms.secrets.findIndex((s) => s.key === 'BaseAddress'),
      1,
    );
    const error = expectStoppedBeforePlatform(await provision());
    expect(error).toMatch(/tenant URL|BaseAddress/iu);
  });

  it('a gallery job only (no SCIM job) counts as none', async () => {
    w.ms.jobs = [{ id: 'slack.abc', templateId: 'slack', status: { code: 'Active', quarantine: null } }];
    expectStoppedBeforePlatform(await provision());
  });

  it('an app set to a long-lived secret token (SecretToken): choose the OAuth2 client credentials grant', async () => {
    await w.restart({ keyStyle: 'secret-token' });
    const error = expectStoppedBeforePlatform(await provision());
    expect(error).toMatch(/OAuth2 client credentials grant/iu);
  });

  it('a key the hand-off needs is missing (no token endpoint key): said in the preflight, no key invented', async () => {
    w.ms.secrets.splice(
      w.ms.secrets.findIndex((s) => s.key === 'Oauth2TokenExchangeUri'),
      1,
    );
    const error = expectStoppedBeforePlatform(await provision());
    expect(error).toMatch(/token endpoint|Oauth2TokenExchangeUri/iu);
  });

  it('Entra errors are quoted inertly: a description with line breaks and a workflow command is one line', async () => {
    w.ms.fault('entra-token', {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'AADSTS90002: Tenant x not found.\r\n::warning::injected\r\nTrace ID: 1',
        error_codes: [90002],
      },
    });
    const run = await provision();
    expectStoppedBeforePlatform(run);
    expect(run.log.warnings).toEqual([]);
  });

  it('a Graph error message is quoted inertly', async () => {
    w.ms.fault('jobs', graphError(403, 'Authorization_RequestDenied', 'Denied\n::warning::injected'));
    const run = await provision();
    expectStoppedBeforePlatform(run);
    expect(run.log.warnings).toEqual([]);
  });

  it('verify: false with the Entra inputs is an input error, before any request', async () => {
    const run = await provision({ verify: 'false' });
    const error = expectOneError(run);
    expect(error).toContain('verify');
    expect(w.sim.requests).toEqual([]);
    expect(w.ms.requests).toEqual([]);
  });
});

describe('token mode: the preflight runs before step 4', () => {
  it('a subject no federated credential trusts stops the run before any platform token request', async () => {
    w.ms.federatedSubjects = [];
    const registration = w.sim.seedRegistration();
    const run = await runAction(tokenWithEntra(w.sim, w.ms, registration), withIdToken(w.ms));
    expectOneError(run);
    expect(w.sim.requestsTo('token')).toEqual([]);
    expect(w.ms.requestsTo('save')).toEqual([]);
  });
});
