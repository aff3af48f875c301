/**
 * Input parsing: reads every input of action.yml once, masks the secret ones
 * the moment they are read, and checks them all before any request is sent.
 */
import { BEARER_TOKEN } from '../client/answer.ts';
import { ActionError, amend, inputError, sanitize } from '../errors.ts';
import type { Env } from './env.ts';
import type { Mask } from './mask.ts';
import { runNames } from './names.ts';
import { readCaCertificates, readCaFile, type ReadTextFile } from './ca-certificate.ts';
import { checkUrl, quoted } from './url-input.ts';

/**
 * The modes: `provision` runs steps 1–3 of the platform's setup guide (+4 to verify); `token` runs
 * step 4; `entra-check` asks Microsoft Entra ID to test the credentials it has saved (read only).
 */
export type Mode = 'provision' | 'token' | 'entra-check';
export const MODES: readonly Mode[] = ['provision', 'token', 'entra-check'];

/** The names of the Entra inputs (action.yml). */
export const ENTRA_INPUT_NAMES = [
  'entra-tenant-id',
  'entra-client-id',
  'entra-service-principal-id',
  'entra-login-url',
  'entra-graph-url',
] as const;

/**
 * True when the run must read the Entra inputs (`entra-inputs.ts`, loaded only then): the mode is
 * `entra-check`, or one of {@link ENTRA_INPUT_NAMES} is set.
 */
export function wantsEntra(getInput: GetInput, mode: Mode): boolean {
  return mode === 'entra-check' || ENTRA_INPUT_NAMES.some((name) => getInput(name) !== '');
}

/** Public regions and their base URLs (the platform's setup guide: "Replace <base-url>…"; docs/platform-api.md). */
export const REGIONS = {
  us: 'https://platform.invicti.com',
  eu: 'https://platform-eu.invicti.com',
  ca: 'https://platform-ca.invicti.com',
} as const;
export type Region = keyof typeof REGIONS;

/**
 * The Microsoft Entra ID inputs (all three ids or none; `docs/entra-graph-api.md`): where the
 * hand-off signs in with the job's GitHub OIDC token and which enterprise application it updates.
 */
export interface EntraInputs {
  /** `entra-tenant-id`: a UUID or a domain name (e.g. `contoso.onmicrosoft.com`), lower case. */
  tenantId: string;
  /** `entra-client-id`: the Application (client) ID (UUID) of the app registration with a federated credential. */
  clientId: string;
  /** `entra-service-principal-id`: the Object ID (UUID) of the Invicti enterprise application. */
  servicePrincipalId: string;
  /** `entra-login-url`, without trailing slash (default `https://login.microsoftonline.com`). */
  loginUrl: string;
  /** `entra-graph-url`, without trailing slash (default `https://graph.microsoft.com`). */
  graphUrl: string;
}

