export const id = 441;
export const ids = [441];
export const modules = {

/***/ 441:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  entraCheck: () => (/* reexport */ entraCheck),
  entraSection: () => (/* reexport */ entraSection),
  newEntraReport: () => (/* reexport */ newEntraReport),
  readEntraInputs: () => (/* reexport */ readEntraInputs),
  rotateWithEntra: () => (/* reexport */ rotateWithEntra)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(916);
// EXTERNAL MODULE: ./src/net/loopback.ts
var loopback = __webpack_require__(830);
// EXTERNAL MODULE: ./src/client/answer.ts
var answer = __webpack_require__(629);
;// CONCATENATED MODULE: ./src/client/github-oidc.ts
/**
 * GitHub's OIDC token service, as a job with `permissions: id-token: write` reaches it: a GET of
 * `ACTIONS_ID_TOKEN_REQUEST_URL` with `audience` appended, the job's request token as a Bearer
 * header, answered by `{"value": "<JWT>"}` (`docs/entra-graph-api.md`, "A Graph token without a
 * stored secret"). Sent through the run's own transport, which never follows a redirect:
 * `@actions/core` `getIDToken` would follow one with the request token to any host.
 */



/** The audience Microsoft Entra ID expects in a federated client assertion [MS: workload identity federation]. */
const ENTRA_AUDIENCE = 'api://AzureADTokenExchange';
const STEP = 'Entra OIDC token';
/** How error messages name GitHub's token service, and what they advise. */
const GITHUB_OIDC = {
    name: "GitHub's OIDC token service",
    urlSetting: 'ACTIONS_ID_TOKEN_REQUEST_URL (set by the runner)',
    fixFor: (_step, status) => status === 401 || status === 403
        ? "the runner's request token was refused; re-run the job (the token lives only as long as the job), and check that the job has permissions: id-token: write"
        : status === 429 || status >= 500
            ? "GitHub's token service is busy or failing; re-run the job later, or raise max-attempts"
            : 're-run the job; if it persists, check githubstatus.com',
    redirectFix: 're-run the job; the request token is never sent to a redirect target',
};
/**
 * The error when the runner gave the job no way to request a token: both variables are absent
 * unless the job (or workflow) has `permissions: id-token: write` (`docs/entra-graph-api.md`).
 */
function noPermission(missing) {
    return new errors/* ActionError */.lZ({
        step: STEP,
        reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so this job cannot get a GitHub OIDC token to sign in to Microsoft Entra ID; the runner sets them only for a job with permission id-token: write`,
        fix: 'add "permissions: id-token: write" (with the other permissions the job needs, e.g. contents: read) to the job or the workflow; pull requests from forks never get it',
    });
}
/**
 * Gets the job's GitHub OIDC token for {@link ENTRA_AUDIENCE}. The request token is masked as
 * soon as it is read, the JWT as soon as it arrives (before anything about the answer is logged).
 * @param core a request core of the run (its base URL is replaced by the token service's origin).
 * @param env the runner environment: `ACTIONS_ID_TOKEN_REQUEST_URL`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`.
 * @throws ActionError (step `Entra OIDC token`): variables missing (no `id-token: write`), a URL that is not
 * HTTPS (outside loopback), an HTTP error, or an answer without a usable `value`.
 */
async function requestOidcToken(core, env) {
    const requestToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '';
    if (requestToken !== '')
        core.options.mask(requestToken);
    const requestUrl = env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '';
    const missing = Object.entries({
        ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    })
        .filter(([, value]) => value === '')
        .map(([name]) => name);
    if (missing.length > 0)
        throw noPermission(missing);
    let url;
    try {
        url = new URL(requestUrl);
    }
    catch {
        throw new errors/* ActionError */.lZ({
            step: STEP,
            reason: 'ACTIONS_ID_TOKEN_REQUEST_URL is not an absolute URL',
            fix: 'run the action on a GitHub Actions runner, which sets it; do not set it yourself',
        });
    }
    // Plain http:// only to a loopback address (net/loopback.ts): `127.evil.example` is a DNS name.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (0,loopback/* isLoopback */.U)(url.hostname))) {
        throw new errors/* ActionError */.lZ({
            step: STEP,
            reason: `ACTIONS_ID_TOKEN_REQUEST_URL uses ${url.protocol.replace(':', '')} to ${url.hostname}, and the request token is only sent over HTTPS`,
            fix: 'run the action on a GitHub Actions runner, which sets an https:// URL; do not set it yourself',
        });
    }
    if (!answer/* BEARER_TOKEN */.mJ.test(requestToken)) {
        throw new errors/* ActionError */.lZ({
            step: STEP,
            reason: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN is not a token an Authorization header can carry',
            fix: 'run the action on a GitHub Actions runner, which sets it; do not set it yourself',
        });
    }
    const audience = `audience=${encodeURIComponent(ENTRA_AUDIENCE)}`;
    const query = url.search === '' ? `?${audience}` : `${url.search}&${audience}`;
    const oidc = core.withBase(url.origin, GITHUB_OIDC);
    const response = await oidc.send({
        step: STEP,
        method: 'GET',
        path: `${url.pathname}${query}`,
        headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
        idempotent: true,
    });
    const body = oidc.readJson(STEP, response, (json) => (0,answer/* maskString */.yw)(core.options.mask, (0,answer/* field */.ZZ)(json, 'value')));
    const token = (0,answer/* requireToken */.Fw)(STEP, response.status, (0,answer/* field */.ZZ)(body, 'value'), 'value (the GitHub OIDC token)', GITHUB_OIDC);
    return { token, subject: subjectOf(token) };
}
/**
 * The `sub` claim of a JWT (RFC 7519 §4.1.2), read from its payload without checking the
 * signature (only quoted in messages, never trusted), or undefined when it cannot be read.
 */
function subjectOf(jwt) {
    const payload = jwt.split('.')[1];
    if (payload === undefined || !/^[A-Za-z0-9_-]+$/u.test(payload))
        return undefined;
    try {
        const sub = (0,answer/* field */.ZZ)(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), 'sub');
        return typeof sub === 'string' && sub.trim() !== '' ? (0,errors/* sanitize */.aj)(sub, 300) : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/client/entra.ts
/**
 * Microsoft Entra ID's token endpoint (`<entra-login-url>/<tenant>/oauth2/v2.0/token`): the
 * client-credentials grant with a federated client assertion (the job's GitHub OIDC token), for
 * a Microsoft Graph token, so the hand-off needs no stored secret (`docs/entra-graph-api.md`,
 * "A Graph token without a stored secret"; [MS] v2-oauth2-client-creds-grant-flow, third case).
 */



const entra_STEP = 'Entra sign-in';
/** The issuer of GitHub's OIDC tokens, as a federated credential names it [MS + GitHub]. */
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The AADSTS codes of an Entra error body: `error_codes` [MS], else the `AADSTS<n>:` its description starts with. */
function aadstsCodes(body) {
    const codes = (0,answer/* field */.ZZ)(body, 'error_codes');
    if (Array.isArray(codes))
        return codes.filter((code) => Number.isInteger(code));
    const description = (0,answer/* field */.ZZ)(body, 'error_description');
    const match = typeof description === 'string' ? /^AADSTS(\d+)/u.exec(description) : null;
    return match ? [Number(match[1])] : [];
}
/**
 * The fix for a refused sign-in, by AADSTS code (`docs/entra-graph-api.md`): 700213 no federated
 * credential matches the token's subject; 90002 tenant not found; 700016 application not found;
 * 70011 invalid scope (a wrong `entra-graph-url`); 7000215/7000222 a client secret was expected.
 */
function signInFix(status, error, request) {
    const codes = aadstsCodes(error.body);
    const has = (code) => codes.includes(code);
    const subject = request.subject === undefined ? "this job's subject" : `"${request.subject}"`;
    if (has(700213) || has(70021)) {
        return (`in app registration ${request.clientId}, add a federated credential (Certificates & secrets → Federated credentials → GitHub Actions) with issuer ${GITHUB_ISSUER}, audience ${ENTRA_AUDIENCE} ` +
            `and subject ${subject}, exactly the subject this job's token carries (it names the repository and the job's environment, branch or tag)`);
    }
    if (has(90002) || has(90023))
        return `check entra-tenant-id (${request.tenantId}): use the Directory (tenant) ID from Entra ID → Overview, or a domain of the tenant; for a national cloud also set entra-login-url`;
    if (has(700016))
        return `check entra-client-id (${request.clientId}): it must be the Application (client) ID of an app registration in tenant ${request.tenantId}`;
    if (has(70011) || has(1002012) || error.code === 'invalid_scope')
        return `check entra-graph-url (${request.graphUrl}): the scope is <entra-graph-url>/.default and must name Microsoft Graph of the tenant's cloud`;
    if (has(7000215) || has(7000222) || has(7000112))
        return `check app registration ${request.clientId}: it must be enabled and trust this repository through a federated credential (no client secret is sent)`;
    if (status === 429)
        return 'Microsoft Entra ID is throttling; wait and re-run, or raise max-attempts';
    if (status >= 500)
        return 'Microsoft Entra ID had a server error; re-run the job later';
    return `check entra-tenant-id, entra-client-id and the federated credential of app registration ${request.clientId} (subject ${subject})`;
}
/** How error messages name Microsoft Entra ID's token endpoint. */
const ENTRA = {
    name: 'Microsoft Entra ID',
    urlSetting: 'entra-login-url',
    fixFor: (_step, status) => status >= 500 || status === 429
        ? 'Microsoft Entra ID is busy or failing; re-run the job later'
        : 'check entra-login-url, entra-tenant-id and entra-client-id',
    redirectFix: "set entra-login-url to Microsoft Entra ID's own sign-in URL (https://login.microsoftonline.com, or a national cloud's), not one that redirects",
};
/**
 * Signs in as the app registration with the GitHub OIDC token as client assertion, for a Graph
 * token (scope `<graph-url>/.default`). The token is masked on receipt.
 * @param core a request core of the run (its base URL is replaced by `loginUrl`).
 * @param loginUrl `entra-login-url`, without trailing slash.
 * @throws ActionError (step `Entra sign-in`) whose fix names the cause by AADSTS code ({@link signInFix}).
 */
async function requestGraphToken(core, loginUrl, request) {
    const entra = core.withBase(loginUrl, ENTRA);
    const response = await entra.send({
        step: entra_STEP,
        method: 'POST',
        path: `/${encodeURIComponent(request.tenantId)}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
            client_id: request.clientId,
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: request.assertion,
            scope: `${request.graphUrl}/.default`,
            grant_type: 'client_credentials',
        }).toString(),
        idempotent: true,
        fix: (status, error) => signInFix(status, error, request),
    });
    const body = entra.readJson(entra_STEP, response, (json) => (0,answer/* maskString */.yw)(core.options.mask, (0,answer/* field */.ZZ)(json, 'access_token')));
    const accessToken = (0,answer/* requireToken */.Fw)(entra_STEP, response.status, (0,answer/* field */.ZZ)(body, 'access_token'), 'access_token', ENTRA);
    const tokenType = (0,answer/* field */.ZZ)(body, 'token_type');
    if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
        throw new errors/* ActionError */.lZ({
            step: entra_STEP,
            status: response.status,
            reason: `the token is of type "${(0,errors/* sanitize */.aj)(core.redact(tokenType), 40)}", not Bearer`,
            fix: 'check entra-login-url: it must be Microsoft Entra ID, not a proxy or another service',
        });
    }
    const expiresIn = (0,answer/* field */.ZZ)(body, 'expires_in');
    return { accessToken, expiresIn: typeof expiresIn === 'number' ? Math.floor(expiresIn) : undefined };
}

;// CONCATENATED MODULE: ./src/client/graph.ts
/**
 * Microsoft Graph's synchronization calls for one enterprise application
 * (`<entra-graph-url>/v1.0/servicePrincipals/<id>/synchronization/…`): list its jobs, read and
 * save its provisioning keys (`secrets`), ask Entra to test credentials (`validateCredentials`)
 * and lift a quarantine (`restart` with `QuarantineState`). The facts and their sources are in
 * `docs/entra-graph-api.md`; key names are never invented: the hand-off writes only the names
 * the app already holds.
 */


/** The value Graph shows in place of a secret's value [3P]. */
const HIDDEN = '*';
/** Client-id key names, in the order they are preferred (`Oauth2ClientId` [3P: the form's], `ClientIdentifier` [MS enumeration]). */
const CLIENT_ID_KEYS = ['Oauth2ClientId', 'ClientIdentifier'];
/** Client-secret key names, likewise. */
const CLIENT_SECRET_KEYS = ['Oauth2ClientSecret', 'ClientSecret'];
/** The Token Endpoint key [3P]. */
const TOKEN_URL_KEY = 'Oauth2TokenExchangeUri';
/** The Tenant URL key [MS]. */
const BASE_ADDRESS_KEY = 'BaseAddress';
/** The long-lived bearer token key of the "secret token" method [MS]. */
const SECRET_TOKEN_KEY = 'SecretToken';
/**
 * A key whose value is a secret, by its name in any case (`…Secret…`, `…Token`, `…Password`,
 * `…Key`: `Oauth2ClientSecret`, `SecretToken`, `AppKey`, `ConsumerSecret`, …): its value is
 * masked when Graph ever shows one in clear.
 */
function isSecretKey(key) {
    return /secret|password|(?:token|key|pwd)$/iu.test(key);
}
/**
 * The shortest clear value of a secret key that is masked, in characters: 16. Graph chooses
 * these values, so a short one (`Entra`, `Fix:`) would let it erase the action's own words
 * from every later line; a real client secret or token is longer.
 */
const MIN_MASKED_KEY_VALUE = 16;
/** True when a secret key's clear value is masked on receipt: a well-formed secret of at least {@link MIN_MASKED_KEY_VALUE} characters. */
function isMaskedKeyValue(value) {
    return (0,answer/* isServerSecret */.YE)(value) && value.length >= MIN_MASKED_KEY_VALUE;
}
/** The most keys a provisioning is read with: the client-credentials form saves about six. */
const MAX_KEYS = 64;
/** A key name as Graph's enumeration spells them: a letter, then letters and digits, at most 64. */
const KEY_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/u;
/** A job id usable as one path segment: letters, digits, `.`, `_`, `-` (Graph's are like `scim.0a1b…`), at most 200. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/u;
/** The steps that ask Entra to run its test connection. */
const TEST_STEPS = new Set([
    'Entra test new credentials',
    'Entra test saved credentials',
    'Entra check',
]);
/**
 * True for a status Graph answers when Entra's test of the credentials itself failed (a 4xx other
 * than 401, 403, 404, 408 and 429, which refuse or throttle the call): the test's own result,
 * not Graph's trouble (5xx) nor a refusal of the call.
 */
function isTestFailureStatus(status) {
    return status >= 400 && status < 500 && ![401, 403, 404, 408, 429].includes(status);
}
/** Which of the documented key names `secrets` holds (names compared case-sensitively, as Graph does [3P]). */
function keyNamesOf(secrets) {
    const has = (name) => secrets.some((secret) => secret.key === name);
    return {
        clientId: CLIENT_ID_KEYS.find(has),
        clientSecret: CLIENT_SECRET_KEYS.find(has),
        tokenUrl: has(TOKEN_URL_KEY) ? TOKEN_URL_KEY : undefined,
        baseAddress: has(BASE_ADDRESS_KEY) ? BASE_ADDRESS_KEY : undefined,
        secretToken: has(SECRET_TOKEN_KEY),
    };
}
/** True for a non-gallery SCIM app's job: `templateId` `scim`, or an id starting `scim.` [MS]. */
function isScimJob(job) {
    return job.templateId === 'scim' || job.id.startsWith('scim.');
}
/**
 * The fix for a Graph error status (`docs/entra-graph-api.md`, "Permissions"): 403 names both
 * permissions that allow the calls, 404 the Object ID to check.
 */
function graphFix(step, status, error, target) {
    if (status === 401)
        return `Microsoft Graph refused the token of app registration ${target.clientId}; re-run the job, and check that entra-graph-url is the Graph host of the tenant's cloud`;
    if (status === 403) {
        return (`give app registration ${target.clientId} the Microsoft Graph application permission Application.ReadWrite.OwnedBy (with admin consent) ` +
            `and make it an owner of the Invicti enterprise application ${target.servicePrincipalId} (with Graph's add-owner call: the portal's Owners page adds users only; docs/entra-id.md), ` +
            'or give it Synchronization.ReadWrite.All (with admin consent)');
    }
    if (status === 404 && (step === 'Entra find job' || step === 'Entra read keys' || step === 'Entra check')) {
        return (`check entra-service-principal-id (${target.servicePrincipalId}): it must be the Object ID of the Invicti enterprise application ` +
            "(Enterprise applications → the app → Overview → Object ID), not its Application ID or the app registration's Object ID");
    }
    if (status === 404)
        return 'the provisioning job was not found; re-run the job (it may have been deleted meanwhile)';
    if (status === 429)
        return 'Microsoft Graph is throttling; wait a few minutes and re-run, or raise max-attempts';
    if (status >= 500)
        return 'Microsoft Graph had a server error; re-run the job later';
    if (isTestFailureStatus(status) && TEST_STEPS.has(step))
        return ("read Graph's message: Entra's provisioning service ran its test connection (a token from the Token Endpoint with " +
            "HTTP Basic client authentication, then a Users read at the Tenant URL) from Microsoft's cloud, and that test failed");
    return `check entra-graph-url and entra-service-principal-id${error.code === undefined ? '' : ` (Graph's error code: ${error.code})`}`;
}
/** The Graph synchronization client of one enterprise application, over a core of the run. */
class GraphClient {
    #core;
    #target;
    /** @param core a request core of the run (its base URL is replaced by the Graph URL). */
    constructor(core, target) {
        const service = {
            name: 'Microsoft Graph',
            urlSetting: 'entra-graph-url',
            fixFor: (step, status, error) => graphFix(step, status, error, target),
            redirectFix: "set entra-graph-url to Microsoft Graph's own URL (https://graph.microsoft.com, or a national cloud's), not one that redirects",
        };
        this.#core = core.withBase(target.graphUrl, service);
        this.#target = target;
    }
    /** `/v1.0/servicePrincipals/<id>/synchronization` + `path`. */
    #path(path) {
        return `/v1.0/servicePrincipals/${encodeURIComponent(this.#target.servicePrincipalId)}/synchronization${path}`;
    }
    #headers(json) {
        const headers = {
            authorization: `Bearer ${this.#target.accessToken}`,
            accept: 'application/json',
        };
        if (json)
            headers['content-type'] = 'application/json';
        return headers;
    }
    /** `GET …/jobs`. @throws ActionError (step `step`), also for a list it cannot read. */
    async listJobs(step = 'Entra find job') {
        const response = await this.#core.send({
            step,
            method: 'GET',
            path: this.#path('/jobs'),
            headers: this.#headers(false),
            idempotent: true,
        });
        const value = (0,answer/* field */.ZZ)(this.#core.readJson(step, response), 'value');
        if (!Array.isArray(value))
            throw this.#shape(step, response.status, 'value (the list of provisioning jobs)');
        const text = (raw) => typeof raw === 'string' && raw.trim() !== '' ? (0,errors/* sanitize */.aj)(this.#core.redact(raw), 100) : undefined;
        if (value.some((job) => typeof (0,answer/* field */.ZZ)(job, 'id') === 'string' && !JOB_ID.test((0,answer/* field */.ZZ)(job, 'id'))))
            throw this.#shape(step, response.status, "value[].id (a job id of letters, digits, '.', '_' and '-', at most 200)");
        return value.flatMap((job) => {
            const id = (0,answer/* field */.ZZ)(job, 'id');
            if (typeof id !== 'string' || id === '')
                return [];
            const status = (0,answer/* field */.ZZ)(job, 'status');
            const quarantine = (0,answer/* field */.ZZ)(status, 'quarantine');
            const statusCode = text((0,answer/* field */.ZZ)(status, 'code'));
            return [
                {
                    id,
                    templateId: text((0,answer/* field */.ZZ)(job, 'templateId')),
                    statusCode,
                    quarantined: (typeof quarantine === 'object' && quarantine !== null) || statusCode === 'Quarantine',
                    quarantineReason: text((0,answer/* field */.ZZ)(quarantine, 'reason')),
                },
            ];
        });
    }
    /**
     * `GET …/secrets`: the saved keys. A secret key ({@link isSecretKey}) whose value is shown in
     * clear is masked on receipt when it is at least {@link MIN_MASKED_KEY_VALUE} characters long,
     * and otherwise read as hidden (`*`), so it is never sent back.
     * @throws ActionError (step `Entra read keys`), also for more than {@link MAX_KEYS} keys or a key
     * name outside Graph's spelling (a letter, then letters and digits), which is never sent back.
     */
    async readSecrets() {
        const step = 'Entra read keys';
        const response = await this.#core.send({
            step,
            method: 'GET',
            path: this.#path('/secrets'),
            headers: this.#headers(false),
            idempotent: true,
        });
        const body = this.#core.readJson(step, response, (json) => {
            const list = (0,answer/* field */.ZZ)(json, 'value');
            for (const item of Array.isArray(list) ? list : []) {
                const value = (0,answer/* field */.ZZ)(item, 'value');
                if (isSecretKey(String((0,answer/* field */.ZZ)(item, 'key'))) && value !== HIDDEN && isMaskedKeyValue(value))
                    this.#core.options.mask(value);
            }
        });
        const value = (0,answer/* field */.ZZ)(body, 'value');
        if (!Array.isArray(value))
            throw this.#shape(step, response.status, 'value (the list of saved keys)');
        if (value.length > MAX_KEYS)
            throw this.#shape(step, response.status, `value (the list of saved keys): it lists ${value.length}, over ${MAX_KEYS}`);
        if (value.some((item) => typeof (0,answer/* field */.ZZ)(item, 'key') === 'string' && !KEY_NAME.test((0,answer/* field */.ZZ)(item, 'key'))))
            throw this.#shape(step, response.status, 'value[].key (a key name of letters and digits, at most 64)');
        return value.flatMap((item) => {
            const key = (0,answer/* field */.ZZ)(item, 'key');
            const saved = (0,answer/* field */.ZZ)(item, 'value');
            if (typeof key !== 'string' || key === '' || typeof saved !== 'string')
                return [];
            // A secret key's clear value that was not masked (too short, or not one line) is taken as hidden:
            // never sent back in a test or save, where an echo would show it.
            const unmasked = isSecretKey(key) && saved !== HIDDEN && !isMaskedKeyValue(saved);
            return [{ key, value: unmasked ? HIDDEN : saved }];
        });
    }
    /**
     * `POST …/jobs/<jobId>/validateCredentials`: Entra's "Test connection". With `credentials` it tests
     * those (`useSavedCredentials: false`), without them the saved ones. Resolves on 2xx (204).
     * @throws ActionError (step `step`): Graph's error code and message, quoted inert.
     */
    async validateCredentials(step, jobId, credentials) {
        const body = credentials === undefined
            ? { useSavedCredentials: true }
            : { useSavedCredentials: false, credentials: credentials.map(({ key, value }) => ({ key, value })) };
        await this.#core.send({
            step,
            method: 'POST',
            path: this.#path(`/jobs/${encodeURIComponent(jobId)}/validateCredentials`),
            headers: this.#headers(true),
            body: JSON.stringify(body),
            // A test changes nothing: safe to send again.
            idempotent: true,
        });
    }
    /**
     * `PUT …/secrets` with `{"value": credentials}` (a per-key upsert [3P]). Never called with a `*`
     * value. Resolves on 2xx (204). `onAttempt` is told the number of each attempt before it is sent.
     * @throws ActionError (step `Entra save credentials`).
     */
    async saveSecrets(credentials, onAttempt) {
        if (credentials.some((secret) => secret.value === HIDDEN)) {
            throw new errors/* ActionError */.lZ({
                step: 'Entra save credentials',
                reason: `a key's value is "${HIDDEN}" (Graph's stand-in for a hidden value), so nothing was saved`,
                fix: "report it to the action's maintainers with this log",
            });
        }
        await this.#core.send({
            step: 'Entra save credentials',
            method: 'PUT',
            path: this.#path('/secrets'),
            headers: this.#headers(true),
            body: JSON.stringify({ value: credentials.map(({ key, value }) => ({ key, value })) }),
            // PUT of the same set is idempotent (RFC 9110 §9.2.2).
            idempotent: true,
            onAttempt,
        });
    }
    /**
     * `POST …/jobs/<jobId>/restart` with `{"criteria":{"resetScope":"QuarantineState"}}`: lifts a
     * quarantine only (never an empty scope, which re-evaluates every user [MS]).
     * @throws ActionError (step `Entra lift quarantine`).
     */
    async liftQuarantine(jobId) {
        await this.#core.send({
            step: 'Entra lift quarantine',
            method: 'POST',
            path: this.#path(`/jobs/${encodeURIComponent(jobId)}/restart`),
            headers: this.#headers(true),
            body: JSON.stringify({ criteria: { resetScope: 'QuarantineState' } }),
            idempotent: true,
        });
    }
    #shape(step, status, name) {
        return (0,answer/* shapeError */.cn)(step, status, name, undefined, 'check entra-graph-url: it must be Microsoft Graph, not a proxy or another service');
    }
}

