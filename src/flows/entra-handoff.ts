/**
 * The hand-off of new client credentials to Microsoft Entra ID (`docs/entra-graph-api.md`):
 * a preflight that runs before anything is created (GitHub OIDC token, Graph token, the app's
 * one SCIM provisioning job, its saved keys), then, once step 4 proved the credentials, Entra's
 * test of the new set, the save, Entra's test of the saved set (retried briefly while Graph
 * catches up), and the lifting of a quarantine. Loaded only when the Entra inputs are given.
 */
import { ActionError, amend, sanitize } from '../errors.ts';
import type { ApiCore } from '../client/index.ts';
import { requestOidcToken } from '../client/github-oidc.ts';
import { requestGraphToken } from '../client/entra.ts';
import {
  GraphClient,
  HIDDEN,
  isScimJob,
  isTestFailureStatus,
  keyNamesOf,
  type KeyNames,
  type SyncJob,
  type SyncSecret,
} from '../client/graph.ts';
import type { Env } from '../runner/env.ts';
import type { EntraInputs } from '../runner/entra-inputs.ts';
import type { Logger } from '../runner/log.ts';
import { entraHolds, type EntraReport, type Report } from '../runner/report.ts';
import type { Inputs } from '../runner/inputs.ts';

/**
 * Waits before each new try of Entra's test of the saved values, in milliseconds: 4 tries in
 * at most 14 s, well under a minute as the hand-off promises (Graph may need a moment after a
 * save; a job that still fails then is left to a scheduled `entra-check`).
 */
export const SAVED_TEST_DELAYS_MS: readonly number[] = [2_000, 4_000, 8_000];

/** How a registration this run made is handed over later, when its hand-off failed. */
const HAND_OVER_LATER =
  "then hand this run's registration over: an Owner reads its client secret on the platform and runs this action with mode token, its client-id and client-secret and the entra-* inputs (docs/entra-id.md); or re-run the rotation and delete this registration later";

/** The portal step that sets the client-credentials method once (named in several fixes). */
const PORTAL_SETUP =
  'set it up once in the portal: Enterprise applications → the Invicti app → Provisioning, mode Automatic, authentication method "OAuth2 client credentials grant", with the Tenant URL, Token Endpoint, Client Identifier and Client Secret of a provision run, then Test Connection and Save';

/** What the preflight found: the Graph client, the job and the saved keys. */
export interface EntraSession {
  graph: GraphClient;
  job: SyncJob;
  secrets: SyncSecret[];
  keys: KeyNames;
}

/** Collaborators of the Entra flows. */
export interface EntraContext {
  /** The run's request core (Microsoft's clients are made over it). */
  core: ApiCore;
  /** The runner environment: `ACTIONS_ID_TOKEN_REQUEST_URL` / `_TOKEN`. */
  env: Env;
  log: Logger;
  /** Waits `ms` milliseconds (between tries of the saved test). */
  sleep: (ms: number) => Promise<void>;
}

/** A fresh Entra report for the inputs: nothing tested, nothing saved, not updated. */
export function newEntraReport(entra: EntraInputs): EntraReport {
  return {
    tenantId: entra.tenantId,
    appClientId: entra.clientId,
    servicePrincipalId: entra.servicePrincipalId,
    newTest: 'not run',
    save: 'not sent',
    savedTest: 'not run',
    updated: false,
  };
}

/**
 * The preflight (steps 1a–1d of the hand-off): gets the GitHub OIDC token, signs in to Entra
 * with it for a Graph token, finds the enterprise application's one SCIM job and reads its saved
 * keys, recording each finding in `entra`. With `check` (mode `entra-check`) keys that do not
 * show the client-credentials method are a warning, not a failure.
 * @throws ActionError (steps `Entra OIDC token`, `Entra sign-in`, `Entra find job`, `Entra read keys`)
 * naming the cause and the fix.
 */