/** The checked inputs of one run. Optional fields are set only in the mode that uses them. */
export interface Inputs {
  mode: Mode;
  /** Absolute base URL without a trailing slash; may carry a path prefix. */
  baseUrl: string;
  /** The region that gave `baseUrl`, when the user set `region` or set neither (then `us`). */
  region: Region | undefined;
  /** Owner account (provision), when it authenticates with email and password; else ''. */
  email: string;
  /** As sent: without leading and trailing white space (as `core.getInput` trims every input). */
  password: string;
  /**
   * The secret inputs (`password`, `client-secret`) whose raw value began or
   * ended with white space that was removed; a refused login or token names them.
   */
  trimmedSecrets: TrimmedSecret[];
  /**
   * Provision: the organization to log in to, sent as `organizationId` in the step 1 body
   * ('' = not sent; the platform's SCIM overview shows the field, not its format).
   */
  organizationId: string;
  /**
   * The token audience (step 4: `?audience=`), when the user overrides the default
   * `<base-url>/api`; undefined = the default. An absolute URL, as given (not normalized).
   */
  audience: string | undefined;
  /**
   * An Owner's API key, sent as `X-Auth` on steps 2–3 instead of step 1's login
   * (provision; the platform's page "Authenticate"); '' when email and password are used.
   * Header-safe (no control characters) and masked.
   */
  apiKey: string;
  /** Registration name and description (provision). */
  clientName: string;
  clientDescription: string;
  /** OAuth client credentials, `credentials.clientId` / `credentials.clientSecret` (token). */
  clientId: string;
  clientSecret: string;
  /** Provision: run step 4 with the new credentials. */
  verify: boolean;
  /** Read `/api/scim/v2/ServiceProviderConfig` with the bearer token (RFC 7643 §5). */
  scimCheck: boolean;
  /** Per-request limit in seconds (connect to last byte). */
  timeoutSeconds: number;
  /** Attempts per idempotent call, 1 = no retry. */
  maxAttempts: number;
  /** CA certificates (PEM blocks) to trust besides the default ones (`ca-certificate`); [] when unset. */
  caCertificates: string[];
  /**
   * The Microsoft Entra ID inputs, when given (always in mode `entra-check`): read by
   * `entra-inputs.ts`, which is loaded only when an `entra-*` input is set (or in that mode).
   */
  entra?: EntraInputs;
}

/**
 * Reads one input by its action.yml name, as `core.getInput` does: '' when
 * unset; trimmed unless `options.trimWhitespace` is false.
 */
export type GetInput = (name: string, options?: { trimWhitespace?: boolean }) => string;

/** A secret input whose surrounding white space is removed before use. */
export type TrimmedSecret = 'password' | 'client-secret';

const SECRET_HINT =
  'secrets are empty in workflows triggered from forks and by Dependabot, so check that the secret exists and is available to this run';

/**
 * The inputs each mode reads, among those without a default in action.yml: another mode's
 * input that is set is ignored, and the run says so ({@link unusedInputs}) rather than let the
 * user believe it took effect (e.g. `scim-check` with `mode: entra-check`).
 */
const READ_BY: Record<string, readonly Mode[]> = {
  'base-url': ['provision', 'token'],
  region: ['provision', 'token'],
  audience: ['provision', 'token'],
  'api-key': ['provision'],
  email: ['provision'],
  password: ['provision'],
  'organization-id': ['provision'],
  'client-name': ['provision'],
  'client-description': ['provision'],
  'client-id': ['token'],
  'client-secret': ['token'],
};

/**
 * The inputs set for this step that `mode` does not read, in action.yml's order: another mode's
 * inputs ({@link READ_BY}) that are not empty, and `scim-check: true` in mode `entra-check`.
 * Names only, never values (some are secrets).
 */
export function unusedInputs(getInput: GetInput, mode: Mode): string[] {
  const unused = Object.entries(READ_BY)
    .filter(([name, modes]) => !modes.includes(mode) && getInput(name) !== '')
    .map(([name]) => name);
  if (mode === 'entra-check' && getInput('scim-check').toLowerCase() === 'true') unused.push('scim-check');
  return unused;
}

/**
 * Reads and checks all inputs. Secret inputs (`password`, `api-key`,
 * `client-secret`) are read untrimmed and passed to `mask` as given (which
 * also masks them trimmed) before anything else is done with them; they are
 * used trimmed.
 * @param random uniform in [0, 1): the tag of the default client-name (`names.ts`).
 * @param readFile reads the file `ca-certificate` may name (default: `readCaFile`, a regular file of at most 1 MiB).
 * @throws ActionError (step `inputs`) naming the first bad input and how to fix it.
 */
