export const id = 978;
export const ids = [978];
export const modules = {

/***/ 978:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ENTRA_DEFAULTS: () => (/* binding */ ENTRA_DEFAULTS),
/* harmony export */   readEntraInputs: () => (/* binding */ readEntraInputs)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(916);
/* harmony import */ var _url_input_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(666);
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
            throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)('mode "entra-check" needs inputs "entra-tenant-id", "entra-client-id" and "entra-service-principal-id", and they are empty', 'set the three entra-* inputs: the tenant, the app registration that trusts this repository (a federated credential) and the Object ID of the Invicti enterprise application');
        }
        const defaults = {
            'entra-login-url': ENTRA_DEFAULTS.loginUrl,
            'entra-graph-url': ENTRA_DEFAULTS.graphUrl,
        };
        const stray = Object.entries(urls).find(([name, value]) => value !== '' && value !== defaults[name]);
        if (stray) {
            throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input "${stray[0]}" is set without inputs "entra-tenant-id", "entra-client-id" and "entra-service-principal-id"`, `set the three entra-* ids to hand the credentials to Microsoft Entra ID, or remove ${stray[0]}`);
        }
        return undefined;
    }
    if (missing.length > 0) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} empty but ${given.map(([name]) => `"${name}"`).join(' and ')} ${given.length > 1 ? 'are' : 'is'} set`, 'set all three entra-* ids (entra-tenant-id, entra-client-id, entra-service-principal-id), or none; if they come from variables or secrets, check that they exist and are available to this run');
    }
    const tenantId = ids['entra-tenant-id'];
    if (!UUID.test(tenantId) && !DOMAIN.test(tenantId)) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input "entra-tenant-id" is ${(0,_url_input_js__WEBPACK_IMPORTED_MODULE_1__/* .quoted */ .T)(tenantId)}`, 'set entra-tenant-id to the Directory (tenant) ID, a UUID from Entra ID → Overview, or a domain name of the tenant such as contoso.onmicrosoft.com');
    }
    for (const [name, what] of [
        ['entra-client-id', 'the Application (client) ID of the app registration that has the federated credential'],
        [
            'entra-service-principal-id',
            'the Object ID of the Invicti enterprise application (Enterprise applications → the app → Overview)',
        ],
    ]) {
        if (!UUID.test(ids[name]))
            throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input "${name}" is ${(0,_url_input_js__WEBPACK_IMPORTED_MODULE_1__/* .quoted */ .T)(ids[name])}, not a UUID`, `set ${name} to ${what}`);
    }
    // The hand-off gives Entra only credentials that step 4 proved.
    if (mode === 'provision' && !inputs.verify) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)('the Entra inputs are set but input "verify" is false; the hand-off to Microsoft Entra ID gives it only credentials that verify proved', 'set verify to true, or remove the entra-* inputs');
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
    const url = (0,_url_input_js__WEBPACK_IMPORTED_MODULE_1__/* .checkUrl */ .C)(name, text, {
        example: `set ${name} like ${fallback} (with https://), or leave it unset for Microsoft's global cloud`,
        httpFix: 'use https:// (plain http:// is allowed for loopback hosts only)',
        queryFix: `set ${name} to the host's URL only, e.g. ${fallback}`,
    });
    return `${url.origin}${url.pathname.replace(/\/+$/u, '')}`;
}


/***/ })

};