export async function entraPreflight(
  context: EntraContext,
  inputs: EntraInputs,
  entra: EntraReport,
  check = false,
): Promise<EntraSession> {
  const { core, env, log } = context;
  return log.group('Entra: sign in and read the provisioning job', async () => {
    const oidc = await requestOidcToken(core, env);
    if (oidc.subject !== undefined) entra.subject = oidc.subject;
    log.info(`Got the job's GitHub OIDC token (subject ${oidc.subject ?? 'unreadable'})`);
    const token = await requestGraphToken(core, inputs.loginUrl, {
      tenantId: inputs.tenantId,
      clientId: inputs.clientId,
      assertion: oidc.token,
      subject: oidc.subject,
      graphUrl: inputs.graphUrl,
    });
    log.info(`Signed in to Microsoft Entra ID tenant ${inputs.tenantId} as app registration ${inputs.clientId}`);
    const graph = new GraphClient(core, {
      graphUrl: inputs.graphUrl,
      servicePrincipalId: inputs.servicePrincipalId,
      clientId: inputs.clientId,
      accessToken: token.accessToken,
    });
    const job = findScimJob(await graph.listJobs(), inputs.servicePrincipalId);
    entra.jobId = job.id;
    if (job.statusCode !== undefined) entra.jobStatus = job.statusCode;
    entra.quarantined = job.quarantined;
    if (job.quarantineReason !== undefined) entra.quarantineReason = job.quarantineReason;
    log.info(
      `Provisioning job ${job.id}: status ${job.statusCode ?? 'not given'}${job.quarantined ? `, in quarantine (${job.quarantineReason ?? 'no reason given'})` : ''}`,
    );
    const secrets = await graph.readSecrets();
    const keys = keyNamesOf(secrets);
    entra.keys = keys;
    const clientIdValue = secrets.find((secret) => secret.key === keys.clientId)?.value;
    if (clientIdValue !== undefined && clientIdValue !== HIDDEN && clientIdValue !== '')
      entra.previousClientId = sanitize(core.redact(clientIdValue), 200);
    log.info(`Saved keys: ${secrets.map((secret) => secret.key).join(', ') || 'none'}`);
    const problem = keyProblem(keys, secrets, inputs.servicePrincipalId);
    if (problem !== undefined) {
      if (!check) throw problem;
      log.warning(`${problem.reason}; a rotation with this action would stop here (${problem.fix})`);
    }
    return { graph, job, secrets, keys };
  });
}

/**
 * At most `max` items of `list`, comma-separated, and `… and N more` for the rest: Graph's lists
 * go into messages, and a list of thousands must not make a megabyte annotation or summary.
 */