export function readInputs(
  getInput: GetInput,
  env: Env,
  mask: Mask,
  random: () => number = Math.random,
  readFile: ReadTextFile = readCaFile,
): Inputs {
  const rawPassword = getInput('password', { trimWhitespace: false });
  const rawApiKey = getInput('api-key', { trimWhitespace: false });
  const rawClientSecret = getInput('client-secret', { trimWhitespace: false });
  if (rawPassword.trim() !== '') mask(rawPassword);
  if (rawApiKey.trim() !== '') mask(rawApiKey);
  if (rawClientSecret.trim() !== '') mask(rawClientSecret);
  const password = rawPassword.trim();
  // A copied key often ends in a line break: trimmed without a note (a key has no white space of its own).
  const apiKey = rawApiKey.trim();
  const clientSecret = rawClientSecret.trim();
  const trimmedSecrets: TrimmedSecret[] = [];
  if (password !== '' && password !== rawPassword) trimmedSecrets.push('password');
  if (clientSecret !== '' && clientSecret !== rawClientSecret) trimmedSecrets.push('client-secret');

  const modeInput = getInput('mode');
  const modeText = modeInput.toLowerCase();
  if (modeText === '') throw inputError('input "mode" is required', `set mode to one of: ${MODES.join(', ')}`);
  if (!(MODES as readonly string[]).includes(modeText)) {
    throw inputError(`input "mode" is ${quoted(modeInput)}`, `set mode to one of: ${MODES.join(', ')}`);
  }
  const mode = modeText as Mode;
  const { baseUrl, region } = resolveBaseUrl(getInput('base-url'), getInput('region'));

  const email = getInput('email');
  const clientId = getInput('client-id');
  // Provision authenticates as the Owner one way or the other (checkOwnerInputs); token needs both.
  const required = mode === 'token' ? { 'client-id': clientId, 'client-secret': clientSecret } : {};
  if (mode === 'provision') checkOwnerInputs(apiKey, email, password);
  for (const [name, value] of Object.entries(required)) {
    if (value !== '') continue;
    const secret = name === 'client-secret';
    throw inputError(
      `input "${name}" is required in mode "${mode}" and is empty`,
      // email and client-id are often passed from secrets too, so both kinds get the hint.
      secret ? `pass it from a secret; ${SECRET_HINT}` : `set ${name}; if it comes from a secret, ${SECRET_HINT}`,
    );
  }

  if (mode === 'provision' && apiKey === '' && !/^[^@\s]+@[^@\s]+$/u.test(email)) {
    throw inputError('input "email" is not an email address', "set email to the Owner account's email address");
  }
  const defaults = runNames(env, random);

  const verify = readBoolean(getInput, 'verify', true);
  const scimCheck = readBoolean(getInput, 'scim-check', false);
  // The SCIM check reads with the bearer token that `verify` gets: without it
  // the check cannot run, and skipping a check the user asked for would be a false pass.
  if (mode === 'provision' && scimCheck && !verify) {
    throw inputError(
      'input "scim-check" is true but input "verify" is false; in mode "provision" the SCIM check uses the bearer token that verify gets',
      'set verify to true, or set scim-check to false',
    );
  }

  const organizationId = readOrganizationId(getInput('organization-id'));
  // The organization is chosen at step 1's login, which an API key skips; how a key would choose
  // one is not documented, so the action refuses rather than provision in a guessed organization.
  if (mode === 'provision' && apiKey !== '' && organizationId !== '') {
    throw inputError(
      'input "organization-id" is set together with input "api-key"; organization-id is sent with the password login (step 1), which api-key skips',
      "remove organization-id to act as the API key's user, or use email and password with organization-id",
    );
  }

  return {
    mode,
    baseUrl,
    region,
    email,
    password,
    trimmedSecrets,
    organizationId,
    audience: readAudience(getInput('audience')),
    apiKey,
    clientName: getInput('client-name') || defaults.clientName,
    clientDescription: getInput('client-description') || defaults.clientDescription,
    clientId,
    clientSecret,
    verify,
    scimCheck,
    timeoutSeconds: readInteger(getInput, 'timeout-seconds', 30, 1, 600),
    maxAttempts: readInteger(getInput, 'max-attempts', 3, 1, 10),
    caCertificates: readCaCertificates(getInput('ca-certificate'), env['GITHUB_WORKSPACE'], readFile),
  };
}

