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

/**
 * What an {@link ActionError} is built from: structured fields, each added by
 * the module that knows it; the message is rendered from them in one place
 * ({@link ActionError}), never by rewriting another module's text.
 */
export interface ActionErrorDetails {
  /** The step that failed. */
  step: Step;
  /** HTTP status of the response that failed the step, if there was a response. */
  status?: number | undefined;
  /** The server's error code (OAuth `error`, `code`, SCIM `scimType`, …), already sanitized. */
  code?: string | undefined;
  /** What went wrong, in one sentence without a trailing period. */
  reason: string;
  /** The request that failed, as the directory sends it (`GET /Users?filter=…`): shown in parentheses after the reason. */
  request?: string | undefined;
  /** Further facts about what happened (e.g. what the platform made before), each shown after the reason and `; `. */
  notes?: readonly string[] | undefined;
  /** What the user should do about it, in one sentence without a trailing period. */
  fix: string;
  /** Further advice, each shown after the fix and `; ` (e.g. a note about a trimmed input). */
  fixNotes?: readonly string[] | undefined;
}

/**
 * The one error type the action reports. Its `message` is the whole
 * `::error::` text: `<Step> failed (HTTP <status>): <why>. Fix: <how to fix>.`
 * (`Invalid input: <why>. Fix: <how to fix>.` for step `inputs`; no `(HTTP …)`
 * without a response), where {@link why} and {@link howToFix} are rendered from
 * the structured fields. It never carries a request or response body, header or stack trace.
 */
export class ActionError extends Error {
  readonly step: Step;
  readonly status: number | undefined;
  /** The server's error code, if the response carried one. */
  readonly code: string | undefined;
  readonly reason: string;
  readonly request: string | undefined;
  readonly notes: readonly string[];
  readonly fix: string;
  readonly fixNotes: readonly string[];

  constructor(details: ActionErrorDetails) {
    super(renderMessage(details));
    this.name = 'ActionError';
    this.step = details.step;
    this.status = details.status;
    this.code = details.code;
    this.reason = details.reason;
    this.request = details.request;
    this.notes = details.notes ?? [];
    this.fix = details.fix;
    this.fixNotes = details.fixNotes ?? [];
  }

  /** The structured fields, for a copy with some of them changed ({@link amend}). */
  get details(): ActionErrorDetails {
    const { step, status, code, reason, request, notes, fix, fixNotes } = this;
    return { step, status, code, reason, request, notes, fix, fixNotes };
  }

  /** What went wrong, whole: the reason, the request in parentheses, then the notes. */
  get why(): string {
    return renderWhy(this.details);
  }

  /** What to do, whole: the fix, then its notes. */
  get howToFix(): string {
    return renderFix(this.details);
  }
}

function renderWhy(details: ActionErrorDetails): string {
  const request = details.request === undefined ? '' : ` (${details.request})`;
  return [`${details.reason}${request}`, ...(details.notes ?? [])].join('; ');
}

function renderFix(details: ActionErrorDetails): string {
  return [details.fix, ...(details.fixNotes ?? [])].join('; ');
}

/** The one place an error's message is put together. */
function renderMessage(details: ActionErrorDetails): string {
  const where = details.step === 'inputs' ? 'Invalid input' : `${capitalize(details.step)} failed`;
  const status = details.status === undefined ? '' : ` (HTTP ${details.status})`;
  return `${where}${status}: ${renderWhy(details)}. Fix: ${renderFix(details)}.`;
}

/** What {@link amend} adds to or replaces in an error. */
export interface Amendment {
  /** Appended to the error's notes. */
  note?: string;
  /** Appended to the error's fix notes. */
  fixNote?: string;
  /** Replaces the fix (its fix notes are kept). */
  fix?: string;
  /** Sets the request that failed. */
  request?: string;
}

/**
 * `error` with a note, a fix note or a request added, or its fix replaced;
 * step, status and code are kept. Anything that is not an
 * {@link ActionError} is returned unchanged.
 */
export function amend(error: unknown, change: Amendment): unknown {
  if (!(error instanceof ActionError)) return error;
  const details = error.details;
  return new ActionError({
    ...details,
    notes: change.note === undefined ? details.notes : [...(details.notes ?? []), change.note],
    fixNotes: change.fixNote === undefined ? details.fixNotes : [...(details.fixNotes ?? []), change.fixNote],
    fix: change.fix ?? details.fix,
    request: change.request ?? details.request,
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
 * The Unicode bidirectional formatting characters (UAX #9 §2): the embedding,
 * override and isolate controls (U+202A–U+202E, U+2066–U+2069) and the implicit
 * directional marks (U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK, U+061C
 * ARABIC LETTER MARK). Invisible, they reorder the text shown around them (a server
 * could make `…Fix: remove registration X` read as something else, CVE-2021-42574
 * "Trojan Source"). Text from outside never keeps them.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** `text` without bidirectional controls ({@link BIDI_CONTROLS}); everything else as is. */
export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * Makes untrusted text safe and short for one log line: control characters
 * and runs of white space become one space, bidirectional controls are removed
 * ({@link stripBidi}); at most `max` characters (default
 * 200, the last one then `…`). Reshaped text no longer matches a registered
 * mask, so redact secrets (`mask.ts` `redact`) before calling this.
 */
export function sanitize(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/gu, ' ');
  const bare = stripBidi(flat).trim();
  return bare.length > max ? `${bare.slice(0, max - 1)}…` : bare;
}