function few(list: readonly string[], max = 5): string {
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown} … and ${list.length - max} more` : shown;
}

/** The app's one SCIM job. @throws ActionError (step `Entra find job`) for none or several. */
function findScimJob(jobs: SyncJob[], servicePrincipalId: string): SyncJob {
  const scim = jobs.filter(isScimJob);
  const [only] = scim;
  if (only !== undefined && scim.length === 1) return only;
  if (scim.length > 1) {
    throw new ActionError({
      step: 'Entra find job',
      status: 200,
      reason: `enterprise application ${servicePrincipalId} has ${scim.length} SCIM provisioning jobs (${few(scim.map((job) => job.id))}), and the hand-off updates exactly one`,
      fix: 'check entra-service-principal-id, or delete the extra job in the portal',
    });
  }
  const others = jobs.map((job) => job.templateId ?? job.id);
  throw new ActionError({
    step: 'Entra find job',
    status: 200,
    reason: `enterprise application ${servicePrincipalId} has no SCIM provisioning job (provisioning is not set up)${others.length > 0 ? `; its jobs: ${few(others)}` : ''}`,
    fix: `check entra-service-principal-id (the Object ID of the Invicti enterprise application), or ${PORTAL_SETUP}`,
  });
}

/** Why the saved keys cannot take the hand-off (not the client-credentials method, or a field's key missing), if so. */
function keyProblem(keys: KeyNames, secrets: SyncSecret[], servicePrincipalId: string): ActionError | undefined {
  const names =
    few(
      secrets.map((secret) => secret.key),
      10,
    ) || 'none';
  if (keys.clientId === undefined || keys.clientSecret === undefined) {
    const what = keys.secretToken
      ? 'authenticates with a long-lived secret token (it holds key SecretToken and no client id and client secret keys)'
      : `is not set to the OAuth2 client credentials grant (it holds no client id and client secret keys; its keys: ${names})`;
    return new ActionError({
      step: 'Entra read keys',
      status: 200,
      reason: `the provisioning of enterprise application ${servicePrincipalId} ${what}; the hand-off writes only keys the app already holds`,
      fix: PORTAL_SETUP,
    });
  }
  const missing = [
    keys.tokenUrl === undefined ? 'Oauth2TokenExchangeUri (the Token Endpoint)' : undefined,
    keys.baseAddress === undefined ? 'BaseAddress (the Tenant URL)' : undefined,
  ].filter((name) => name !== undefined);
  if (missing.length === 0) return undefined;
  return new ActionError({
    step: 'Entra read keys',
    status: 200,
    reason: `the provisioning of enterprise application ${servicePrincipalId} holds no key ${missing.join(' and no key ')} (its keys: ${names}); the hand-off never adds a key`,
    fix: `fill in every field of the OAuth2 client credentials method once in the portal (${PORTAL_SETUP.replace(/^set it up once in the portal: /u, '')})`,
  });
}

/** What the hand-off gives Entra. */
export interface HandOffValues {
  clientId: string;
  /** Masked. */
  clientSecret: string;
  /** `scim-url`: the Tenant URL. */
  scimUrl: string;
  /** `token-url`: the Token Endpoint. */
  tokenUrl: string;
}

/**
 * The set to test and save: every key the app holds, with the four fields' keys set to the new
 * values and every other key kept with its clear value; hidden (`*`) values are left out (a save
 * is a per-key upsert [3P], so they stay as they are). Never a new key name.
 * @returns the set and the names of the keys whose value changes (a hidden old value counts as changed).
 */
export function handOffSet(
  session: Pick<EntraSession, 'secrets' | 'keys'>,
  values: HandOffValues,
): { set: SyncSecret[]; changed: string[] } {
  const { keys } = session;
  const fresh = new Map<string | undefined, string>([
    [keys.baseAddress, values.scimUrl],
    [keys.tokenUrl, values.tokenUrl],
    [keys.clientId, values.clientId],
    [keys.clientSecret, values.clientSecret],
  ]);
  const set: SyncSecret[] = [];
  const changed: string[] = [];
  for (const { key, value } of session.secrets) {
    const next = fresh.get(key);
    if (next !== undefined) {
      set.push({ key, value: next });
      if (value === HIDDEN || value !== next) changed.push(key);
    } else if (value !== HIDDEN) {
      set.push({ key, value });
    }
  }
  return { set, changed };
}

/**
 * The hand-off after step 4 (steps 2–5): Entra tests the new set (nothing is saved if it fails),
 * the set is saved, Entra tests the saved set (tried again after each of `delaysMs` while it
 * fails), then a quarantine is lifted. `entra.updated` turns true once the saved test passed.
 * @throws ActionError (steps `Entra test new credentials`, `Entra save credentials`,
 * `Entra test saved credentials`, `Entra lift quarantine`) whose reason says what Entra holds.
 */
export async function handOff(
  context: EntraContext,
  session: EntraSession,
  values: HandOffValues,
  entra: EntraReport,
  delaysMs: readonly number[] = SAVED_TEST_DELAYS_MS,
): Promise<void> {
  const { log } = context;
  const { graph, job } = session;
  const { set, changed } = handOffSet(session, values);
  entra.changedKeys = changed;
  await log.group('Entra: hand over the new credentials', async () => {
    log.info(`Keys to save: ${set.map(({ key }) => `${key}${changed.includes(key) ? ' (changed)' : ''}`).join(', ')}`);
    try {
      await graph.validateCredentials('Entra test new credentials', job.id, set);
    } catch (error) {
      entra.newTest = 'failed';
      throw holding(error, entra, isTestFailure(error) ? testFix(values) : undefined);
    }
    entra.newTest = 'passed';
    log.info("Entra's test of the new values passed");

    entra.save = 'sent';
    let attempts = 0;
    try {
      await graph.saveSecrets(set, (attempt) => (attempts = attempt));
    } catch (error) {
      // A 4xx to the only attempt proves nothing was saved; a 5xx, no answer, or a 4xx after an
      // attempt whose answer was lost or failed (that attempt may have saved) does not.
      if (error instanceof ActionError && error.status !== undefined && error.status < 500 && attempts === 1)
        entra.save = 'refused';
      throw holding(error, entra);
    }
    entra.save = 'saved';
    log.info(`Saved ${set.length} keys in the provisioning of ${entra.servicePrincipalId}`);

    await testSaved(context, session, entra, delaysMs);
    entra.updated = true;

    if (!job.quarantined) return;
    try {
      await graph.liftQuarantine(job.id);
    } catch (error) {
      entra.quarantine = 'not lifted';
      throw amend(error, {
        note: 'Microsoft Entra ID holds the new values and its test of them passed, but the quarantine was not lifted',
        fixNote: 'or lift it in the portal (Provisioning → Restart provisioning)',
      });
    }
    entra.quarantine = 'lifted';
    log.info(`Lifted the quarantine of job ${job.id} (restart with resetScope QuarantineState)`);
  });
}

/** Entra's test of the saved values, tried again after each delay while it fails with an HTTP answer Graph may outgrow. */
async function testSaved(
  context: EntraContext,
  session: EntraSession,
  entra: EntraReport,
  delaysMs: readonly number[],
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await session.graph.validateCredentials('Entra test saved credentials', session.job.id);
      entra.savedTest = 'passed';
      context.log.info(`Entra's test of the saved values passed${attempt > 0 ? ` (try ${attempt + 1})` : ''}`);
      return;
    } catch (error) {
      const delay = delaysMs[attempt];
      const status = error instanceof ActionError ? error.status : undefined;
      // Permission and not-found answers do not change with time.
      if (delay === undefined || !isTestFailure(error)) {
        entra.savedTest = 'failed';
        const tries = attempt + 1;
        throw holding(
          error,
          entra,
          isTestFailure(error)
            ? 'Graph may still be catching up: run mode entra-check in a few minutes; if it still fails, re-run the rotation'
            : undefined,
          `Entra's test of the saved values failed${tries > 1 ? ` ${tries} times` : ''}`,
        );
      }
      context.log.info(
        `Entra's test of the saved values failed (HTTP ${status}); Graph may still be catching up, trying again in ${delay / 1000} s`,
      );
      await context.sleep(delay);
    }
  }
}

