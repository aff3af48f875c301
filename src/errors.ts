/**
 * Failure reporting: every failure of the action is one {@link ActionError}
 * whose message names the step, the HTTP status, the platform's error and a fix.
 */

/**
 * A step of the run, named as the platform's guide names it
 * (steps 1–4 of the platform's setup guide; `SCIM check` is RFC 7644 §4's ServiceProviderConfig read),
 * or a step of the Microsoft Entra ID hand-off ({@link EntraStep}).
 */
export type Step =
  'inputs' | 'run' | 'login' | 'create registration' | 'authorize' | 'token' | 'SCIM check' | EntraStep;

/**
 * The steps of the Microsoft Entra ID hand-off (`docs/entra-graph-api.md`), each named so that an
 * `::error::` says it failed at Entra: the preflight (`Entra OIDC token`: GitHub's OIDC token;
 * `Entra sign-in`: the Microsoft Graph token; `Entra find job`: the provisioning job;
 * `Entra read keys`: the saved keys), then the hand-off (`Entra test new credentials`,
 * `Entra save credentials`, `Entra test saved credentials`, `Entra lift quarantine`), and
 * `Entra check` (mode `entra-check`: the job's state).
 */
export type EntraStep =
  | 'Entra OIDC token'
  | 'Entra sign-in'
  | 'Entra find job'
  | 'Entra read keys'
  | 'Entra test new credentials'
  | 'Entra save credentials'
  | 'Entra test saved credentials'
  | 'Entra lift quarantine'
  | 'Entra check';

/** What an {@link ActionError} is built from. */
export interface ActionErrorDetails {
  /** The step that failed. */
  step: Step;
  /** What went wrong, in one sentence without a trailing period. */
  reason: string;
  /** What the user should do about it, in one sentence without a trailing period. */
  fix: string;
  /** HTTP status of the response that failed the step, if there was a response. */
  status?: number;
  /** The platform's error (`message`, or OAuth `error: error_description`), already sanitized. */
  platformError?: string;
}

/**
 * The one error type the action reports. Its `message` is the whole
 * `::error::` text: `<Step> failed (HTTP <status>): <reason>. Fix: <fix>.`
 * (`Invalid input: <reason>. Fix: <fix>.` for step `inputs`; no `(HTTP …)`
 * without a response). It never carries a request or response body, header or stack trace.
 */
export class ActionError extends Error {
  readonly step: Step;
  readonly reason: string;
  readonly fix: string;
  readonly status: number | undefined;
  readonly platformError: string | undefined;

  constructor(details: ActionErrorDetails) {
    const where = details.step === 'inputs' ? 'Invalid input' : `${capitalize(details.step)} failed`;
    const status = details.status === undefined ? '' : ` (HTTP ${details.status})`;
    super(`${where}${status}: ${details.reason}. Fix: ${details.fix}.`);
    this.name = 'ActionError';
    this.step = details.step;
    this.reason = details.reason;
    this.fix = details.fix;
    this.status = details.status;
    this.platformError = details.platformError;
  }
}

/**
 * `error` with `more` appended to its reason (`more` brings its own `; `) and
 * its fix rewritten by `fix`; step, status and platform error are kept.
 * Anything that is not an {@link ActionError} is returned unchanged.
 */
export function amendError(error: unknown, more: string, fix: (fix: string) => string = (same) => same): unknown {
  if (!(error instanceof ActionError)) return error;
  return new ActionError({
    step: error.step,
    status: error.status,
    platformError: error.platformError,
    reason: `${error.reason}${more}`,
    fix: fix(error.fix),
  });
}

/** Shorthand for an input error: names the input in the reason. */
export function inputError(reason: string, fix: string): ActionError {
  return new ActionError({ step: 'inputs', reason, fix });
}

/** `create registration` → `Create registration`, as messages begin. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Makes untrusted text safe and short for one log line: control characters
 * and runs of white space become one space; at most `max` characters (default
 * 200, the last one then `…`). Reshaped text no longer matches a registered
 * mask, so redact secrets (`mask.ts` `redact`) before calling this.
 */
export function sanitize(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/gu, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