/**
 * `error` with a note added to its fix when the platform refused the
 * credentials (HTTP 400 or 401) and the secret input `name` had leading or
 * trailing white space that was removed before sending: the trimmed value
 * may be the wrong one. Any other error is returned unchanged.
 */
export function withTrimNote(error: unknown, inputs: Pick<Inputs, 'trimmedSecrets'>, name: TrimmedSecret): unknown {
  if (
    !(error instanceof ActionError) ||
    !inputs.trimmedSecrets.includes(name) ||
    (error.status !== 400 && error.status !== 401)
  )
    return error;
  const what = name === 'password' ? 'password' : 'client secret';
  return amend(error, {
    fixNote: `note: input "${name}" began or ended with white space, which was removed before sending (GitHub Actions trims every input): if the ${what} really begins or ends with spaces, an input cannot carry them, so change it to one without`,
  });
}

/**
 * Mode provision authenticates as the Owner in exactly one way: `api-key`
 * (recommended; step 1 is skipped) or `email` + `password` (step 1's login).
 * The key must be one header-safe line (it is sent as `X-Auth`).
 * @throws ActionError naming the inputs given together, missing, or the bad key.
 */
function checkOwnerInputs(apiKey: string, email: string, password: string): void {
  const login = Object.entries({ email, password })
    .filter(([, value]) => value !== '')
    .map(([name]) => `"${name}"`);
  if (apiKey !== '') {
    if (login.length > 0) {
      throw inputError(
        `input "api-key" is set together with input${login.length > 1 ? 's' : ''} ${login.join(' and ')}`,
        'mode "provision" authenticates one way: keep api-key (recommended) and remove email and password, or remove api-key',
      );
    }
    if (!BEARER_TOKEN.test(apiKey)) {
      throw inputError(
        'input "api-key" contains a line break or another character an HTTP header cannot carry',
        'copy the key again from User settings → API key in the platform: it is a single line of text',
      );
    }
    return;
  }
  if (login.length === 0) {
    throw inputError(
      'inputs "api-key", "email" and "password" are all empty; mode "provision" needs an Owner\'s API key, or an Owner\'s email and password',
      `pass an Owner's API key in api-key (recommended), or email and password; ${SECRET_HINT}`,
    );
  }
  if (password === '') {
    throw inputError(
      'input "password" is empty but input "email" is set',
      `pass the Owner's password from a secret, or use api-key instead of email and password; ${SECRET_HINT}`,
    );
  }
  if (email === '') {
    throw inputError(
      'input "email" is empty but input "password" is set',
      `set email to the Owner account's email address, or use api-key instead of email and password; if it comes from a secret, ${SECRET_HINT}`,
    );
  }
}

/**
 * Resolves `base-url` and `region` to one base URL (no trailing slash).
 * HTTPS is required except for loopback hosts. With neither set: the US platform.
 * @throws ActionError naming `base-url` or `region`.
 */
export function resolveBaseUrl(
  baseUrlInput: string,
  regionInput: string,
): { baseUrl: string; region: Region | undefined } {
  let region: Region | undefined;
  if (regionInput !== '') {
    const key = regionInput.toLowerCase();
    if (!Object.hasOwn(REGIONS, key)) {
      throw inputError(
        `input "region" is ${quoted(regionInput)}`,
        `set region to one of: ${Object.keys(REGIONS).join(', ')}, or set base-url instead`,
      );
    }
    region = key as Region;
  }
  if (baseUrlInput === '') {
    const chosen = region ?? 'us';
    return { baseUrl: REGIONS[chosen], region: chosen };
  }
  const baseUrl = normalizeBaseUrl(baseUrlInput);
  if (region !== undefined && REGIONS[region] !== baseUrl) {
    throw inputError(
      `input "region" (${region}: ${REGIONS[region]}) and input "base-url" (${baseUrl}) disagree`,
      'set only one of region and base-url',
    );
  }
  return { baseUrl, region };
}

