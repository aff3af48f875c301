/**
 * The run: reads inputs, picks the mode's flow, writes each output as soon as
 * it is known (before the next request), and at the end (success, failure or
 * cancel) writes the step summary and fails the step with one `::error::`.
 * All collaborators are passed in, so tests patch no module.
 */
import { cancelledError } from './flows/cancel.ts';
import { ActionError, sanitize, type Step } from './errors.ts';
import type { Transport } from './net/http.ts';
import type { Env } from './runner/env.ts';
import { readInputs, unusedInputs, wantsEntra, type GetInput, type Inputs } from './runner/inputs.ts';
import { createRunLog, type LogCore } from './runner/log.ts';
import { createMask, redact } from './runner/mask.ts';
import { createPlatformClients } from './client/index.ts';
import { provision } from './flows/provision.ts';
import { OutputsError, OutputWriter, requireOutputFile } from './runner/outputs.ts';
import type { Report } from './runner/report.ts';
import { redactSecrets, renderSummary, writeSummary, type EntraSection, type SummaryWriter } from './runner/summary.ts';
import { token } from './flows/token.ts';
import { insecureTlsWarning } from './runner/ca-certificate.ts';
import { ignoredProxyWarning } from './runner/proxy.ts';

/** The `@actions/core` functions the run uses. */
export interface ActionCore extends LogCore {
  getInput: GetInput;
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  summary: SummaryWriter;
}

/** Everything the run needs from outside. */
export interface RunDependencies {
  core: ActionCore;
  /** Runner environment (`process.env`): `GITHUB_REPOSITORY`, `GITHUB_RUN_ID`, … */
  env: Env;
  /**
   * Makes the run's transport; `timeoutMs` is the per-request limit in milliseconds;
   * `caCertificates` (PEM) are trusted besides the default CAs for every request.
   */
  createTransport(userAgent: string, timeoutMs: number, caCertificates: readonly string[]): Transport;
  /** Waits `ms` milliseconds (retry backoff). */
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random(): number;
  now(): Date;
  /** Sent as User-Agent. */
  userAgent: string;
}

/** A started run: `done` settles when it ended; `cancel` ends it at once. */
export interface StartedRun {
  /** Resolves when the run ended on its own (never rejects). */
  done: Promise<void>;
  /**
   * Ends the run now, for a signal (`SIGINT`, `SIGTERM`): writes the outputs
   * known so far and the step summary, and fails the step with one `::error::`
   * naming the step in flight and what was made. A run that was already
   * finishing finishes as it would have. Resolves when all is written; calling
   * it again returns the same promise.
   */
  cancel(signal: string): Promise<void>;
}

/** Runs the action once. Never throws: every failure ends in `core.setFailed`. */
export async function run(deps: RunDependencies): Promise<void> {
  await startRun(deps).done;
}