// EXTERNAL MODULE: ./src/runner/report.ts
var report = __webpack_require__(190);
;// CONCATENATED MODULE: ./src/flows/entra-handoff.ts
/**
 * The hand-off of new client credentials to Microsoft Entra ID (`docs/entra-graph-api.md`):
 * a preflight that runs before anything is created (GitHub OIDC token, Graph token, the app's
 * one SCIM provisioning job, its saved keys), then, once step 4 proved the credentials, Entra's
 * test of the new set, the save, Entra's test of the saved set (retried briefly while Graph
 * catches up), and the lifting of a quarantine. Loaded only when the Entra inputs are given.
 */





/**
 * Waits before each new try of Entra's test of the saved values, in milliseconds: 4 tries in
 * at most 14 s, well under a minute as the hand-off promises (Graph may need a moment after a
 * save; a job that still fails then is left to a scheduled `entra-check`).
 */
const SAVED_TEST_DELAYS_MS = [2_000, 4_000, 8_000];
/** How a registration this run made is handed over later, when its hand-off failed. */
const HAND_OVER_LATER = "then hand this run's registration over: an Owner reads its client secret on the platform and runs this action with mode token, its client-id and client-secret and the entra-* inputs (docs/entra-id.md); or re-run the rotation and delete this registration later";
/** The portal step that sets the client-credentials method once (named in several fixes). */
const PORTAL_SETUP = 'set it up once in the portal: Enterprise applications → the Invicti app → Provisioning, mode Automatic, authentication method "OAuth2 client credentials grant", with the Tenant URL, Token Endpoint, Client Identifier and Client Secret of a provision run, then Test Connection and Save';
/** A fresh Entra report for the inputs: nothing tested, nothing saved, not updated. */
function newEntraReport(entra) {
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
async function entraPreflight(context, inputs, entra, check = false) {
    const { core, env, log } = context;
    return log.group('Entra: sign in and read the provisioning job', async () => {
        const oidc = await requestOidcToken(core, env);
        if (oidc.subject !== undefined)
            entra.subject = oidc.subject;
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
        if (job.statusCode !== undefined)
            entra.jobStatus = job.statusCode;
        entra.quarantined = job.quarantined;
        if (job.quarantineReason !== undefined)
            entra.quarantineReason = job.quarantineReason;
        log.info(`Provisioning job ${job.id}: status ${job.statusCode ?? 'not given'}${job.quarantined ? `, in quarantine (${job.quarantineReason ?? 'no reason given'})` : ''}`);
        const secrets = await graph.readSecrets();
        const keys = keyNamesOf(secrets);
        entra.keys = keys;
        const clientIdValue = secrets.find((secret) => secret.key === keys.clientId)?.value;
        if (clientIdValue !== undefined && clientIdValue !== HIDDEN && clientIdValue !== '')
            entra.previousClientId = (0,errors/* sanitize */.aj)(core.redact(clientIdValue), 200);
        log.info(`Saved keys: ${secrets.map((secret) => secret.key).join(', ') || 'none'}`);
        const problem = keyProblem(keys, secrets, inputs.servicePrincipalId);
        if (problem !== undefined) {
            if (!check)
                throw problem;
            log.warning(`${problem.reason}; a rotation with this action would stop here (${problem.fix})`);
        }
        return { graph, job, secrets, keys };
    });
}
/**
 * At most `max` items of `list`, comma-separated, and `… and N more` for the rest: Graph's lists
 * go into messages, and a list of thousands must not make a megabyte annotation or summary.
 */
function few(list, max = 5) {
    const shown = list.slice(0, max).join(', ');
    return list.length > max ? `${shown} … and ${list.length - max} more` : shown;
}
/** The app's one SCIM job. @throws ActionError (step `Entra find job`) for none or several. */
function findScimJob(jobs, servicePrincipalId) {
    const scim = jobs.filter(isScimJob);
    const [only] = scim;
    if (only !== undefined && scim.length === 1)
        return only;
    if (scim.length > 1) {
        throw new errors/* ActionError */.lZ({
            step: 'Entra find job',
            status: 200,
            reason: `enterprise application ${servicePrincipalId} has ${scim.length} SCIM provisioning jobs (${few(scim.map((job) => job.id))}), and the hand-off updates exactly one`,
            fix: 'check entra-service-principal-id, or delete the extra job in the portal',
        });
    }
    const others = jobs.map((job) => job.templateId ?? job.id);
    throw new errors/* ActionError */.lZ({
        step: 'Entra find job',
        status: 200,
        reason: `enterprise application ${servicePrincipalId} has no SCIM provisioning job (provisioning is not set up)${others.length > 0 ? `; its jobs: ${few(others)}` : ''}`,
        fix: `check entra-service-principal-id (the Object ID of the Invicti enterprise application), or ${PORTAL_SETUP}`,
    });
}
/** Why the saved keys cannot take the hand-off (not the client-credentials method, or a field's key missing), if so. */
function keyProblem(keys, secrets, servicePrincipalId) {
    const names = few(secrets.map((secret) => secret.key), 10) || 'none';
    if (keys.clientId === undefined || keys.clientSecret === undefined) {
        const what = keys.secretToken
            ? 'authenticates with a long-lived secret token (it holds key SecretToken and no client id and client secret keys)'
            : `is not set to the OAuth2 client credentials grant (it holds no client id and client secret keys; its keys: ${names})`;
        return new errors/* ActionError */.lZ({
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
    if (missing.length === 0)
        return undefined;
    return new errors/* ActionError */.lZ({
        step: 'Entra read keys',
        status: 200,
        reason: `the provisioning of enterprise application ${servicePrincipalId} holds no key ${missing.join(' and no key ')} (its keys: ${names}); the hand-off never adds a key`,
        fix: `fill in every field of the OAuth2 client credentials method once in the portal (${PORTAL_SETUP.replace(/^set it up once in the portal: /u, '')})`,
    });
}
/**
 * The set to test and save: every key the app holds, with the four fields' keys set to the new
 * values and every other key kept with its clear value; hidden (`*`) values are left out (a save
 * is a per-key upsert [3P], so they stay as they are). Never a new key name.
 * @returns the set and the names of the keys whose value changes (a hidden old value counts as changed).
 */
function handOffSet(session, values) {
    const { keys } = session;
    const fresh = new Map([
        [keys.baseAddress, values.scimUrl],
        [keys.tokenUrl, values.tokenUrl],
        [keys.clientId, values.clientId],
        [keys.clientSecret, values.clientSecret],
    ]);
    const set = [];
    const changed = [];
    for (const { key, value } of session.secrets) {
        const next = fresh.get(key);
        if (next !== undefined) {
            set.push({ key, value: next });
            if (value === HIDDEN || value !== next)
                changed.push(key);
        }
        else if (value !== HIDDEN) {
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
async function handOff(context, session, values, entra, delaysMs = SAVED_TEST_DELAYS_MS) {
    const { log } = context;
    const { graph, job } = session;
    const { set, changed } = handOffSet(session, values);
    entra.changedKeys = changed;
    await log.group('Entra: hand over the new credentials', async () => {
        log.info(`Keys to save: ${set.map(({ key }) => `${key}${changed.includes(key) ? ' (changed)' : ''}`).join(', ')}`);
        try {
            await graph.validateCredentials('Entra test new credentials', job.id, set);
        }
        catch (error) {
            entra.newTest = 'failed';
            throw holding(error, entra, isTestFailure(error) ? testFix(values) : undefined);
        }
        entra.newTest = 'passed';
        log.info("Entra's test of the new values passed");
        entra.save = 'sent';
        let attempts = 0;
        try {
            await graph.saveSecrets(set, (attempt) => (attempts = attempt));
        }
        catch (error) {
            // A 4xx to the only attempt proves nothing was saved; a 5xx, no answer, or a 4xx after an
            // attempt whose answer was lost or failed (that attempt may have saved) does not.
            if (error instanceof errors/* ActionError */.lZ && error.status !== undefined && error.status < 500 && attempts === 1)
                entra.save = 'refused';
            throw holding(error, entra);
        }
        entra.save = 'saved';
        log.info(`Saved ${set.length} keys in the provisioning of ${entra.servicePrincipalId}`);
        await testSaved(context, session, entra, delaysMs);
        entra.updated = true;
        if (!job.quarantined)
            return;
        try {
            await graph.liftQuarantine(job.id);
        }
        catch (error) {
            entra.quarantine = 'not lifted';
            throw (0,errors/* amend */.eI)(error, {
                note: 'Microsoft Entra ID holds the new values and its test of them passed, but the quarantine was not lifted',
                fixNote: 'or lift it in the portal (Provisioning → Restart provisioning)',
            });
        }
        entra.quarantine = 'lifted';
        log.info(`Lifted the quarantine of job ${job.id} (restart with resetScope QuarantineState)`);
    });
}
/** Entra's test of the saved values, tried again after each delay while it fails with an HTTP answer Graph may outgrow. */
async function testSaved(context, session, entra, delaysMs) {
    for (let attempt = 0;; attempt += 1) {
        try {
            await session.graph.validateCredentials('Entra test saved credentials', session.job.id);
            entra.savedTest = 'passed';
            context.log.info(`Entra's test of the saved values passed${attempt > 0 ? ` (try ${attempt + 1})` : ''}`);
            return;
        }
        catch (error) {
            const delay = delaysMs[attempt];
            const status = error instanceof errors/* ActionError */.lZ ? error.status : undefined;
            // Permission and not-found answers do not change with time.
            if (delay === undefined || !isTestFailure(error)) {
                entra.savedTest = 'failed';
                const tries = attempt + 1;
                throw holding(error, entra, isTestFailure(error)
                    ? 'Graph may still be catching up: run mode entra-check in a few minutes; if it still fails, re-run the rotation'
                    : undefined, `Entra's test of the saved values failed${tries > 1 ? ` ${tries} times` : ''}`);
            }
            context.log.info(`Entra's test of the saved values failed (HTTP ${status}); Graph may still be catching up, trying again in ${delay / 1000} s`);
            await context.sleep(delay);
        }
    }
}
/**
 * True when Graph answered a test with an error that is the test's own result (its credentials
 * or endpoints failed: `graph.ts` {@link isTestFailureStatus}), not a refusal of the call, Graph's
 * own trouble (5xx) or a lost answer.
 */
function isTestFailure(error) {
    const status = error instanceof errors/* ActionError */.lZ ? error.status : undefined;
    return status !== undefined && isTestFailureStatus(status);
}
/** The fix note when Entra's test of the new values fails: what Entra's test does, from where. */
function testFix(values) {
    return `Entra's provisioning service gets a token from ${values.tokenUrl} (HTTP Basic client authentication) and reads ${values.scimUrl}/Users from Microsoft's cloud, not from the runner: both must be reachable from the internet; ${HAND_OVER_LATER}`;
}
/** `error` with what Entra holds now as a note (after `note`, when given), and `fixNote` added to its fix. */
function holding(error, entra, fixNote, note) {
    const withNote = note === undefined ? error : (0,errors/* amend */.eI)(error, { note });
    return (0,errors/* amend */.eI)(withNote, { note: (0,report/* entraHolds */.d)(entra), fixNote });
}
/**
 * A rotation with the hand-off: the preflight, then `platform` (the mode's flow: provision with
 * verify, or token), then the hand-off of the credentials it proved (the new registration's, or
 * the `client-id` / `client-secret` inputs in mode token). A preflight failure says nothing was
 * created; a hand-off failure names the registration kept in the outputs.
 * @throws ActionError from any of them.
 */
async function rotateWithEntra(context, entraInputs, inputs, report, platform) {
    const entra = report.entra ?? newEntraReport(entraInputs);
    report.entra = entra;
    // Before anything is created: each way the preflight fails leaves nothing behind.
    const session = await entraPreflight(context, entraInputs, entra).catch((error) => {
        throw (0,errors/* amend */.eI)(error, { note: 'nothing was created or changed' });
    });
    await platform();
    const registration = report.mode === 'provision' ? report.registration : undefined;
    const clientId = registration ? registration.clientId : inputs.clientId;
    const clientSecret = registration ? registration.clientSecret : inputs.clientSecret;
    if (clientId === undefined || clientSecret === undefined) {
        throw new errors/* ActionError */.lZ({
            step: 'Entra test new credentials',
            reason: 'the platform returned no client id or client secret to hand over, so nothing was sent to Microsoft Entra ID',
            fix: 're-run the rotation; a registration without credentials can be deleted in the platform',
        });
    }
    try {
        await handOff(context, session, { clientId, clientSecret, scimUrl: report.scimUrl, tokenUrl: report.tokenUrl }, entra);
    }
    catch (error) {
        throw registration
            ? (0,errors/* amend */.eI)(error, {
                note: `registration ${registration.id ?? '(id not returned)'} was created, authorized and verified (its registration-id, client-id and client-secret are in the step outputs)`,
            })
            : error;
    }
}

;// CONCATENATED MODULE: ./src/flows/entra-check.ts
/**
 * `mode: entra-check`: what Microsoft Entra ID really uses, read only. Signs in with the job's
 * GitHub OIDC token, finds the enterprise application's SCIM job, reads its saved keys, asks
 * Entra to test the credentials it has saved (`validateCredentials` with `useSavedCredentials:
 * true`) and reads the job's quarantine. Never saves, never restarts; needs no client secret.
 */


/**
 * Runs the check, recording what it finds in `entra`.
 * @throws ActionError: a preflight step's error, `Entra test saved credentials` when Entra's test
 * of its saved credentials fails, `Entra check` when the job is in quarantine.
 */
async function entraCheck(context, inputs, entra) {
    const { log } = context;
    log.info(`Mode entra-check: enterprise application ${inputs.servicePrincipalId} in tenant ${inputs.tenantId} (read only)`);
    const session = await entraPreflight(context, inputs, entra, true);
    await log.group('Entra: test the saved credentials', async () => {
        try {
            await session.graph.validateCredentials('Entra test saved credentials', session.job.id);
        }
        catch (error) {
            entra.savedTest = 'failed';
            throw isTestFailure(error)
                ? (0,errors/* amend */.eI)(error, {
                    note: 'the credentials Microsoft Entra ID has saved do not work, so provisioning fails (this check changed nothing)',
                    fixNote: "hand over working credentials: run this action with mode provision and the entra-* inputs (a rotation), or mode token with a registration's client-id and client-secret",
                })
                : error;
        }
        entra.savedTest = 'passed';
        log.info("Entra's test of the saved credentials passed");
    });
    if (session.job.quarantined) {
        throw new errors/* ActionError */.lZ({
            step: 'Entra check',
            reason: `provisioning job ${session.job.id} is in quarantine (${session.job.quarantineReason ?? 'no reason given'}), so Entra provisions rarely or not at all, although its saved credentials pass the test now`,
            fix: 'read the cause in the provisioning logs; then run a rotation (mode provision with the entra-* inputs), which lifts the quarantine after Entra tests the new credentials, or choose Restart provisioning in the portal',
        });
    }
    log.info(`Provisioning job ${session.job.id} is not in quarantine (status ${session.job.statusCode ?? 'not given'})`);
}

;// CONCATENATED MODULE: ./src/runner/entra-summary.ts
/**
 * The step summary's Microsoft Entra ID section (loaded only with the Entra inputs): the app, the
 * job, the keys changed (names only), both tests, the quarantine and the client id Entra held.
 */

/**
 * The Microsoft Entra ID section: the app, the job, the keys changed (names only), both tests,
 * the quarantine and the client id Entra held before; `row` escapes text from outside.
 */
const entraSection = (entra, mode, failure, row, ownRow) => {
    const check = mode === 'entra-check';
    const lines = [
        check ? '#### Microsoft Entra ID check (read only)' : '#### Microsoft Entra ID hand-off',
        '',
        '| | |',
        '|---|---|',
        row('Enterprise application (Object ID)', entra.servicePrincipalId, true),
        row('Tenant', entra.tenantId, true),
        row('App registration (signs in)', entra.appClientId, true),
    ];
    if (entra.subject !== undefined)
        lines.push(row('GitHub OIDC subject', entra.subject, true));
    lines.push(entra.jobId === undefined ? ownRow('Provisioning job', '(not found)') : row('Provisioning job', entra.jobId, true));
    if (entra.jobStatus !== undefined)
        lines.push(row('Job status (when read)', entra.jobStatus));
    if (entra.quarantined !== undefined) {
        const reason = entra.quarantineReason === undefined ? '' : ` (${entra.quarantineReason})`;
        const state = !entra.quarantined
            ? 'no'
            : check
                ? `yes${reason}`
                : `yes${reason}: ${entra.quarantine === 'lifted' ? 'lifted by this run' : 'not lifted'}`;
        lines.push(row('Quarantine', state));
    }
    lines.push(entra.previousClientId === undefined
        ? ownRow(check ? 'Client id Entra holds' : 'Previous client id Entra held', entra.keys === undefined ? '(not read)' : '(not readable)')
        : row(check ? 'Client id Entra holds' : 'Previous client id Entra held', entra.previousClientId, true));
    if (!check) {
        lines.push(entra.changedKeys === undefined
            ? ownRow('Keys changed', '(none: not reached)')
            : row('Keys changed', entra.changedKeys.join(', ') || 'none', true), ownRow("Entra's test of the new values", entra.newTest), ownRow('Saved in Entra', SAVE_STATES[entra.save]));
    }
    lines.push(ownRow(check ? "Entra's test of its saved values" : "Entra's test of the saved values", entra.savedTest));
    if (!check) {
        lines.push(ownRow('entra-updated', String(entra.updated)));
        const holds = (0,report/* entraHolds */.d)(entra);
        if (failure && holds !== undefined)
            lines.push(ownRow('What Entra holds now', holds));
    }
    lines.push('');
    return lines;
};
const SAVE_STATES = {
    'not sent': 'no (not sent)',
    sent: 'unknown (sent, no answer)',
    saved: 'yes',
    refused: 'no (refused)',
};

// EXTERNAL MODULE: ./src/runner/url-input.ts
var url_input = __webpack_require__(666);
;// CONCATENATED MODULE: ./src/runner/entra-inputs.ts
/**
 * The Microsoft Entra ID inputs (`entra-*`), read after the other inputs and before any request,
 * and loaded only when one of them is set or the mode is `entra-check` (`inputs.ts` `wantsEntra`), so a
 * run without them pays nothing for this module.
 */


/** Microsoft's global cloud: the defaults of `entra-login-url` and `entra-graph-url` [MS: national cloud deployments]. */
const ENTRA_DEFAULTS = {
    loginUrl: 'https://login.microsoftonline.com',
    graphUrl: 'https://graph.microsoft.com',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
/** A DNS name of at least two labels (a tenant's domain, e.g. `contoso.onmicrosoft.com`). */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/iu;
/**
 * The Entra inputs: `entra-tenant-id`, `entra-client-id` and `entra-service-principal-id` all
 * three or none (mode `entra-check` needs them); the two ids are UUIDs, the tenant a UUID or a
 * domain name; `entra-login-url` and `entra-graph-url` are checked like `base-url` (HTTPS except
 * loopback) and may be set only with the three ids; with mode `provision` they need `verify`.
 * @returns undefined when none is set (and the mode is not `entra-check`).
 * @throws ActionError naming the input.
 */
function readEntraInputs(getInput, inputs) {
    const mode = inputs.mode;
    const ids = {
        'entra-tenant-id': getInput('entra-tenant-id'),
        'entra-client-id': getInput('entra-client-id'),
        'entra-service-principal-id': getInput('entra-service-principal-id'),
    };
    const urls = { 'entra-login-url': getInput('entra-login-url'), 'entra-graph-url': getInput('entra-graph-url') };
    const given = Object.entries(ids).filter(([, value]) => value !== '');
    const missing = Object.keys(ids).filter((name) => ids[name] === '');
    if (given.length === 0) {
        if (mode === 'entra-check') {
            throw (0,errors/* inputError */.Xu)('mode "entra-check" needs inputs "entra-tenant-id", "entra-client-id" and "entra-service-principal-id", and they are empty', 'set the three entra-* inputs: the tenant, the app registration that trusts this repository (a federated credential) and the Object ID of the Invicti enterprise application');
        }
        const defaults = {
            'entra-login-url': ENTRA_DEFAULTS.loginUrl,
            'entra-graph-url': ENTRA_DEFAULTS.graphUrl,
        };
        const stray = Object.entries(urls).find(([name, value]) => value !== '' && value !== defaults[name]);
        if (stray) {
            throw (0,errors/* inputError */.Xu)(`input "${stray[0]}" is set without inputs "entra-tenant-id", "entra-client-id" and "entra-service-principal-id"`, `set the three entra-* ids to hand the credentials to Microsoft Entra ID, or remove ${stray[0]}`);
        }
        return undefined;
    }
    if (missing.length > 0) {
        throw (0,errors/* inputError */.Xu)(`input${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} empty but ${given.map(([name]) => `"${name}"`).join(' and ')} ${given.length > 1 ? 'are' : 'is'} set`, 'set all three entra-* ids (entra-tenant-id, entra-client-id, entra-service-principal-id), or none; if they come from variables or secrets, check that they exist and are available to this run');
    }
    const tenantId = ids['entra-tenant-id'];
    if (!UUID.test(tenantId) && !DOMAIN.test(tenantId)) {
        throw (0,errors/* inputError */.Xu)(`input "entra-tenant-id" is ${(0,url_input/* quoted */.T)(tenantId)}`, 'set entra-tenant-id to the Directory (tenant) ID, a UUID from Entra ID → Overview, or a domain name of the tenant such as contoso.onmicrosoft.com');
    }
    for (const [name, what] of [
        ['entra-client-id', 'the Application (client) ID of the app registration that has the federated credential'],
        [
            'entra-service-principal-id',
            'the Object ID of the Invicti enterprise application (Enterprise applications → the app → Overview)',
        ],
    ]) {
        if (!UUID.test(ids[name]))
            throw (0,errors/* inputError */.Xu)(`input "${name}" is ${(0,url_input/* quoted */.T)(ids[name])}, not a UUID`, `set ${name} to ${what}`);
    }
    // The hand-off gives Entra only credentials that step 4 proved.
    if (mode === 'provision' && !inputs.verify) {
        throw (0,errors/* inputError */.Xu)('the Entra inputs are set but input "verify" is false; the hand-off to Microsoft Entra ID gives it only credentials that verify proved', 'set verify to true, or remove the entra-* inputs');
    }
    return {
        tenantId: tenantId.toLowerCase(),
        clientId: ids['entra-client-id'].toLowerCase(),
        servicePrincipalId: ids['entra-service-principal-id'].toLowerCase(),
        loginUrl: readServiceUrl('entra-login-url', urls['entra-login-url'], ENTRA_DEFAULTS.loginUrl),
        graphUrl: readServiceUrl('entra-graph-url', urls['entra-graph-url'], ENTRA_DEFAULTS.graphUrl),
    };
}
/** An `entra-*-url` input (default `fallback`), checked like base-url, without a trailing slash. @throws ActionError */
function readServiceUrl(name, text, fallback) {
    if (text === '')
        return fallback;
    const url = (0,url_input/* checkUrl */.C)(name, text, {
        example: `set ${name} like ${fallback} (with https://), or leave it unset for Microsoft's global cloud`,
        httpFix: 'use https:// (plain http:// is allowed for loopback hosts only)',
        queryFix: `set ${name} to the host's URL only, e.g. ${fallback}`,
    });
    return `${url.origin}${url.pathname.replace(/\/+$/u, '')}`;
}

;// CONCATENATED MODULE: ./src/flows/entra.ts
/**
 * The Microsoft Entra ID side of a run, as one module that `main.ts` loads with `import()` only
 * when the `entra-*` inputs are given: the hand-off (`entra-handoff.ts`), `mode: entra-check`
 * (`entra-check.ts`), the summary's Entra section and the reading of the `entra-*` inputs. One module, so the bundle holds the Entra
 * clients once, in one chunk of their own.
 */






/***/ })

};