/**
 * URLs the summary, the outputs and Microsoft Entra ID show that are not the
 * base URL: the token endpoint, the SCIM Tenant URL, and the API root
 * (the token audience). A base-url ending in one of them is refused.
 */
const NOT_BASE_PATHS = ['/oauth/token', '/api/scim/v2', '/api'] as const;

function normalizeBaseUrl(text: string): string {
  refuseEndpointPath(text);
  const url = checkUrl('base-url', text, {
    example:
      'set base-url like https://platform.invicti.com (with https:// and no path unless your on-premises platform has a path prefix)',
    httpFix: 'use https://: credentials are only sent over HTTPS (plain http:// is allowed for loopback hosts only)',
    queryFix: 'set base-url to the platform URL only, e.g. https://platform.invicti.com',
  });
  return `${url.origin}${url.pathname.replace(/\/+$/u, '')}`;
}

/**
 * Refuses a base-url that is one of the platform's endpoint URLs ({@link NOT_BASE_PATHS}),
 * naming the path to remove; its query, which may hold a secret, is never shown.
 * @throws ActionError naming base-url.
 */
function refuseEndpointPath(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return;
  }
  const path = url.pathname.replace(/\/+$/u, '');
  const endpoint = NOT_BASE_PATHS.find((suffix) => path.toLowerCase().endsWith(suffix));
  if (endpoint === undefined || !/^https?:$/u.test(url.protocol)) return;
  const base = `${url.origin}${path.slice(0, path.length - endpoint.length)}`;
  const what =
    endpoint === '/oauth/token'
      ? 'the token endpoint (the token-url output)'
      : endpoint === '/api/scim/v2'
        ? "the SCIM Tenant URL (the scim-url output, Microsoft Entra ID's Tenant URL)"
        : 'the platform API (the token audience)';
  throw inputError(
    `input "base-url" ends in ${endpoint}, which makes it ${what}, not the platform's base URL`,
    `remove ${endpoint} from base-url: set it to ${sanitize(base, 200)}`,
  );
}

/**
 * `audience`: the platform API's identifier for the token request (step 4), when it is not
 * `<base-url>/api`. Kept as given: the token server compares it as a string.
 * @throws ActionError naming `audience`.
 */
function readAudience(text: string): string | undefined {
  if (text === '') return undefined;
  checkUrl('audience', text, {
    example:
      'set audience to the platform API identifier, an absolute URL like https://platform.example.com/api, or leave it unset for <base-url>/api',
    httpFix: 'use the https:// identifier of the platform API (plain http:// is allowed for loopback hosts only)',
    queryFix: 'set audience to the API identifier alone, e.g. https://platform.example.com/api',
  });
  return text;
}

/**
 * `organization-id`: which of the Owner's organizations step 1 logs in to. Its format is not
 * documented, so only what cannot be an id is refused: white space and control characters.
 * @throws ActionError naming `organization-id`.
 */
function readOrganizationId(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f]/u.test(text)) {
    throw inputError(
      'input "organization-id" contains white space or a control character',
      "set organization-id to the organization's id alone, as the platform shows it",
    );
  }
  return text;
}

function readBoolean(getInput: GetInput, name: string, fallback: boolean): boolean {
  const text = getInput(name);
  if (text === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  throw inputError(`input "${name}" is ${quoted(text)}`, `set ${name} to true or false`);
}

function readInteger(getInput: GetInput, name: string, fallback: number, min: number, max: number): number {
  const text = getInput(name);
  if (text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/u.test(text) || value < min || value > max) {
    throw inputError(`input "${name}" is ${quoted(text)}`, `set ${name} to a whole number from ${min} to ${max}`);
  }
  return value;
}