/** Starts the run (see {@link StartedRun}); the entry file wires `cancel` to the signals. */
export function startRun(deps: RunDependencies): StartedRun {
  const { core } = deps;
  // Every form registered with the runner, so the step summary (a file the
  // runner does not mask for us) can be scrubbed of them too.
  const secrets: string[] = [];
  const mask = createMask((secret) => {
    secrets.push(secret);
    core.setSecret(secret);
  });
  // Every line printed goes through here: secrets redacted, then made inert
  // (no text from an input or the server may form a workflow command).
  const log = createRunLog(core, (text) => redact(text, secrets));
  const outputs = new OutputWriter(
    (name, value) => core.setOutput(name, value),
    (error) => describeError(error, secrets),
  );
  let inputs: Inputs | undefined;
  let report: Report | undefined;
  let inFlight: Step | undefined;
  // The summary's Entra section, loaded with the Entra flows.
  let entraSection: EntraSection | undefined;
  let finishing: Promise<void> | undefined;

  // Once, whichever comes first: the run's end or a cancel.
  const finish = (outcome: () => ActionError | undefined): Promise<void> =>
    (finishing ??= (async () => {
      let failure = outcome();
      if (report) {
        try {
          outputs.publish(report);
        } catch (error) {
          // A GITHUB_OUTPUT file that is missing or not writable: one ::error::, not a stack trace.
          const outputsError = error instanceof OutputsError ? error : new OutputsError(describeError(error, secrets));
          if (failure === undefined) failure = outputsError;
          else if (outputsError !== failure)
            log.warning(`The step outputs could not be written (GITHUB_OUTPUT): ${outputsError.detail}`);
        }
      }
      const markdown = redactSecrets(
        renderSummary(inputs?.mode, report, failure, deps.now(), (text) => redact(text, secrets), entraSection),
        secrets,
      );
      const written = await writeSummary(core.summary, markdown);
      if (!written) log.debug('No step summary written (GITHUB_STEP_SUMMARY is not set or not writable)');
      if (failure) log.fail(failure.message);
    })());

  const done = (async () => {
    let failure: ActionError | undefined;
    let transport: Transport | undefined;
    try {
      requireOutputFile(deps.env);
      const getInput: GetInput = (name, options) => core.getInput(name, options);
      inputs = readInputs(getInput, deps.env, mask, deps.random);
      const unused = unusedInputs(getInput, inputs.mode);
      if (unused.length > 0)
        log.notice(
          `Mode ${inputs.mode} does not use ${unused.length === 1 ? 'input' : 'inputs'} ${unused.map((name) => `"${name}"`).join(', ')}: ignored`,
        );
      // Loaded only with the Entra inputs (or mode entra-check): a run without them pays nothing for the hand-off.
      const entraFlow = wantsEntra(getInput, inputs.mode) ? await import('./flows/entra.ts') : undefined;
      if (entraFlow) {
        const entra = entraFlow.readEntraInputs(getInput, inputs);
        if (entra) inputs.entra = entra;
      }
      const insecure = insecureTlsWarning(deps.env);
      if (insecure) log.warning(insecure);
      const ignoredProxy = ignoredProxyWarning(deps.env, inputs.baseUrl);
      if (ignoredProxy) log.warning(ignoredProxy);
      const cas = inputs.caCertificates.length;
      if (cas > 0)
        log.info(`Trusting ${cas} CA certificate${cas === 1 ? '' : 's'} from ca-certificate besides the default CAs`);
      transport = deps.createTransport(deps.userAgent, inputs.timeoutSeconds * 1000, inputs.caCertificates);
      const clients = createPlatformClients({
        baseUrl: inputs.baseUrl,
        audience: inputs.audience,
        transport,
        timeoutMs: inputs.timeoutSeconds * 1000,
        maxAttempts: inputs.maxAttempts,
        sleep: deps.sleep,
        random: deps.random,
        now: deps.now,
        log,
        mask,
        redact: (text, options) => redact(text, secrets, options),
        // Before each request: what is known is already in the outputs (a cancel
        // or a crash loses nothing the platform made), and the step is noted.
        onSend: (step) => {
          inFlight = step;
          if (report) outputs.publish(report);
        },
      });
      report = {
        mode: inputs.mode,
        baseUrl: inputs.baseUrl,
        region: inputs.region,
        scimUrl: clients.scim.scimUrl,
        tokenUrl: clients.oauth.tokenUrl,
        audience: inputs.audience,
        verified: false,
        requested: { verify: inputs.mode === 'provision' && inputs.verify, scimCheck: inputs.scimCheck },
      };
      if (inputs.mode === 'token') report.clientId = inputs.clientId;
      else if (inputs.mode === 'provision' && inputs.organizationId !== '')
        report.organizationId = inputs.organizationId;
      const entraInputs = inputs.entra;
      if (entraInputs && entraFlow) {
        report.entra = entraFlow.newEntraReport(entraInputs);
        entraSection = entraFlow.entraSection;
      }
      outputs.publish(report);
      const context = { core: clients.core, env: deps.env, log, sleep: deps.sleep };
      const platform = (): Promise<void> =>
        (inputs?.mode === 'provision' ? provision : token)(clients, inputs as Inputs, report as Report, log);
      if (inputs.mode === 'entra-check' && entraFlow && entraInputs && report.entra) {
        await entraFlow.entraCheck(context, entraInputs, report.entra);
      } else {
        log.info(`Mode ${inputs.mode} against ${inputs.baseUrl}${inputs.region ? ` (region ${inputs.region})` : ''}`);
        if (entraFlow && entraInputs) await entraFlow.rotateWithEntra(context, entraInputs, inputs, report, platform);
        else await platform();
      }
    } catch (error) {
      failure = error instanceof ActionError ? error : unexpected(error, secrets);
    } finally {
      transport?.dispose();
    }
    await finish(() => failure);
  })();

  const cancel = (signal: string): Promise<void> =>
    finish(() =>
      cancelledError(signal, inFlight, report, inputs?.mode === 'provision' ? inputs.clientName : undefined),
    );
  return { done, cancel };
}

function unexpected(error: unknown, secrets: readonly string[]): ActionError {
  return new ActionError({
    step: 'run',
    reason: `unexpected error: ${describeError(error, secrets)}`,
    fix: "re-run the job; if it persists, report it to the action's maintainers with this log",
  });
}

/**
 * An error's message made fit for one log line: its first line only (some
 * errors carry stack frames or bodies after it), registered secrets redacted
 * before it is shortened (a cut secret would no longer match its mask).
 */
function describeError(error: unknown, secrets: readonly string[]): string {
  const firstLine = (error instanceof Error ? error.message : String(error)).split(/\r?\n/u)[0] ?? '';
  return sanitize(redact(firstLine, secrets));
}