/**
 * True when Graph answered a test with an error that is the test's own result (its credentials
 * or endpoints failed: `graph.ts` {@link isTestFailureStatus}), not a refusal of the call, Graph's
 * own trouble (5xx) or a lost answer.
 */
export function isTestFailure(error: unknown): boolean {
  const status = error instanceof ActionError ? error.status : undefined;
  return status !== undefined && isTestFailureStatus(status);
}

/** The fix note when Entra's test of the new values fails: what Entra's test does, from where. */
function testFix(values: HandOffValues): string {
  return `Entra's provisioning service gets a token from ${values.tokenUrl} (HTTP Basic client authentication) and reads ${values.scimUrl}/Users from Microsoft's cloud, not from the runner: both must be reachable from the internet; ${HAND_OVER_LATER}`;
}

/** `error` with what Entra holds now as a note (after `note`, when given), and `fixNote` added to its fix. */
function holding(error: unknown, entra: EntraReport, fixNote?: string, note?: string): unknown {
  const withNote = note === undefined ? error : amend(error, { note });
  return amend(withNote, { note: entraHolds(entra), fixNote });
}

/**
 * A rotation with the hand-off: the preflight, then `platform` (the mode's flow: provision with
 * verify, or token), then the hand-off of the credentials it proved (the new registration's, or
 * the `client-id` / `client-secret` inputs in mode token). A preflight failure says nothing was
 * created; a hand-off failure names the registration kept in the outputs.
 * @throws ActionError from any of them.
 */
export async function rotateWithEntra(
  context: EntraContext,
  entraInputs: EntraInputs,
  inputs: Pick<Inputs, 'clientId' | 'clientSecret'>,
  report: Report,
  platform: () => Promise<void>,
): Promise<void> {
  const entra = report.entra ?? newEntraReport(entraInputs);
  report.entra = entra;
  // Before anything is created: each way the preflight fails leaves nothing behind.
  const session = await entraPreflight(context, entraInputs, entra).catch((error: unknown) => {
    throw amend(error, { note: 'nothing was created or changed' });
  });
  await platform();
  const registration = report.mode === 'provision' ? report.registration : undefined;
  const clientId = registration ? registration.clientId : inputs.clientId;
  const clientSecret = registration ? registration.clientSecret : inputs.clientSecret;
  if (clientId === undefined || clientSecret === undefined) {
    throw new ActionError({
      step: 'Entra test new credentials',
      reason:
        'the platform returned no client id or client secret to hand over, so nothing was sent to Microsoft Entra ID',
      fix: 're-run the rotation; a registration without credentials can be deleted in the platform',
    });
  }
  try {
    await handOff(
      context,
      session,
      { clientId, clientSecret, scimUrl: report.scimUrl, tokenUrl: report.tokenUrl },
      entra,
    );
  } catch (error) {
    throw registration
      ? amend(error, {
          note: `registration ${registration.id ?? '(id not returned)'} was created, authorized and verified (its registration-id, client-id and client-secret are in the step outputs)`,
        })
      : error;
  }
}
