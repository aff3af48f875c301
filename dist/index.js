import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
import * as __WEBPACK_EXTERNAL_MODULE_data_text_javascript_export_20class_20ProxyAgent_20_7B_0A_20_20constructor_20_7B_0A_20_20_20_20const_20error_20_3D_20new_20Error_0A_20_20_20_20_20_20_undici_20is_20left_20out_20of_20this_20bundle_20_scripts_2Fbundle_ts_2C_20yet_20_40actions_2Fhttp_client_20constructed_20its_20ProxyAgent_3A_20bundle_20undici_20again_2C_0A_20_20_20_20_3B_0A_20_20_20_20error_code_20_3D_20_ERR_UNDICI_NOT_BUNDLED_3B_0A_20_20_20_20throw_20error_3B_0A_20_20_7D_0A_7D_0A_712416a4__ from "data:text/javascript,export%20class%20ProxyAgent%20%7B%0A%20%20constructor()%20%7B%0A%20%20%20%20const%20error%20%3D%20new%20Error(%0A%20%20%20%20%20%20'undici%20is%20left%20out%20of%20this%20bundle%20(scripts%2Fbundle.ts)%2C%20yet%20%40actions%2Fhttp-client%20constructed%20its%20ProxyAgent%3A%20bundle%20undici%20again'%2C%0A%20%20%20%20)%3B%0A%20%20%20%20error.code%20%3D%20'ERR_UNDICI_NOT_BUNDLED'%3B%0A%20%20%20%20throw%20error%3B%0A%20%20%7D%0A%7D%0A";
/******/ var __webpack_modules__ = ({

/***/ 770:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

module.exports = __nccwpck_require__(218);


/***/ }),

/***/ 218:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var net = __nccwpck_require__(278);
var tls = __nccwpck_require__(756);
var http = __nccwpck_require__(611);
var https = __nccwpck_require__(692);
var events = __nccwpck_require__(434);
var assert = __nccwpck_require__(613);
var util = __nccwpck_require__(23);


exports.httpOverHttp = httpOverHttp;
exports.httpsOverHttp = httpsOverHttp;
exports.httpOverHttps = httpOverHttps;
exports.httpsOverHttps = httpsOverHttps;


function httpOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  return agent;
}

function httpsOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}

function httpOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  return agent;
}

function httpsOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}


function TunnelingAgent(options) {
  var self = this;
  self.options = options || {};
  self.proxyOptions = self.options.proxy || {};
  self.maxSockets = self.options.maxSockets || http.Agent.defaultMaxSockets;
  self.requests = [];
  self.sockets = [];

  self.on('free', function onFree(socket, host, port, localAddress) {
    var options = toOptions(host, port, localAddress);
    for (var i = 0, len = self.requests.length; i < len; ++i) {
      var pending = self.requests[i];
      if (pending.host === options.host && pending.port === options.port) {
        // Detect the request to connect same origin server,
        // reuse the connection.
        self.requests.splice(i, 1);
        pending.request.onSocket(socket);
        return;
      }
    }
    socket.destroy();
    self.removeSocket(socket);
  });
}
util.inherits(TunnelingAgent, events.EventEmitter);

TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
  var self = this;
  var options = mergeOptions({request: req}, self.options, toOptions(host, port, localAddress));

  if (self.sockets.length >= this.maxSockets) {
    // We are over limit so we'll add it to the queue.
    self.requests.push(options);
    return;
  }

  // If we are under maxSockets create a new one.
  self.createSocket(options, function(socket) {
    socket.on('free', onFree);
    socket.on('close', onCloseOrRemove);
    socket.on('agentRemove', onCloseOrRemove);
    req.onSocket(socket);

    function onFree() {
      self.emit('free', socket, options);
    }

    function onCloseOrRemove(err) {
      self.removeSocket(socket);
      socket.removeListener('free', onFree);
      socket.removeListener('close', onCloseOrRemove);
      socket.removeListener('agentRemove', onCloseOrRemove);
    }
  });
};

TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
  var self = this;
  var placeholder = {};
  self.sockets.push(placeholder);

  var connectOptions = mergeOptions({}, self.proxyOptions, {
    method: 'CONNECT',
    path: options.host + ':' + options.port,
    agent: false,
    headers: {
      host: options.host + ':' + options.port
    }
  });
  if (options.localAddress) {
    connectOptions.localAddress = options.localAddress;
  }
  if (connectOptions.proxyAuth) {
    connectOptions.headers = connectOptions.headers || {};
    connectOptions.headers['Proxy-Authorization'] = 'Basic ' +
        new Buffer(connectOptions.proxyAuth).toString('base64');
  }

  debug('making CONNECT request');
  var connectReq = self.request(connectOptions);
  connectReq.useChunkedEncodingByDefault = false; // for v0.6
  connectReq.once('response', onResponse); // for v0.6
  connectReq.once('upgrade', onUpgrade);   // for v0.6
  connectReq.once('connect', onConnect);   // for v0.7 or later
  connectReq.once('error', onError);
  connectReq.end();

  function onResponse(res) {
    // Very hacky. This is necessary to avoid http-parser leaks.
    res.upgrade = true;
  }

  function onUpgrade(res, socket, head) {
    // Hacky.
    process.nextTick(function() {
      onConnect(res, socket, head);
    });
  }

  function onConnect(res, socket, head) {
    connectReq.removeAllListeners();
    socket.removeAllListeners();

    if (res.statusCode !== 200) {
      debug('tunneling socket could not be established, statusCode=%d',
        res.statusCode);
      socket.destroy();
      var error = new Error('tunneling socket could not be established, ' +
        'statusCode=' + res.statusCode);
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    if (head.length > 0) {
      debug('got illegal response body from proxy');
      socket.destroy();
      var error = new Error('got illegal response body from proxy');
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    debug('tunneling connection has established');
    self.sockets[self.sockets.indexOf(placeholder)] = socket;
    return cb(socket);
  }

  function onError(cause) {
    connectReq.removeAllListeners();

    debug('tunneling socket could not be established, cause=%s\n',
          cause.message, cause.stack);
    var error = new Error('tunneling socket could not be established, ' +
                          'cause=' + cause.message);
    error.code = 'ECONNRESET';
    options.request.emit('error', error);
    self.removeSocket(placeholder);
  }
};

TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
  var pos = this.sockets.indexOf(socket)
  if (pos === -1) {
    return;
  }
  this.sockets.splice(pos, 1);

  var pending = this.requests.shift();
  if (pending) {
    // If we have pending requests and a socket gets closed a new one
    // needs to be created to take over in the pool for the one that closed.
    this.createSocket(pending, function(socket) {
      pending.request.onSocket(socket);
    });
  }
};

function createSecureSocket(options, cb) {
  var self = this;
  TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
    var hostHeader = options.request.getHeader('host');
    var tlsOptions = mergeOptions({}, self.options, {
      socket: socket,
      servername: hostHeader ? hostHeader.replace(/:.*$/, '') : options.host
    });

    // 0 is dummy port for v0.6
    var secureSocket = tls.connect(0, tlsOptions);
    self.sockets[self.sockets.indexOf(socket)] = secureSocket;
    cb(secureSocket);
  });
}


function toOptions(host, port, localAddress) {
  if (typeof host === 'string') { // since v0.10
    return {
      host: host,
      port: port,
      localAddress: localAddress
    };
  }
  return host; // for v0.11 or later
}

function mergeOptions(target) {
  for (var i = 1, len = arguments.length; i < len; ++i) {
    var overrides = arguments[i];
    if (typeof overrides === 'object') {
      var keys = Object.keys(overrides);
      for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
        var k = keys[j];
        if (overrides[k] !== undefined) {
          target[k] = overrides[k];
        }
      }
    }
  }
  return target;
}


var debug;
if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
  debug = function() {
    var args = Array.prototype.slice.call(arguments);
    if (typeof args[0] === 'string') {
      args[0] = 'TUNNEL: ' + args[0];
    } else {
      args.unshift('TUNNEL:');
    }
    console.error.apply(console, args);
  }
} else {
  debug = function() {};
}
__webpack_unused_export__ = debug; // for test


/***/ }),

/***/ 629:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Fw: () => (/* binding */ requireToken),
/* harmony export */   MJ: () => (/* binding */ secretLengthProblem),
/* harmony export */   Oy: () => (/* binding */ PLATFORM_WORDS),
/* harmony export */   PI: () => (/* binding */ SECRET_SHAPE),
/* harmony export */   YE: () => (/* binding */ isServerSecret),
/* harmony export */   ZZ: () => (/* binding */ field),
/* harmony export */   cn: () => (/* binding */ shapeError),
/* harmony export */   h1: () => (/* binding */ MAX_SECRET_LENGTH),
/* harmony export */   hs: () => (/* binding */ checkPointsAt),
/* harmony export */   mJ: () => (/* binding */ BEARER_TOKEN),
/* harmony export */   vb: () => (/* binding */ MIN_SECRET_LENGTH),
/* harmony export */   yw: () => (/* binding */ maskString)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(916);
/**
 * What a server's answer may carry, checked before it is used: secrets and tokens of a safe shape
 * (masked on receipt, refused otherwise) and fields of a JSON body. A small module of its own so
 * that every client, the lazily loaded Entra clients too, shares it without loading the request core.
 */

/** The Invicti Platform, as fixes name it. */
const PLATFORM_WORDS = {
    name: 'the platform',
    urlSetting: 'base-url',
    identity: 'the Invicti Platform',
};
/** `check that <setting> points at <service>`, the start of a fix for an answer no such service gives. */
function checkPointsAt(words) {
    return `check that ${words.urlSetting} points at ${words.identity ?? words.name}`;
}
/**
 * A token an Authorization (or X-Auth) header can carry (Node refuses any other header
 * value): no line break or other control character, nothing beyond U+00FF, and
 * not blank or padded with spaces. Looser than RFC 6750's b64token on purpose.
 */
const BEARER_TOKEN = /^[\x21-\x7e\x80-\xff](?:[\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/u;
/**
 * The longest secret or token accepted from the server, in characters (UTF-16
 * code units): 8192, the request-header line limit of common servers (a token
 * travels in an Authorization header). Longer is a malformed answer, not something to mask.
 */
const MAX_SECRET_LENGTH = 8192;
/**
 * The shortest secret or token accepted from the server, in characters: 4. A
 * shorter one is no secret, and masking it would garble every later log line
 * (a token `e` turns `Step 4` into `St***p 4`): it is refused as a malformed answer.
 */
const MIN_SECRET_LENGTH = 4;
/**
 * One line of printable text, not blank and not padded with white space: no
 * control character (C0, DEL, C1: line breaks and tabs among them) and no
 * Unicode line or paragraph separator anywhere. RFC 6749 Appendix A makes
 * client_secret and access_token VSCHAR (printable ASCII); other printable
 * characters are tolerated, line breaks and control characters never.
 */
const ONE_LINE = /^[^\p{Cc}\p{Zl}\p{Zp}\s](?:[^\p{Cc}\p{Zl}\p{Zp}]*[^\p{Cc}\p{Zl}\p{Zp}\s])?$/u;
/** Characters Node accepts in a header value (Latin-1). */
const HEADER_SAFE = /^[^\u0100-\u{10ffff}]*$/u;
/** How a well-formed secret or token looks, for error messages. */
const SECRET_SHAPE = `${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters on one line, without control characters or surrounding spaces`;
/**
 * True when `value` is a secret or token the server may send: a well-formed
 * string of {@link MIN_SECRET_LENGTH} to {@link MAX_SECRET_LENGTH} characters on one line
 * ({@link ONE_LINE}); with `header`, also one an Authorization header can
 * carry (Latin-1). Checked before the value is masked: a malformed one is
 * refused and never printed, so the server cannot choose what the runner masks
 * (`1\n2\n…` would register every line as a mask).
 */
function isServerSecret(value, header = false) {
    return (typeof value === 'string' &&
        value.length >= MIN_SECRET_LENGTH &&
        value.length <= MAX_SECRET_LENGTH &&
        value.isWellFormed() &&
        ONE_LINE.test(value) &&
        (!header || HEADER_SAFE.test(value)));
}
/** `value[name]` when `value` is a JSON object, else undefined. */
function field(value, name) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value[name]
        : undefined;
}
/**
 * Masks `value` when it is a well-formed secret ({@link isServerSecret}): a secret the server sent,
 * masked before anything about its answer is logged. A malformed one is refused afterwards and never
 * printed, so it is not masked: the server cannot choose what the runner masks.
 */
function maskString(mask, value) {
    if (isServerSecret(value))
        mask(value);
}
/** A token the server sent, usable in an Authorization header ({@link isServerSecret} with `header`; masked by {@link maskString} when well formed). */
function requireToken(step, status, value, name, words = PLATFORM_WORDS) {
    if (isServerSecret(value, true))
        return value;
    const length = secretLengthProblem(value, name);
    if (length !== undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ({
            step,
            status,
            reason: length,
            fix: typeof value === 'string' && value.length > MAX_SECRET_LENGTH
                ? `the token cannot be sent in an Authorization header of that size; report the token length to the support of ${words.identity ?? words.name}`
                : `${words.name} or something in front of it (a proxy, a test stub) answered a placeholder instead of a token; re-run, and ${checkPointsAt(words)}`,
        });
    }
    throw shapeError(step, status, `${name} (a token of ${SECRET_SHAPE})`, undefined, undefined, words);
}
/**
 * What is wrong with the length of a secret or token `name` the server sent, when only its
 * length is wrong (one line of printable text otherwise): longer than {@link MAX_SECRET_LENGTH}
 * or shorter than {@link MIN_SECRET_LENGTH}, with the limit; undefined otherwise.
 */
function secretLengthProblem(value, name) {
    if (typeof value !== 'string' || !value.isWellFormed() || !ONE_LINE.test(value))
        return undefined;
    if (value.length > MAX_SECRET_LENGTH)
        return `the response's ${name} is too long: ${value.length} characters, over the action's limit of ${MAX_SECRET_LENGTH} (the request-header line limit of common servers)`;
    if (value.length < MIN_SECRET_LENGTH)
        return `the response's ${name} is malformed: ${value.length} character${value.length === 1 ? '' : 's'}, too short to be a secret (at least ${MIN_SECRET_LENGTH}); it was not masked or used`;
    return undefined;
}
function shapeError(step, status, name, extra, fix, words = PLATFORM_WORDS) {
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ({
        step,
        status,
        reason: `the response has no valid ${name}${extra ? `; ${extra}` : ''}`,
        fix: fix ?? `${checkPointsAt(words)} and not at a proxy or another service`,
    });
}


/***/ }),

/***/ 916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   J3: () => (/* binding */ stripBidi),
/* harmony export */   Xu: () => (/* binding */ inputError),
/* harmony export */   ZH: () => (/* binding */ capitalize),
/* harmony export */   aj: () => (/* binding */ sanitize),
/* harmony export */   eI: () => (/* binding */ amend),
/* harmony export */   lZ: () => (/* binding */ ActionError)
/* harmony export */ });
/**
 * Failure reporting: every failure of the action is one {@link ActionError}
 * whose message names the step, the HTTP status, the platform's error and a fix.
 */
/**
 * The one error type the action reports. Its `message` is the whole
 * `::error::` text: `<Step> failed (HTTP <status>): <why>. Fix: <how to fix>.`
 * (`Invalid input: <why>. Fix: <how to fix>.` for step `inputs`; no `(HTTP …)`
 * without a response), where {@link why} and {@link howToFix} are rendered from
 * the structured fields. It never carries a request or response body, header or stack trace.
 */
class ActionError extends Error {
    step;
    status;
    /** The server's error code, if the response carried one. */
    code;
    reason;
    request;
    notes;
    fix;
    fixNotes;
    constructor(details) {
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
    get details() {
        const { step, status, code, reason, request, notes, fix, fixNotes } = this;
        return { step, status, code, reason, request, notes, fix, fixNotes };
    }
    /** What went wrong, whole: the reason, the request in parentheses, then the notes. */
    get why() {
        return renderWhy(this.details);
    }
    /** What to do, whole: the fix, then its notes. */
    get howToFix() {
        return renderFix(this.details);
    }
}
function renderWhy(details) {
    const request = details.request === undefined ? '' : ` (${details.request})`;
    return [`${details.reason}${request}`, ...(details.notes ?? [])].join('; ');
}
function renderFix(details) {
    return [details.fix, ...(details.fixNotes ?? [])].join('; ');
}
/** The one place an error's message is put together. */
function renderMessage(details) {
    const where = details.step === 'inputs' ? 'Invalid input' : `${capitalize(details.step)} failed`;
    const status = details.status === undefined ? '' : ` (HTTP ${details.status})`;
    return `${where}${status}: ${renderWhy(details)}. Fix: ${renderFix(details)}.`;
}
/**
 * `error` with a note, a fix note or a request added, or its fix replaced;
 * step, status and code are kept. Anything that is not an
 * {@link ActionError} is returned unchanged.
 */
function amend(error, change) {
    if (!(error instanceof ActionError))
        return error;
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
function inputError(reason, fix) {
    return new ActionError({ step: 'inputs', reason, fix });
}
/** `create registration` → `Create registration`, as messages begin. */
function capitalize(text) {
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
function stripBidi(text) {
    return text.replace(BIDI_CONTROLS, '');
}
/**
 * Makes untrusted text safe and short for one log line: control characters
 * and runs of white space become one space, bidirectional controls are removed
 * ({@link stripBidi}); at most `max` characters (default
 * 200, the last one then `…`). Reshaped text no longer matches a registered
 * mask, so redact secrets (`mask.ts` `redact`) before calling this.
 */
function sanitize(text, max = 200) {
    // eslint-disable-next-line no-control-regex
    const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/gu, ' ');
    const bare = stripBidi(flat).trim();
    return bare.length > max ? `${bare.slice(0, max - 1)}…` : bare;
}


/***/ }),

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(79);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(500);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_timers_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _net_http_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(663);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(212);
/** Entry point: wires the real collaborators into the run (see main.ts) and the runner's cancel signals to it. */




const action = (0,_main_js__WEBPACK_IMPORTED_MODULE_3__/* .startRun */ .A)({
    core: _actions_core__WEBPACK_IMPORTED_MODULE_0__,
    env: process.env,
    createTransport: _net_http_js__WEBPACK_IMPORTED_MODULE_2__/* .createHttpTransport */ .St,
    sleep: async (ms) => {
        await (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_1__.setTimeout)(ms);
    },
    random: Math.random,
    now: () => new Date(),
    userAgent: 'invicti-scim-credentials/1',
});
// The runner cancels with SIGINT, then SIGTERM: write what is known, fail, and exit once stdout is flushed.
const onSignal = (signal) => {
    void action.cancel(signal).finally(() => process.stdout.write('', () => process.exit()));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
await action.done;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 212:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  A: () => (/* binding */ startRun)
});

// UNUSED EXPORTS: run

// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(916);
// EXTERNAL MODULE: ./src/runner/report.ts
var runner_report = __nccwpck_require__(190);
;// CONCATENATED MODULE: ./src/flows/cancel.ts
/**
 * The failure of a cancelled run: the runner sends SIGINT, then SIGTERM about
 * 7.5 s later, when a job is cancelled or exceeds `timeout-minutes`. The
 * error names the step that was in flight and what the platform had made.
 */


/**
 * @param signal `SIGINT` or `SIGTERM`.
 * @param step the last step sent to the platform, if any.
 * @param report what the run learned (undefined before the inputs were read).
 * @param clientName the `client-name` input, for a registration that may exist.
 */
function cancelledError(signal, step, report, clientName) {
    const registration = report?.registration;
    const stored = report
        ? Object.keys((0,runner_report/* outputsOf */.Y)(report)).filter((name) => name !== 'scim-url' && name !== 'token-url')
        : [];
    const outputs = stored.length === 0 ? '' : `; its ${stored.join(', ')} outputs are set`;
    let made;
    let fix = 're-run the job if the cancellation was not intended';
    if (registration) {
        const name = registration.name === '' ? '' : ` ("${registration.name}")`;
        made = `registration ${registration.id ?? '(id not returned)'}${name} was created${registration.authorized ? ' and authorized' : ' but not authorized'}${report?.token ? ', and its credentials got a token' : ''}${outputs}`;
        fix = registration.authorized
            ? 're-running creates another registration: to use this one, later steps of this job read its outputs, or an Owner reads its client secret on the platform; otherwise delete it there'
            : "authorize the registration by hand (step 3 of the platform's setup guide) or delete it in the platform; re-running creates another";
    }
    else if (report?.mode === 'provision' && step === 'create registration') {
        made = `the platform may have created a registration named "${clientName ?? ''}" anyway`;
        fix = `look for the registration named "${clientName ?? ''}" in the platform before re-running (re-running creates another)`;
    }
    else if (report?.mode === 'provision') {
        made = 'no registration was created';
    }
    else if (report?.mode === 'entra-check') {
        made = 'the check only reads, so nothing was changed';
    }
    else {
        made = report?.token ? `a bearer token was obtained${outputs}` : 'no token was obtained';
    }
    // With the Entra inputs: whether Entra may hold the old or the new values.
    const entra = report?.mode === 'entra-check' ? undefined : (0,runner_report/* entraHolds */.d)(report?.entra);
    if (entra !== undefined) {
        made = `${made}; ${entra}`;
        if (report?.entra?.save === 'sent')
            fix = `${fix}; then run mode entra-check to see whether the values Entra holds work`;
    }
    return new errors/* ActionError */.lZ({
        step: step ?? 'run',
        reason: `the run was cancelled (${signal})${step ? ' while this step was in flight' : ''}; ${made}`,
        fix,
    });
}

// EXTERNAL MODULE: ./src/client/answer.ts
var answer = __nccwpck_require__(629);
;// CONCATENATED MODULE: ./src/runner/names.ts
/**
 * The default names for this job attempt. Parts without their runner variable
 * are left out (a run outside a runner is named `Invicti SCIM credentials (local, 3f9a1c)`).
 * @param random uniform in [0, 1) (injected; `Math.random` in the action).
 */
function runNames(env, random) {
    const tag = Math.floor(random() * 0x1000000)
        .toString(16)
        .padStart(6, '0')
        .slice(-6);
    const repository = env['GITHUB_REPOSITORY'] || 'local';
    const runId = env['GITHUB_RUN_ID'];
    const attempt = env['GITHUB_RUN_ATTEMPT'];
    const job = env['GITHUB_JOB'];
    const run = runId ? `run ${runId}${attempt ? ` attempt ${attempt}` : ''}` : undefined;
    const parts = [repository, run, job ? `job ${job}` : undefined, tag].filter((part) => part !== undefined);
    const server = env['GITHUB_SERVER_URL'];
    const where = server && env['GITHUB_REPOSITORY'] && runId
        ? `${server}/${repository}/actions/runs/${runId}${attempt ? `/attempts/${attempt}` : ''}`
        : [repository, run].filter((part) => part !== undefined).join(' ');
    return {
        clientName: `Invicti SCIM credentials (${parts.join(', ')})`,
        clientDescription: `SCIM provisioning client created by the Invicti SCIM credentials action in ${where}${job ? ` (job ${job})` : ''}, tag ${tag}`,
        tag,
    };
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
// EXTERNAL MODULE: ./src/net/trust.ts
var trust = __nccwpck_require__(837);
;// CONCATENATED MODULE: ./src/runner/ca-certificate.ts
/**
 * The `ca-certificate` input (certificates of a private or corporate CA,
 * trusted besides Node's default CAs: `net/trust.ts`) and the warning when
 * certificate checks are off for the whole step.
 */





/** Largest `ca-certificate` file read, in bytes: a CA bundle is tens of kilobytes. */
const MAX_CA_FILE_BYTES = 1024 * 1024;
/** Why a `ca-certificate` file could not be read, by error code. */
const READ_FAILURES = {
    ENOENT: 'ENOENT: no such file',
    EISDIR: 'EISDIR: it is a folder',
    EACCES: 'EACCES: permission denied',
    ENOTREGULAR: 'not a regular file',
    EFBIG: `larger than ${MAX_CA_FILE_BYTES / (1024 * 1024)} MiB`,
};
/**
 * Reads the file `ca-certificate` names, as UTF-8: only a regular file of at
 * most {@link MAX_CA_FILE_BYTES} (checked before it is opened, so a FIFO,
 * device such as /dev/zero, or huge file never blocks or fills the run).
 * @throws Error with `code` (`ENOENT`, `EISDIR`, `ENOTREGULAR`, `EFBIG`, …).
 */
function readCaFile(path) {
    const stats = (0,external_node_fs_namespaceObject.statSync)(path);
    if (stats.isDirectory())
        throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    if (!stats.isFile())
        throw Object.assign(new Error('not a regular file'), { code: 'ENOTREGULAR' });
    if (stats.size > MAX_CA_FILE_BYTES)
        throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return (0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8');
}
/**
 * PEM text whose line breaks were written as the two characters `\n` (or
 * `\r\n`), as a value copied out of JSON or a one-line variable has them:
 * those become real line breaks. A PEM text holds no backslash otherwise.
 */
function unescapeLineBreaks(text) {
    return text.includes('\\') ? text.replace(/\\r\\n|\\n|\\r/gu, '\n') : text;
}
/**
 * A PEM block in the form RFC 7468 §2 gives it: one already in lines is kept;
 * one whose line breaks were turned into spaces (or lost) gets its base64 with
 * every white space removed, wrapped at 64 characters between its BEGIN and
 * END lines. A block whose body is not base64 is returned as it was (and fails
 * its X.509 check).
 */
function normalizePem(block) {
    const begin = `-----BEGIN ${block.label}-----`;
    const end = `-----END ${block.label}-----`;
    const inner = block.pem.slice(begin.length, block.pem.length - end.length);
    // Already in lines (as written by openssl, with LF or CRLF): kept as it is.
    if (/^\r?\n[^\s]+(?:\r?\n[^\s]+)*\r?\n$/u.test(inner))
        return block.pem;
    const body = inner.replace(/\s+/gu, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/u.test(body))
        return block.pem;
    return `${begin}\n${body.replace(/.{1,64}/gu, '$&\n')}${end}`;
}
/**
 * Reads the `ca-certificate` input: PEM text (anything holding `-----BEGIN`),
 * or else the path of a PEM file, relative to `workspace` (`GITHUB_WORKSPACE`;
 * the current folder when unset). Returns each certificate as its own PEM
 * block, checked as X.509; `[]` for an empty input. PEM pasted with its line
 * breaks written as `\n` or turned into spaces is read as the PEM it was.
 * @throws ActionError (step `inputs`) when the text or file is not PEM, holds
 * no certificate or a broken one, holds OpenSSL's `TRUSTED CERTIFICATE` form
 * (which Node ignores), or the file cannot be read.
 */
function readCaCertificates(input, workspace, readFile) {
    if (input === '')
        return [];
    let text = input;
    let source = 'input "ca-certificate"';
    if (!input.includes('-----BEGIN')) {
        if (/[\r\n]/u.test(input)) {
            throw (0,errors/* inputError */.Xu)('input "ca-certificate" is not PEM (no -----BEGIN CERTIFICATE----- line)', 'give the CA certificate in PEM form, with its BEGIN and END lines, or the path of a PEM file');
        }
        const path = (0,external_node_path_namespaceObject.isAbsolute)(input) ? input : (0,external_node_path_namespaceObject.resolve)(workspace ?? '.', input);
        // Quoted only whole: a value that came from a secret is masked by the
        // runner as a whole, and a cut or reshaped piece of it would not be.
        source =
            input.length <= 120 && (0,errors/* sanitize */.aj)(input, 120) === input
                ? `input "ca-certificate" names the file ${input}`
                : `input "ca-certificate" names a file (a ${input.length}-character path, not shown)`;
        try {
            text = readFile(path);
        }
        catch (error) {
            const code = error.code;
            const why = typeof code === 'string' ? ` (${READ_FAILURES[code] ?? code})` : '';
            throw (0,errors/* inputError */.Xu)(`${source}, which cannot be read${why}`, 'check the path (relative paths start at the workspace, so check out the repository first), or give the PEM text itself');
        }
        if (!text.includes('-----BEGIN')) {
            throw (0,errors/* inputError */.Xu)(`${source}, which is not PEM (no -----BEGIN CERTIFICATE----- line)`, 'convert it to PEM, e.g. openssl x509 -inform der -in ca.cer -out ca.pem');
        }
    }
    const blocks = (0,trust/* pemBlocks */.P)(unescapeLineBreaks(text));
    if (blocks.some((block) => block.label === 'TRUSTED CERTIFICATE')) {
        throw (0,errors/* inputError */.Xu)(`${source === 'input "ca-certificate"' ? 'input "ca-certificate"' : `${source}, which`} holds an OpenSSL trusted certificate (-----BEGIN TRUSTED CERTIFICATE-----), a form Node ignores`, 'give the plain certificate (-----BEGIN CERTIFICATE-----), e.g. from openssl x509 -in ca.pem -out ca-plain.pem');
    }
    const certificates = blocks.filter((block) => block.label === 'CERTIFICATE').map((block) => normalizePem(block));
    if (certificates.length === 0) {
        const kinds = [...new Set(blocks.map((block) => block.label))].join(', ');
        throw (0,errors/* inputError */.Xu)(`${source === 'input "ca-certificate"' ? 'input "ca-certificate"' : `${source}, which`} holds no certificate${kinds ? ` (only ${kinds})` : ''}`, "give the CA's certificate (-----BEGIN CERTIFICATE-----), never a private key");
    }
    certificates.forEach((pem, index) => {
        try {
            new external_node_crypto_namespaceObject.X509Certificate(pem);
        }
        catch {
            throw (0,errors/* inputError */.Xu)(`certificate ${index + 1} of ${source.replace(/^input "ca-certificate" names (?:the )?/u, 'the ')} is not a valid X.509 certificate`, 'copy the PEM block whole, with its BEGIN and END lines');
        }
    });
    return certificates;
}
/**
 * The warning for `NODE_TLS_REJECT_UNAUTHORIZED=0` in `env` (Node then accepts
 * any certificate for every request of the process), or undefined.
 */
function insecureTlsWarning(env) {
    if (env['NODE_TLS_REJECT_UNAUTHORIZED'] !== '0')
        return undefined;
    return ('NODE_TLS_REJECT_UNAUTHORIZED=0 is set for this step: certificate checks are off, so the password, API key and client secret ' +
        'would be sent to any server that answers for base-url. Remove it; to trust a private CA, use the ca-certificate input');
}

// EXTERNAL MODULE: ./src/runner/url-input.ts
var url_input = __nccwpck_require__(666);
;// CONCATENATED MODULE: ./src/runner/inputs.ts
/**
 * Input parsing: reads every input of action.yml once, masks the secret ones
 * the moment they are read, and checks them all before any request is sent.
 */





const MODES = ['provision', 'token', 'entra-check'];
/** The names of the Entra inputs (action.yml). */
const ENTRA_INPUT_NAMES = [
    'entra-tenant-id',
    'entra-client-id',
    'entra-service-principal-id',
    'entra-login-url',
    'entra-graph-url',
];
/**
 * True when the run must read the Entra inputs (`entra-inputs.ts`, loaded only then): the mode is
 * `entra-check`, or one of {@link ENTRA_INPUT_NAMES} is set.
 */
function wantsEntra(getInput, mode) {
    return mode === 'entra-check' || ENTRA_INPUT_NAMES.some((name) => getInput(name) !== '');
}
/** Public regions and their base URLs (the platform's setup guide: "Replace <base-url>…"; docs/platform-api.md). */
const REGIONS = {
    us: 'https://platform.invicti.com',
    eu: 'https://platform-eu.invicti.com',
    ca: 'https://platform-ca.invicti.com',
};
const SECRET_HINT = 'secrets are empty in workflows triggered from forks and by Dependabot, so check that the secret exists and is available to this run';
/**
 * The inputs each mode reads, among those without a default in action.yml: another mode's
 * input that is set is ignored, and the run says so ({@link unusedInputs}) rather than let the
 * user believe it took effect (e.g. `scim-check` with `mode: entra-check`).
 */
const READ_BY = {
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
function unusedInputs(getInput, mode) {
    const unused = Object.entries(READ_BY)
        .filter(([name, modes]) => !modes.includes(mode) && getInput(name) !== '')
        .map(([name]) => name);
    if (mode === 'entra-check' && getInput('scim-check').toLowerCase() === 'true')
        unused.push('scim-check');
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
function readInputs(getInput, env, mask, random = Math.random, readFile = readCaFile) {
    const rawPassword = getInput('password', { trimWhitespace: false });
    const rawApiKey = getInput('api-key', { trimWhitespace: false });
    const rawClientSecret = getInput('client-secret', { trimWhitespace: false });
    if (rawPassword.trim() !== '')
        mask(rawPassword);
    if (rawApiKey.trim() !== '')
        mask(rawApiKey);
    if (rawClientSecret.trim() !== '')
        mask(rawClientSecret);
    const password = rawPassword.trim();
    // A copied key often ends in a line break: trimmed without a note (a key has no white space of its own).
    const apiKey = rawApiKey.trim();
    const clientSecret = rawClientSecret.trim();
    const trimmedSecrets = [];
    if (password !== '' && password !== rawPassword)
        trimmedSecrets.push('password');
    if (clientSecret !== '' && clientSecret !== rawClientSecret)
        trimmedSecrets.push('client-secret');
    const modeInput = getInput('mode');
    const modeText = modeInput.toLowerCase();
    if (modeText === '')
        throw (0,errors/* inputError */.Xu)('input "mode" is required', `set mode to one of: ${MODES.join(', ')}`);
    if (!MODES.includes(modeText)) {
        throw (0,errors/* inputError */.Xu)(`input "mode" is ${(0,url_input/* quoted */.T)(modeInput)}`, `set mode to one of: ${MODES.join(', ')}`);
    }
    const mode = modeText;
    const { baseUrl, region } = resolveBaseUrl(getInput('base-url'), getInput('region'));
    const email = getInput('email');
    const clientId = getInput('client-id');
    // Provision authenticates as the Owner one way or the other (checkOwnerInputs); token needs both.
    const required = mode === 'token' ? { 'client-id': clientId, 'client-secret': clientSecret } : {};
    if (mode === 'provision')
        checkOwnerInputs(apiKey, email, password);
    for (const [name, value] of Object.entries(required)) {
        if (value !== '')
            continue;
        const secret = name === 'client-secret';
        throw (0,errors/* inputError */.Xu)(`input "${name}" is required in mode "${mode}" and is empty`, 
        // email and client-id are often passed from secrets too, so both kinds get the hint.
        secret ? `pass it from a secret; ${SECRET_HINT}` : `set ${name}; if it comes from a secret, ${SECRET_HINT}`);
    }
    if (mode === 'provision' && apiKey === '' && !/^[^@\s]+@[^@\s]+$/u.test(email)) {
        throw (0,errors/* inputError */.Xu)('input "email" is not an email address', "set email to the Owner account's email address");
    }
    const defaults = runNames(env, random);
    const verify = readBoolean(getInput, 'verify', true);
    const scimCheck = readBoolean(getInput, 'scim-check', false);
    // The SCIM check reads with the bearer token that `verify` gets: without it
    // the check cannot run, and skipping a check the user asked for would be a false pass.
    if (mode === 'provision' && scimCheck && !verify) {
        throw (0,errors/* inputError */.Xu)('input "scim-check" is true but input "verify" is false; in mode "provision" the SCIM check uses the bearer token that verify gets', 'set verify to true, or set scim-check to false');
    }
    const organizationId = readOrganizationId(getInput('organization-id'));
    // The organization is chosen at step 1's login, which an API key skips; how a key would choose
    // one is not documented, so the action refuses rather than provision in a guessed organization.
    if (mode === 'provision' && apiKey !== '' && organizationId !== '') {
        throw (0,errors/* inputError */.Xu)('input "organization-id" is set together with input "api-key"; organization-id is sent with the password login (step 1), which api-key skips', "remove organization-id to act as the API key's user, or use email and password with organization-id");
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
function withTrimNote(error, inputs, name) {
    if (!(error instanceof errors/* ActionError */.lZ) ||
        !inputs.trimmedSecrets.includes(name) ||
        (error.status !== 400 && error.status !== 401))
        return error;
    const what = name === 'password' ? 'password' : 'client secret';
    return (0,errors/* amend */.eI)(error, {
        fixNote: `note: input "${name}" began or ended with white space, which was removed before sending (GitHub Actions trims every input): if the ${what} really begins or ends with spaces, an input cannot carry them, so change it to one without`,
    });
}
/**
 * Mode provision authenticates as the Owner in exactly one way: `api-key`
 * (recommended; step 1 is skipped) or `email` + `password` (step 1's login).
 * The key must be one header-safe line (it is sent as `X-Auth`).
 * @throws ActionError naming the inputs given together, missing, or the bad key.
 */
function checkOwnerInputs(apiKey, email, password) {
    const login = Object.entries({ email, password })
        .filter(([, value]) => value !== '')
        .map(([name]) => `"${name}"`);
    if (apiKey !== '') {
        if (login.length > 0) {
            throw (0,errors/* inputError */.Xu)(`input "api-key" is set together with input${login.length > 1 ? 's' : ''} ${login.join(' and ')}`, 'mode "provision" authenticates one way: keep api-key (recommended) and remove email and password, or remove api-key');
        }
        if (!answer/* BEARER_TOKEN */.mJ.test(apiKey)) {
            throw (0,errors/* inputError */.Xu)('input "api-key" contains a line break or another character an HTTP header cannot carry', 'copy the key again from User settings → API key in the platform: it is a single line of text');
        }
        return;
    }
    if (login.length === 0) {
        throw (0,errors/* inputError */.Xu)('inputs "api-key", "email" and "password" are all empty; mode "provision" needs an Owner\'s API key, or an Owner\'s email and password', `pass an Owner's API key in api-key (recommended), or email and password; ${SECRET_HINT}`);
    }
    if (password === '') {
        throw (0,errors/* inputError */.Xu)('input "password" is empty but input "email" is set', `pass the Owner's password from a secret, or use api-key instead of email and password; ${SECRET_HINT}`);
    }
    if (email === '') {
        throw (0,errors/* inputError */.Xu)('input "email" is empty but input "password" is set', `set email to the Owner account's email address, or use api-key instead of email and password; if it comes from a secret, ${SECRET_HINT}`);
    }
}
/**
 * Resolves `base-url` and `region` to one base URL (no trailing slash).
 * HTTPS is required except for loopback hosts. With neither set: the US platform.
 * @throws ActionError naming `base-url` or `region`.
 */
function resolveBaseUrl(baseUrlInput, regionInput) {
    let region;
    if (regionInput !== '') {
        const key = regionInput.toLowerCase();
        if (!Object.hasOwn(REGIONS, key)) {
            throw (0,errors/* inputError */.Xu)(`input "region" is ${(0,url_input/* quoted */.T)(regionInput)}`, `set region to one of: ${Object.keys(REGIONS).join(', ')}, or set base-url instead`);
        }
        region = key;
    }
    if (baseUrlInput === '') {
        const chosen = region ?? 'us';
        return { baseUrl: REGIONS[chosen], region: chosen };
    }
    const baseUrl = normalizeBaseUrl(baseUrlInput);
    if (region !== undefined && REGIONS[region] !== baseUrl) {
        throw (0,errors/* inputError */.Xu)(`input "region" (${region}: ${REGIONS[region]}) and input "base-url" (${baseUrl}) disagree`, 'set only one of region and base-url');
    }
    return { baseUrl, region };
}
/**
 * URLs the summary, the outputs and Microsoft Entra ID show that are not the
 * base URL: the token endpoint, the SCIM Tenant URL, and the API root
 * (the token audience). A base-url ending in one of them is refused.
 */
const NOT_BASE_PATHS = ['/oauth/token', '/api/scim/v2', '/api'];
function normalizeBaseUrl(text) {
    refuseEndpointPath(text);
    const url = (0,url_input/* checkUrl */.C)('base-url', text, {
        example: 'set base-url like https://platform.invicti.com (with https:// and no path unless your on-premises platform has a path prefix)',
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
function refuseEndpointPath(text) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return;
    }
    const path = url.pathname.replace(/\/+$/u, '');
    const endpoint = NOT_BASE_PATHS.find((suffix) => path.toLowerCase().endsWith(suffix));
    if (endpoint === undefined || !/^https?:$/u.test(url.protocol))
        return;
    const base = `${url.origin}${path.slice(0, path.length - endpoint.length)}`;
    const what = endpoint === '/oauth/token'
        ? 'the token endpoint (the token-url output)'
        : endpoint === '/api/scim/v2'
            ? "the SCIM Tenant URL (the scim-url output, Microsoft Entra ID's Tenant URL)"
            : 'the platform API (the token audience)';
    throw (0,errors/* inputError */.Xu)(`input "base-url" ends in ${endpoint}, which makes it ${what}, not the platform's base URL`, `remove ${endpoint} from base-url: set it to ${(0,errors/* sanitize */.aj)(base, 200)}`);
}
/**
 * `audience`: the platform API's identifier for the token request (step 4), when it is not
 * `<base-url>/api`. Kept as given: the token server compares it as a string.
 * @throws ActionError naming `audience`.
 */
function readAudience(text) {
    if (text === '')
        return undefined;
    (0,url_input/* checkUrl */.C)('audience', text, {
        example: 'set audience to the platform API identifier, an absolute URL like https://platform.example.com/api, or leave it unset for <base-url>/api',
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
function readOrganizationId(text) {
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f\u007f-\u009f]/u.test(text)) {
        throw (0,errors/* inputError */.Xu)('input "organization-id" contains white space or a control character', "set organization-id to the organization's id alone, as the platform shows it");
    }
    return text;
}
function readBoolean(getInput, name, fallback) {
    const text = getInput(name);
    if (text === '')
        return fallback;
    if (['true', 'True', 'TRUE'].includes(text))
        return true;
    if (['false', 'False', 'FALSE'].includes(text))
        return false;
    throw (0,errors/* inputError */.Xu)(`input "${name}" is ${(0,url_input/* quoted */.T)(text)}`, `set ${name} to true or false`);
}
function readInteger(getInput, name, fallback, min, max) {
    const text = getInput(name);
    if (text === '')
        return fallback;
    const value = Number(text);
    if (!/^\d+$/u.test(text) || value < min || value > max) {
        throw (0,errors/* inputError */.Xu)(`input "${name}" is ${(0,url_input/* quoted */.T)(text)}`, `set ${name} to a whole number from ${min} to ${max}`);
    }
    return value;
}

;// CONCATENATED MODULE: ./src/runner/log.ts
/**
 * The step's log. The runner reads every line the action prints as a possible
 * workflow command (actions/runner `ActionCommand`): `::cmd props::data` at a
 * line's trimmed start, and the legacy `##[cmd props]data` anywhere in a line;
 * `##[stop-commands]TOKEN` would turn off the `::add-mask::` lines after it.
 * So every text goes out through {@link createRunLog}, which makes it inert
 * ({@link inertLine}) at this one place instead of at each call site.
 */

/** U+200B ZERO WIDTH SPACE: invisible, and white space neither to .NET's TrimStart nor to JavaScript's trim. */
const BREAK = '\u200b';
/**
 * `text` as one log line that the runner shows and never obeys: each line
 * break (`\r\n`, `\n`, a lone `\r`: where the runner's ReadLine ends a line)
 * becomes one space; bidirectional controls are removed (errors.ts `stripBidi`); every `##[` becomes `##\u200b[`; and `::` at the trimmed
 * start of the line becomes `:\u200b:`. The text reads the same; only the
 * runner's parser no longer matches it. Redact secrets first: the changed text
 * no longer matches a registered mask.
 */
function inertLine(text) {
    return (0,errors/* stripBidi */.J3)(text)
        .replace(/\r\n|\r|\n/gu, ' ')
        .replace(/##\[/gu, `##${BREAK}[`)
        .replace(/^([\s\u0085]*):(?=:)/u, `$1:${BREAK}`);
}
/**
 * Wraps `core` so that every message (info, debug, notice, warning, group
 * name, failure) has the registered secrets replaced by `***` (`redact`) and is
 * then made inert ({@link inertLine}) before `@actions/core` prints it.
 */
function createRunLog(core, redact) {
    const safe = (message) => inertLine(redact(message));
    return {
        info: (message) => core.info(safe(message)),
        debug: (message) => core.debug(safe(message)),
        notice: (message) => core.notice(safe(message)),
        warning: (message) => core.warning(safe(message)),
        fail: (message) => core.setFailed(safe(message)),
        group: (name, fn) => core.group(safe(name), fn),
    };
}

;// CONCATENATED MODULE: ./src/runner/mask.ts
/**
 * Every form of `secret` that must be masked, without duplicates or empty
 * strings: the whole value, the value trimmed, each non-blank line, and the
 * URL-encoded, form-encoded and JSON-escaped forms of each of those. The
 * percent-encoded forms come with upper-case hex digits (`%2F`, as
 * `encodeURIComponent` writes them) and lower-case ones (`%2f`, as many
 * servers echo them; RFC 3986 §2.1 makes both equivalent), and the URL-encoded
 * form also with `! ' ( ) *` escaped (RFC 3986's reserved set).
 *
 * The JSON-escaped forms (servers escape a string differently; RFC 8259 §7
 * allows any character as `\uXXXX`) are, for each of those:
 * - `JSON.stringify`'s: `"` `\` as `\"` `\\`, control characters as `\b \t \n \f \r`
 *   or `\u00xx` (lower-case hex, as it writes them), everything else as is;
 * - the same with every `/` as `\/` (Java and PHP encoders);
 * - .NET's default encoder (`System.Text.Json`, Microsoft Graph): `"` `&` `'` `+` `<` `>`
 *   `` ` ``, U+007F and every non-ASCII character as `\uXXXX` (one per UTF-16 code unit),
 *   `\` as `\\`, control characters as `\b \t \n \f \r` or `\u00XX`, `/` as is; and the
 *   same with every `/` as `\/` (as a log showed one: `Pa\u002Bss\/w\u003Crd`);
 * - every character that is not an ASCII letter or digit as `\uXXXX`;
 *
 * the .NET and all-escaped forms each with upper-case hex digits (as .NET writes them) and
 * with lower-case ones.
 */
function secretForms(secret) {
    const bases = new Set([secret, secret.trim()]);
    for (const line of secret.split(/\r\n|\r|\n/u)) {
        bases.add(line);
        bases.add(line.trim());
    }
    const forms = new Set();
    for (const base of bases) {
        if (base.trim() === '')
            continue;
        forms.add(base);
        const uri = safeEncodeURIComponent(base);
        // RFC 3986 §2.2 also reserves ! ' ( ) *, which encodeURIComponent leaves as they are.
        const strict = uri.replace(/[!'()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
        for (const encoded of [uri, strict, new URLSearchParams({ v: base }).toString().slice(2)]) {
            forms.add(encoded);
            forms.add(encoded.replace(/%[0-9A-F]{2}/gu, (escape) => escape.toLowerCase()));
        }
        const json = JSON.stringify(base).slice(1, -1);
        forms.add(json);
        // JSON.stringify writes `/` only as itself, never inside an escape.
        forms.add(json.replaceAll('/', '\\/'));
        for (const upper of [true, false]) {
            const dotNet = dotNetEscaped(base, upper);
            forms.add(dotNet);
            forms.add(dotNet.replaceAll('/', '\\/'));
            forms.add(allEscaped(base, upper));
        }
    }
    return [...forms].filter((form) => form.trim() !== '');
}
/**
 * Creates the action's {@link Mask}: each distinct form is registered once
 * with `setSecret`, in the order {@link secretForms} gives (the raw value first).
 */
function createMask(setSecret) {
    const registered = new Set();
    return (secret) => {
        for (const form of secretForms(secret)) {
            if (registered.has(form))
                continue;
            registered.add(form);
            setSecret(form);
        }
        return secret;
    };
}
/**
 * Replaces every occurrence of each of `forms` in `text` by `***`, longest
 * form first, as the runner does with registered masks. For text the runner
 * will not mask as is: server text about to be shortened or reflowed, files.
 */
function redact(text, forms, options = {}) {
    let out = text;
    for (const form of [...new Set(forms)].filter((f) => f !== '').sort((a, b) => b.length - a.length)) {
        out = options.ignoreCase
            ? out.replace(new RegExp(form.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'), 'giu'), '***')
            : out.split(form).join('***');
    }
    return out;
}
/** `\uXXXX` for one UTF-16 code unit, with upper- or lower-case hex digits. */
function unicodeEscape(unit, upper) {
    const hex = unit.toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
}
/** The escapes JSON.stringify writes for control characters that have a short one. */
const SHORT_ESCAPES = {
    '\b': '\\b',
    '\t': '\\t',
    '\n': '\\n',
    '\f': '\\f',
    '\r': '\\r',
};
/**
 * The inside of a JSON string as .NET's default `JavaScriptEncoder` writes it: `"` `&` `'` `+`
 * `<` `>` `` ` ``, U+007F and every non-ASCII UTF-16 code unit as `\uXXXX`, `\` as `\\`,
 * control characters as JSON.stringify writes them, `/` as is; hex digits upper-case (as .NET
 * writes them) or lower-case.
 */
function dotNetEscaped(value, upper) {
    let out = '';
    for (let i = 0; i < value.length; i++) {
        const c = value.charAt(i);
        const unit = value.charCodeAt(i);
        if (c === '\\')
            out += '\\\\';
        else if (SHORT_ESCAPES[c] !== undefined)
            out += SHORT_ESCAPES[c];
        else if (unit < 0x20 || unit >= 0x7f || `"&'+<>\``.includes(c))
            out += unicodeEscape(unit, upper);
        else
            out += c;
    }
    return out;
}
/** Every UTF-16 code unit that is not an ASCII letter or digit as `\uXXXX`, upper- or lower-case hex. */
function allEscaped(value, upper) {
    let out = '';
    for (let i = 0; i < value.length; i++) {
        const c = value.charAt(i);
        out += /[A-Za-z0-9]/u.test(c) ? c : unicodeEscape(value.charCodeAt(i), upper);
    }
    return out;
}
// encodeURIComponent throws on lone surrogates; the form-encoder replaces them.
function safeEncodeURIComponent(value) {
    return encodeURIComponent(value.toWellFormed());
}

// EXTERNAL MODULE: ./src/net/body.ts
var body = __nccwpck_require__(739);
// EXTERNAL MODULE: ./src/net/http.ts
var http = __nccwpck_require__(663);
;// CONCATENATED MODULE: ./src/net/retry.ts
/**
 * Retry policy: which failures are worth another attempt, and how long to wait.
 * Transient: network failures, 408, 429, 500, 502, 503, 504. Waits honour
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date, the date
 * measured against the response's own `Date`), or on 429/503 without it
 * `RateLimit-Reset` / `X-RateLimit-Reset` (seconds), capped; otherwise
 * exponential backoff with full jitter.
 */
/** HTTP statuses that are retried on idempotent calls. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** The backoff the action uses: first wait below 1 s, computed waits at most 10 s, `Retry-After` at most 60 s. */
const DEFAULT_BACKOFF = { baseMs: 1000, maxMs: 10_000, retryAfterCapMs: 60_000 };
/** A header's value as one trimmed string (the first of repeated ones); '' when absent. */
function headerText(value) {
    return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}
/** An HTTP-date (IMF-fixdate, RFC 850 or asctime) in ms since the epoch, or undefined. */
function httpDate(text) {
    // It starts with a day name; this keeps Date.parse's leniency from reading "1.5" or "-1" as a date.
    if (!/^[A-Za-z]{3,9},? /u.test(text))
        return undefined;
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : date;
}
/**
 * Parses a `Retry-After` header value into milliseconds from now.
 * Returns `undefined` when absent or unparsable; a date in the past gives 0.
 * @param value header value: delay-seconds (`"120"`) or an HTTP-date.
 * @param now current time, for HTTP-dates.
 * @param serverDate the response's `Date` header: when it is a valid HTTP-date,
 * an HTTP-date is measured against it instead of `now` (the runner's and the
 * server's clocks may differ by minutes).
 */
function parseRetryAfter(value, now, serverDate) {
    const text = headerText(value);
    if (text === '')
        return undefined;
    if (/^\d+$/u.test(text))
        return Number(text) * 1000;
    const date = httpDate(text);
    if (date === undefined)
        return undefined;
    return Math.max(0, date - (httpDate(headerText(serverDate)) ?? now.getTime()));
}
/** Rate-limit headers read on 429 and 503 without `Retry-After`, in this order. */
const RESET_HEADERS = ['ratelimit-reset', 'x-ratelimit-reset'];
/**
 * A `RateLimit-Reset` or `X-RateLimit-Reset` value in milliseconds from now:
 * seconds to wait; a number of seconds above 10^9 is a Unix time (as some APIs
 * send `X-RateLimit-Reset`), measured like an HTTP-date.
 */
function parseReset(value, reference) {
    const text = headerText(value);
    if (!/^\d{1,12}$/u.test(text))
        return undefined;
    const seconds = Number(text);
    return seconds > 1e9 ? Math.max(0, seconds * 1000 - reference) : seconds * 1000;
}
/**
 * What a failed response asks the client to wait: its `Retry-After`
 * ({@link parseRetryAfter}, dates against the response's `Date`); on 429 and
 * 503 without a usable one, `RateLimit-Reset` or `X-RateLimit-Reset` (seconds).
 * Undefined when it asks nothing usable. Capped by {@link backoffDelayMs}.
 * @param headers the response's headers, names in lower case.
 * @param now the runner's current time.
 */
function serverWait(status, headers, now) {
    const retryAfter = parseRetryAfter(headers['retry-after'], now, headers['date']);
    if (retryAfter !== undefined)
        return { ms: retryAfter, header: 'Retry-After' };
    if (status !== 429 && status !== 503)
        return undefined;
    const reference = httpDate(headerText(headers['date'])) ?? now.getTime();
    for (const name of RESET_HEADERS) {
        const ms = parseReset(headers[name], reference);
        if (ms !== undefined)
            return { ms, header: name === 'ratelimit-reset' ? 'RateLimit-Reset' : 'X-RateLimit-Reset' };
    }
    return undefined;
}
/**
 * How long to wait before attempt `attempt + 1`, in milliseconds.
 * With a `Retry-After` of `retryAfterMs`, that value capped at `retryAfterCapMs`;
 * otherwise full jitter: `random() * min(maxMs, baseMs * 2^(attempt-1))`.
 * @param attempt the attempt that just failed, from 1.
 * @param retryAfterMs the server's `Retry-After` in milliseconds ({@link parseRetryAfter}), if any.
 * @param random uniform in [0, 1) (`Math.random`, replaceable in tests).
 */
function backoffDelayMs(attempt, retryAfterMs, random, options = DEFAULT_BACKOFF) {
    if (retryAfterMs !== undefined)
        return Math.min(retryAfterMs, options.retryAfterCapMs);
    const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
    return Math.floor(random() * ceiling);
}

;// CONCATENATED MODULE: ./src/client/fixes.ts
/**
 * Why an API key is refused on the identity API (401), and the fallback: the
 * key was regenerated or deleted ("Manage your API key"), is a user's of
 * another platform, or the installation does not take keys there (the setup
 * guide documents only the password login).
 */
function apiKeyRejected(host) {
    return ('the API key in input api-key was rejected: it was regenerated or deleted (User settings → API key; put the current key in the secret), ' +
        `it belongs to a user of another platform than ${host} (check region or base-url), or this installation does not accept API keys on the identity API; ` +
        "in that case use inputs email and password instead (the login the platform's setup guide documents)");
}
/**
 * The fix for an HTTP error status at a step; `code` is the platform's error
 * code, if any; `host` the platform host the run talked to (wrong-region hints);
 * `auth` how steps 2–3 authenticated as the Owner (API key or login token).
 */
function fixFor(step, status, code, host = 'this platform', auth = 'password') {
    // Without region or base-url the US platform is used: the likeliest cause of "wrong credentials".
    const where = `they must belong to ${host}${host === 'platform.invicti.com' ? ' (the US platform, used when neither region nor base-url is set)' : ''}`;
    if (status === 429) {
        // Creating a registration is never retried, so more attempts would not help there.
        return step === 'create registration'
            ? 'the platform is rate limiting; wait a few minutes and re-run'
            : 'the platform is rate limiting; wait and re-run, or raise max-attempts';
    }
    if (status >= 500)
        return 'the platform had a server error; re-run the job later';
    if (status === 404 && step !== 'authorize') {
        return 'check base-url (or region): the platform has no such endpoint there; an on-premises URL may need its path prefix';
    }
    switch (step) {
        case 'login':
            if (status === 401 || status === 400)
                return `check the email and password inputs of an Owner account; ${where}`;
            if (status === 403)
                return 'the account cannot log in here: check that it is an active Owner account of this platform';
            break;
        case 'create registration':
        case 'authorize':
            if (status === 403) {
                return auth === 'api-key'
                    ? "the user whose API key is in input api-key needs the Owner role: use an Owner's API key"
                    : 'the account in input "email" needs the Owner role';
            }
            if (status === 401) {
                return auth === 'api-key'
                    ? apiKeyRejected(host)
                    : 'the login token was rejected; re-run the job, and check that email belongs to this platform';
            }
            if (status === 404)
                return 'the registration was not found; re-run provision to create a new one';
            if (status === 400)
                return 'the platform rejected the request; check client-name and client-description';
            break;
        case 'token':
            if (code === 'invalid_client' || status === 401) {
                return `check the client-id and client-secret inputs (${where}): client-id is credentials.clientId (the client-id output of provision), not the registration UUID`;
            }
            if (code === 'access_denied' || status === 403) {
                return "the registration was never authorized for the platform API (step 3 of the platform's setup guide); run this action with mode: provision, or authorize its registration id";
            }
            if (code === 'unauthorized_client')
                return 'the registration does not allow the client_credentials grant; provision a new one with this action';
            if (status === 400)
                return 'check base-url or region: the token audience is <base-url>/api and must match the platform';
            break;
        case 'SCIM check':
            if (status === 401 || status === 403)
                return 'the bearer token was not accepted for SCIM; check that the registration is authorized for the platform API';
            break;
        default:
            break;
    }
    return 'check base-url and the inputs of this step, then re-run';
}

;// CONCATENATED MODULE: ./src/client/network-advice.ts
/**
 * What a failure with no HTTP response means and what to do about it: the
 * retry decision and the words of the `::error::` for each {@link TransportError}
 * kind. TLS codes are OpenSSL's verification codes and Node's
 * (`X509_V_ERR_*` without the prefix, `ERR_TLS_CERT_ALTNAME_INVALID`).
 */

/** How to trust a private CA: the ca-certificate input, never checks turned off. */
const TRUST_FIX = 'if the platform uses a private or corporate CA, pass its root certificate (PEM text, or a file in the repository) in the ca-certificate input; never turn certificate checks off';
/** Per OpenSSL/Node code: which check failed, and its fix when it is not {@link TRUST_FIX}. */
const TLS_CHECKS = {
    DEPTH_ZERO_SELF_SIGNED_CERT: { check: 'is self-signed and not trusted' },
    SELF_SIGNED_CERT_IN_CHAIN: { check: 'ends in a root CA the runner does not trust' },
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { check: 'is issued by a CA the runner does not trust' },
    UNABLE_TO_GET_ISSUER_CERT: { check: 'is issued by a CA the runner does not trust' },
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
        check: 'cannot be traced to a trusted CA (the server may not send its intermediate certificate)',
        fix: "have the server send its full chain, or pass the issuing CA's certificates (PEM text, or a file in the repository) in the ca-certificate input",
    },
    CERT_HAS_EXPIRED: {
        check: 'has expired',
        fix: "have the platform's administrators renew the certificate; if it is valid, check the runner's clock",
    },
    CERT_NOT_YET_VALID: { check: 'is not valid yet', fix: "check the runner's clock, or have the certificate reissued" },
    CERT_REVOKED: { check: 'has been revoked', fix: "have the platform's administrators replace the certificate" },
    ERR_TLS_CERT_ALTNAME_INVALID: {
        check: '',
        fix: 'set base-url to a host name the certificate is for, or have the certificate reissued for this name',
    },
};
/**
 * True when another attempt may help: a connection that was never made or a
 * tunnel the proxy never opened (the platform never saw the request, so even
 * creating a registration may be sent again), or any other passing failure of
 * an idempotent call. Certificate and protocol failures, a proxy that
 * refuses (407, 403), a body too large or compressed unreadably, and response
 * headers over Node's limit are permanent. A request of which not one byte was
 * written (a connect timeout, a reused connection that failed on the first
 * write) may be sent again even when it creates something.
 */
function mayRetry(failure, idempotent) {
    // A body too large or compressed in a way the action cannot read, or headers over Node's
    // limit (`deterministic`): the same again on every attempt.
    if (failure.details.deterministic === true)
        return false;
    if (failure.code !== undefined && body/* DETERMINISTIC_BODY_FAILURES */.Er.has(failure.code))
        return false;
    switch (failure.kind) {
        case 'tls':
            return false;
        case 'proxy': {
            const status = failure.details.proxyStatus;
            return status === undefined || status === 502 || status === 503 || status === 504;
        }
        case 'refused':
            return true;
        default:
            return idempotent || !failure.reached;
    }
}
/**
 * The words of a failure that got no HTTP response from `host` (`host:port`
 * as in base-url). `timeoutMs` is the per-request limit in milliseconds.
 */
function adviseTransportFailure(failure, host, timeoutMs, target = { name: 'the platform', urlSetting: 'base-url' }) {
    const advice = adviseFor(failure, host, timeoutMs);
    if (target.name === 'the platform' && target.urlSetting === 'base-url')
        return advice;
    // The words are written for the platform: another server gets its own name and URL input.
    const retarget = (text) => text.replace(/base-url \(or region\)|base-url/gu, target.urlSetting).replace(/the platform/gu, target.name);
    return { what: retarget(advice.what), fix: retarget(advice.fix) };
}
function adviseFor(failure, host, timeoutMs) {
    switch (failure.kind) {
        case 'timeout':
            return {
                what: `no response from ${host} within the ${timeoutMs / 1000} s limit (timeout-seconds)`,
                fix: 'check that the platform is reachable from the runner, or raise timeout-seconds',
            };
        case 'refused':
            if (failure.code === 'ETIMEDOUT') {
                return {
                    what: `could not connect to ${host}: no connection within the ${timeoutMs / 1000} s limit (connect timeout), so nothing was sent`,
                    fix: "check base-url (or region), that no firewall drops the runner's connections to the platform, and the runner's proxy settings (https_proxy)",
                };
            }
            return {
                what: `could not connect to ${host} (${failure.code ?? 'refused'})`,
                fix: "check base-url (or region) and the runner's network and proxy settings",
            };
        case 'tls':
            return adviseTls(failure, host);
        case 'proxy':
            return adviseProxy(failure, host);
        default:
            if (failure.code === 'HPE_HEADER_OVERFLOW') {
                return {
                    what: `${failure.message} from ${host}; the answer is the same on every attempt, so it was not retried`,
                    fix: "check base-url and any proxy between the runner and the platform (too many or too large headers, often cookies); if the platform really sends them, raise Node's limit for the step with NODE_OPTIONS=--max-http-header-size=65536",
                };
            }
            return {
                what: `${failure.message} while talking to ${host}`,
                fix: 're-run the job; if it persists, check the network and any proxy between the runner and the platform',
            };
    }
}
/**
 * TLS advice; when an https_proxy was in force, the proxy and the issuer of the
 * certificate the runner saw are named (an intercepting proxy re-signs with its own CA).
 */
function adviseTls(failure, host) {
    const advice = adviseTlsCheck(failure, host);
    const { proxy, issuer } = failure.details;
    if (proxy === undefined || failure.code === 'ERR_SSL_WRONG_VERSION_NUMBER')
        return advice;
    return {
        what: `${advice.what}; the connection went through the proxy ${proxy} (https_proxy)${issuer ? ` and the certificate seen was issued by ${issuer}` : ''}`,
        fix: `if the proxy intercepts TLS it re-signs with its own CA: pass that CA's certificate in the ca-certificate input, or add the platform's host to no_proxy if it is reachable directly; otherwise ${advice.fix}`,
    };
}
function adviseTlsCheck(failure, host) {
    const code = failure.code ?? 'TLS';
    if (failure.details.weakness !== undefined) {
        return {
            what: `the certificate of ${host} was refused by Node as too weak ("${failure.details.weakness}", ${code})`,
            fix: "have the platform's administrators replace the certificate (Node 24 refuses RSA keys under 2048 bits and SHA-1 signatures); ca-certificate cannot make it acceptable",
        };
    }
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
        return {
            what: `${host} answered in plain HTTP, not TLS (${code})`,
            fix: "check the port in base-url: it must be the platform's HTTPS port (a plain-HTTP port is refused for credentials)",
        };
    }
    const hostname = host.replace(/:\d+$/u, '');
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        const names = failure.details.certificateNames;
        return {
            what: `the certificate of ${host} is not valid for ${hostname} (${code}${names ? `; it is for ${names}` : ''})`,
            fix: TLS_CHECKS[code]?.fix ?? TRUST_FIX,
        };
    }
    const known = Object.hasOwn(TLS_CHECKS, code) ? TLS_CHECKS[code] : undefined;
    if (known)
        return { what: `the certificate of ${host} ${known.check} (${code})`, fix: known.fix ?? TRUST_FIX };
    return { what: `the TLS connection to ${host} failed its checks (${code})`, fix: `check base-url; ${TRUST_FIX}` };
}
function adviseProxy(failure, host) {
    const proxy = failure.details.proxy ?? 'the proxy';
    const status = failure.details.proxyStatus;
    if (status === 407) {
        return {
            what: `the proxy ${proxy} refused to open a tunnel to ${host}: HTTP 407 Proxy Authentication Required`,
            fix: "give the proxy's credentials in the runner's https_proxy (http://user:password@host:port), or add the platform's host to no_proxy if it is reachable directly",
        };
    }
    if (status !== undefined) {
        return {
            what: `the proxy ${proxy} refused to open a tunnel to ${host}: HTTP ${status}`,
            fix: "ask the proxy's administrators to allow CONNECT to the platform's host and port, or add that host to no_proxy if it is reachable directly",
        };
    }
    return {
        what: `could not reach the proxy ${proxy} (${failure.code ?? 'no connection'}) on the way to ${host}`,
        fix: "check the runner's https_proxy setting (host and port of a running proxy), or add the platform's host to no_proxy",
    };
}

;// CONCATENATED MODULE: ./src/client/request.ts
/**
 * The shared request core of every client (the platform's `identity.ts`, `oauth.ts`,
 * `scim.ts`; Microsoft's `github-oidc.ts`, `entra.ts`, `graph.ts`): one transport, the retry
 * policy of `retry.ts`, JSON parsing of answers, and the mapping of failures to
 * {@link ActionError}s that name the step, the HTTP status, the server's error and a fix.
 * Each core has a base URL and a {@link Service} (how errors name the server, which input
 * sets its URL, its fixes: `fixes.ts` for the platform); {@link ApiCore.withBase} makes a
 * core for another server over the same transport. The API facts behind each call are in
 * `docs/platform-api.md` and `docs/entra-graph-api.md`.
 */






// What a server's answer may carry (shared with the Entra clients, which load lazily).


/** The Invicti Platform: fixes from `fixes.ts`; its URL is set by `base-url` (or `region`). */
const PLATFORM = {
    ...answer/* PLATFORM_WORDS */.Oy,
    name: 'the platform',
    urlSetting: 'base-url',
    fixFor: (step, status, error, host, auth) => fixFor(step, status, error.code, host, auth),
    redirectFix: "set base-url to the platform's own URL (region us, eu or ca, or your on-premises URL), not one that redirects",
};
/** The request/retry core one run's clients share (one transport, so one connection). */
class ApiCore {
    options;
    redact;
    service;
    constructor(options) {
        this.options = options;
        this.redact = options.redact ?? ((text) => text);
        this.service = options.service ?? PLATFORM;
    }
    /**
     * A core for another server (`baseUrl` without trailing slash, its {@link Service}) with
     * this core's transport, retry policy, mask, log and clock: one request core for every client.
     */
    withBase(baseUrl, service) {
        return new ApiCore({ ...this.options, baseUrl, service });
    }
    /**
     * Sends one call with the retry policy (`retry.ts`): idempotent calls are retried on network
     * failures and {@link RETRYABLE_STATUSES}; a call that never reached the platform is retried
     * always; certificate failures and a refusing proxy never (`network-advice.ts` `mayRetry`).
     * An idempotent call whose kept-alive connection is found dead (`stale`) is sent again at once
     * on a new connection, once, without using up an attempt.
     * @returns the 2xx response.
     * @throws ActionError naming the call's step, the status and a fix; never a redirect target.
     */
    async send(call) {
        const { transport, timeoutMs, maxAttempts, random, now, log } = this.options;
        const url = `${this.options.baseUrl}${call.path}`;
        const pathOnly = new URL(url).pathname;
        let resentOnNewConnection = false;
        for (let attempt = 1;; attempt += 1) {
            this.options.onSend?.(call.step);
            call.onAttempt?.(attempt);
            const started = Date.now();
            let response;
            try {
                response = await transport.send({ method: call.method, url, headers: call.headers, body: call.body }, timeoutMs);
            }
            catch (error) {
                const failure = error instanceof http/* TransportError */.wX ? error : new http/* TransportError */.wX('network', 'network error');
                log.debug(`${call.method} ${pathOnly} → ${failure.message} after ${Date.now() - started} ms`);
                // Not for creating a registration: no byte of a response does not prove the platform did
                // not act (it may have read the request before the connection died; RFC 9112 §9.3.1).
                if (failure.kind === 'stale' && call.idempotent && !resentOnNewConnection) {
                    resentOnNewConnection = true;
                    attempt -= 1;
                    log.info(`${call.step}: the kept-alive connection, idle since the previous call, was reset before any response; sent again at once on a new connection`);
                    continue;
                }
                if (mayRetry(failure, call.idempotent) && attempt < maxAttempts) {
                    await this.#wait(call, attempt, failure.message, backoffDelayMs(attempt, undefined, random, this.#backoff));
                    continue;
                }
                throw transportError(call, failure, attempt, timeoutMs, new URL(url).host, this.service);
            }
            log.debug(`${call.method} ${pathOnly} → HTTP ${response.status} in ${Date.now() - started} ms`);
            if (response.status >= 200 && response.status < 300)
                return response;
            if (call.idempotent && RETRYABLE_STATUSES.has(response.status) && attempt < maxAttempts) {
                const asked = serverWait(response.status, response.headers, now());
                const delay = backoffDelayMs(attempt, asked?.ms, random, this.#backoff);
                await this.#wait(call, attempt, `HTTP ${response.status}${asked ? ` with ${asked.header}` : ''}`, delay);
                continue;
            }
            throw httpError(call, url, response, attempt, this.redact, this.service);
        }
    }
    /**
     * Parses a 2xx answer of `step` as JSON ({@link parseJson}: a byte-order mark
     * is skipped, a JSON body under another label is read with a warning).
     * `secrets(body)` masks the secrets the body carries; it runs before any
     * warning about the answer is logged.
     * @throws ActionError when the body is not JSON (e.g. an HTML login page).
     */
    readJson(step, response, secrets) {
        const warnings = [];
        const body = parseJson(step, response, this.redact, (message) => warnings.push(message), this.service);
        secrets?.(body);
        for (const message of warnings)
            this.options.log.warning(message);
        return body;
    }
    get #backoff() {
        return this.options.backoff ?? DEFAULT_BACKOFF;
    }
    async #wait(call, attempt, reason, delayMs) {
        this.options.log.info(`${call.step}: attempt ${attempt} of ${this.options.maxAttempts} failed (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`);
        await this.options.sleep(delayMs);
    }
}
/**
 * The response's media type without parameters, lower case, as errors show it:
 * registered secrets are redacted before it is cut and lower-cased (a changed
 * secret would no longer match its mask); '' without a Content-Type.
 */
function contentTypeOf(response, redact) {
    const value = response.headers['content-type'];
    const raw = Array.isArray(value) ? value[0] : value;
    return raw === undefined ? '' : (0,errors/* sanitize */.aj)(redact(raw).split(';')[0] ?? '', 100).toLowerCase();
}
/** JSON media types: `application/json`, `…+json` (RFC 6839), and the legacy `text/json`; or none given. */
function isJsonType(type) {
    return type === '' || type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}
/**
 * The body as JSON text: without a leading UTF-8 byte-order mark (EF BB BF,
 * decoded as U+FEFF), which RFC 8259 §8.1 lets a parser ignore.
 */
function jsonText(body) {
    return body.startsWith('\uFEFF') ? body.slice(1) : body;
}
/** The JSON object or array `text` holds (BOM already removed), or undefined when it holds none. */
function jsonObjectIn(text) {
    if (!/^\s*[[{]/u.test(text))
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/**
 * Parses a 2xx body as JSON, or throws an error that says what the body was
 * instead. A leading byte-order mark is skipped. A body labelled with a
 * non-JSON media type (e.g. `text/plain`) that holds a JSON object or array is
 * read anyway and reported through `warn` (one line, no body text); an HTML
 * page or other text still fails.
 * @throws ActionError (step `step`, the response's status).
 */
function parseJson(step, response, redact, warn = () => undefined, service = PLATFORM) {
    const type = contentTypeOf(response, redact);
    const text = jsonText(response.body);
    if (!isJsonType(type)) {
        const value = jsonObjectIn(text);
        if (value === undefined) {
            throw new errors/* ActionError */.lZ({
                step,
                status: response.status,
                reason: `the response is ${type} (${response.body.length} bytes), not JSON; a proxy, firewall or login page may have answered`,
                fix: `check ${service.urlSetting} and the runner's proxy settings (https_proxy, no_proxy)`,
            });
        }
        warn(`${(0,errors/* capitalize */.ZH)(step)} (HTTP ${response.status}): the response is labelled ${type} but holds JSON; it was read as JSON`);
        return value;
    }
    try {
        return JSON.parse(text);
    }
    catch {
        throw new errors/* ActionError */.lZ({
            step,
            status: response.status,
            reason: `the response is not valid JSON (${response.body.length} bytes${response.body.length === 0 ? '' : ', truncated or malformed'})`,
            fix: `re-run the job; if it persists, check ${service.urlSetting} and any proxy between the runner and ${service.name}`,
        });
    }
}
const NO_ERROR = { code: undefined, text: undefined };
/**
 * The platform's error from a failed response, sanitized, its most specific
 * text first: OAuth `error` + `error_description` (RFC 6749 §5.2); otherwise a
 * code (`code`, `errorCode`, SCIM `scimType` (RFC 7644 §3.12), or a nested
 * `error.code`) with the words `detail` (RFC 9457 problem details, SCIM) over
 * `message` over `title` (or a nested `error.message`), followed by the first
 * validation message with its field (`errors: {field: [message]}`, or
 * `errors: [{detail, pointer}]` as RFC 9457 §3 shows) and how many more there are.
 * A leading byte-order mark is skipped; a JSON body under a non-JSON label is
 * read too. Non-JSON bodies give nothing.
 */
function platformErrorOf(response, redact = (text) => text) {
    const text = jsonText(response.body);
    let body;
    if (isJsonType(contentTypeOf(response, redact))) {
        try {
            body = JSON.parse(text);
        }
        catch {
            return NO_ERROR;
        }
    }
    else {
        body = jsonObjectIn(text);
    }
    const str = (value, max = 200) => typeof value === 'string' && value.trim() !== '' ? (0,errors/* sanitize */.aj)(redact(value), max) : undefined;
    const join = (a, b) => (a && b ? `${a}: ${b}` : (a ?? b));
    const oauth = str((0,answer/* field */.ZZ)(body, 'error'));
    if (oauth !== undefined)
        return { code: oauth, text: join(oauth, str((0,answer/* field */.ZZ)(body, 'error_description'))) };
    const nested = (0,answer/* field */.ZZ)(body, 'error');
    const code = str((0,answer/* field */.ZZ)(body, 'code')) ??
        str((0,answer/* field */.ZZ)(body, 'errorCode')) ??
        str((0,answer/* field */.ZZ)(body, 'scimType')) ??
        str((0,answer/* field */.ZZ)(nested, 'code'));
    const words = str((0,answer/* field */.ZZ)(body, 'detail')) ??
        str((0,answer/* field */.ZZ)(body, 'message')) ??
        str((0,answer/* field */.ZZ)(body, 'title')) ??
        str((0,answer/* field */.ZZ)(nested, 'message'));
    const validation = firstValidation((0,answer/* field */.ZZ)(body, 'errors') ?? (0,answer/* field */.ZZ)(body, 'Errors') ?? (0,answer/* field */.ZZ)(nested, 'details'), str);
    const said = words !== undefined && validation !== undefined
        ? `${words}${/[.!?:]$/u.test(words) ? ' ' : ': '}${validation}`
        : (words ?? validation);
    // Each piece is redacted and cut already; this bounds the whole.
    const whole = join(code, said);
    return { code, text: whole === undefined ? undefined : (0,errors/* sanitize */.aj)(whole, 300) };
}
/**
 * The first message of a validation list, with its field, and how many more
 * there are: `name: must not be empty (and 2 more)`. Reads a map of field to
 * message(s) (`{"name": ["must not be empty"]}`; a blank or `$` key is the
 * body as a whole) or a list of strings or objects (`detail`/`message`/
 * `description`, with `pointer`/`field`/`path`/`name`).
 */
function firstValidation(errors, str) {
    const found = [];
    const add = (where, item) => {
        const message = str(item) ?? str((0,answer/* field */.ZZ)(item, 'detail')) ?? str((0,answer/* field */.ZZ)(item, 'message')) ?? str((0,answer/* field */.ZZ)(item, 'description'));
        if (message === undefined)
            return;
        const place = where ?? (0,answer/* field */.ZZ)(item, 'pointer') ?? (0,answer/* field */.ZZ)(item, 'field') ?? (0,answer/* field */.ZZ)(item, 'path') ?? (0,answer/* field */.ZZ)(item, 'name');
        const name = typeof place === 'string' ? str(place.replace(/^#?\/|^\$\.?/u, '').replace(/\//gu, '.'), 60) : undefined;
        found.push({ where: name, message });
    };
    if (Array.isArray(errors)) {
        for (const item of errors)
            add(undefined, item);
    }
    else if (typeof errors === 'object' && errors !== null) {
        for (const [key, value] of Object.entries(errors))
            for (const item of Array.isArray(value) ? value : [value])
                add(key, item);
    }
    const [first] = found;
    if (first === undefined)
        return undefined;
    const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
    return `${first.where ? `${first.where}: ` : ''}${first.message}${more}`;
}
/**
 * The `error` and `error_description` of a `Bearer` challenge in the response's
 * `WWW-Authenticate` header (RFC 6750 §3: `Bearer realm="…", error="invalid_token",
 * error_description="The access token expired"`), redacted and sanitized as
 * {@link platformErrorOf}; nothing when there is no Bearer challenge with an `error`.
 */
function bearerChallengeOf(response, redact = (text) => text) {
    const value = response.headers['www-authenticate'];
    const header = (Array.isArray(value) ? value.join(', ') : (value ?? '')).slice(0, 4096);
    const start = /(?:^|[\s,])Bearer(?:\s+|$)/iu.exec(header);
    if (start === null)
        return NO_ERROR;
    const params = new Map();
    const param = /\s*([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*,?/uy;
    param.lastIndex = start.index + start[0].length;
    for (let match = param.exec(header); match !== null && match[0] !== ''; match = param.exec(header)) {
        const name = (match[1] ?? '').toLowerCase();
        if (!params.has(name))
            params.set(name, match[2] === undefined ? (match[3] ?? '') : match[2].replace(/\\(.)/gsu, '$1'));
    }
    const str = (text) => text === undefined || text.trim() === '' ? undefined : (0,errors/* sanitize */.aj)(redact(text), 200);
    const code = str(params.get('error'));
    if (code === undefined)
        return NO_ERROR;
    const description = str(params.get('error_description'));
    return { code, text: description === undefined ? code : `${code}: ${description}` };
}
function describeResponse(response, redact, service) {
    const { code, text } = platformErrorOf(response, redact);
    const challenge = bearerChallengeOf(response, redact);
    const error = { code: code ?? challenge.code, text, body: jsonObjectIn(jsonText(response.body)) };
    if (challenge.text !== undefined) {
        const said = `${service.name} refused the bearer token: "${challenge.text}" (WWW-Authenticate)`;
        return { error, words: text === undefined ? said : `${said}; it answered "${text}"` };
    }
    if (text !== undefined)
        return { error, words: `${service.name} answered "${text}"` };
    const type = contentTypeOf(response, redact);
    if (!isJsonType(type))
        return {
            error,
            words: `the response is ${type}, not ${service.name}'s JSON error (a proxy, firewall or wrong ${service.urlSetting} may have answered)`,
        };
    return { error, words: 'the response carries no error details' };
}
function httpError(call, url, response, attempts, redact, service) {
    const status = response.status;
    // 304 Not Modified is no redirect (and has no Location): reported as any other status.
    if (status >= 300 && status < 400 && status !== 304) {
        const location = response.headers['location'];
        const raw = Array.isArray(location) ? location[0] : location;
        let host = 'an unknown location';
        if (raw !== undefined) {
            try {
                // The URL parser percent-decodes and lower-cases a host: a secret so
                // changed no longer matches its mask, so it is redacted regardless of case.
                host =
                    (0,errors/* sanitize */.aj)(redact(new URL(redact(raw), url).host, { ignoreCase: true }), 100) || 'a location without a host';
            }
            catch {
                host = 'an invalid location';
            }
        }
        return new errors/* ActionError */.lZ({
            step: call.step,
            status,
            reason: `${service.name} redirected to ${host}; credentials are never sent to a redirect target`,
            fix: service.redirectFix,
        });
    }
    const { error, words } = describeResponse(response, redact, service);
    const host = new URL(url).host;
    const after = attempts > 1 ? ` after ${attempts} attempts` : '';
    const uncertain = !call.idempotent && status >= 500 ? call.uncertainOutcome : undefined;
    return new errors/* ActionError */.lZ({
        step: call.step,
        status,
        code: error.code,
        reason: `${words}${after}`,
        fix: call.fix?.(status, error) ?? service.fixFor(call.step, status, error, host, call.auth),
        ...uncertainParts(uncertain),
    });
}
function transportError(call, failure, attempts, timeoutMs, host, service) {
    const after = attempts > 1 ? ` after ${attempts} attempts` : '';
    const { what, fix } = adviseTransportFailure(failure, host, timeoutMs, service);
    // Classified by what happened on the wire (net/transport-error.ts): e.g. a connection never established sent nothing.
    const reached = failure.reached;
    const uncertain = !call.idempotent && reached ? call.uncertainOutcome : undefined;
    const parts = uncertainParts(uncertain);
    if (failure.code === 'ERR_BODY_TOO_LARGE' && call.tooLarge !== undefined) {
        return new errors/* ActionError */.lZ({
            step: call.step,
            reason: `${what}${after}`,
            notes: [...(parts.notes ?? []), call.tooLarge],
            fix: "check that base-url points at the Invicti Platform's SCIM service (not another SCIM server, nor a proxy that drops the query string); a server that answers whole lists to bounded reads will overwhelm the directory too, so report it to the platform's support",
        });
    }
    if (failure.code !== undefined && body/* DETERMINISTIC_BODY_FAILURES */.Er.has(failure.code)) {
        return new errors/* ActionError */.lZ({
            step: call.step,
            reason: `${what}; the answer is the same on every attempt, so it was not retried`,
            fix: `${(0,answer/* checkPointsAt */.hs)(service)} and that no proxy between the runner and ${service.name} rewrites its answers`,
            ...parts,
        });
    }
    return new errors/* ActionError */.lZ({ step: call.step, reason: `${what}${after}`, fix, ...parts });
}
/**
 * The note and fix note of a call whose outcome is uncertain (`uncertainOutcome`: what the
 * server may have done): it was not sent again, and the registration is to be looked for first.
 */
function uncertainParts(uncertain) {
    if (uncertain === undefined)
        return {};
    return {
        notes: [`${uncertain}, so it was not sent again`],
        fixNotes: ['first look for that registration in the platform (re-running creates another)'],
    };
}

;// CONCATENATED MODULE: ./src/client/owner.ts
/**
 * The Owner credential that steps 2 and 3 of the platform's setup guide send:
 * either the bearer token from step 1's password login, or a user's API key in
 * the `X-Auth` header (the platform's pages "Use the Invicti Platform API",
 * "Authenticate" and "Manage your API key"; `docs/platform-api.md`, "the API
 * key"). The identity client asks it for headers, so no caller branches on
 * how the run authenticated.
 */
/** The credential step 1 yields: `Authorization: Bearer <accessToken>` (the setup guide, steps 2–3). */
function loginCredential(accessToken) {
    return { auth: 'password', headers: { authorization: `Bearer ${accessToken}` } };
}
/**
 * The credential an API key yields: `X-Auth: <apiKey>` and no Authorization
 * header (the platform's page "Authenticate"). `apiKey` must already be
 * masked and be header-safe (`BEARER_TOKEN` of request.ts; runner/inputs.ts checks both).
 */
function apiKeyCredential(apiKey) {
    return { auth: 'api-key', headers: { 'x-auth': apiKey } };
}
/** How the log and the step summary name a way of authenticating (never the secret itself). */
function describeOwnerAuth(auth) {
    return auth === 'api-key'
        ? 'API key (input api-key, sent as the X-Auth header; step 1, the password login, skipped)'
        : 'email and password (inputs email and password, exchanged for a login token by step 1)';
}

;// CONCATENATED MODULE: ./src/client/identity.ts
/**
 * The platform's identity API, steps 1–3 of the platform's setup guide: log
 * in as an Owner, create a client registration with `?expand=credentials`,
 * and authorize it for the platform API by its registration UUID
 * (`docs/platform-api.md`). Steps 2–3 send an {@link OwnerCredential}: step
 * 1's login token, or an Owner's API key. Every secret it receives is masked
 * before it is returned or validated further.
 */



/** The platform API's resource id for "authorize for the platform API" (step 3 of the setup guide). */
const PLATFORM_API_ID = '00000000-0000-0000-0000-000000000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
/**
 * A registration id the run can use although it is not the documented UUID:
 * letters, digits and `_ . ~ : { } -` only (so it is inert in the log, a JSON
 * body and a URL), at most 128 characters.
 */
const REGISTRATION_ID = /^[\w.~:{}-]{1,128}$/u;
/** An OAuth client_id (RFC 6749 Appendix A.1, VSCHAR): printable ASCII, no line break; not padded with spaces. */
const OAUTH_CLIENT_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/u;
/**
 * A create-registration failure where the platform made the registration but
 * its answer cannot be used to finish the run: carries whatever usable part
 * the answer had (the registration id, the OAuth client_id, the client secret,
 * already masked), so the run still sets them as outputs.
 */
class UnusableRegistrationError extends errors/* ActionError */.lZ {
    registrationId;
    clientId;
    clientSecret;
    constructor(cause, kept) {
        super(cause.details);
        this.name = 'UnusableRegistrationError';
        this.registrationId = kept.registrationId;
        this.clientId = kept.clientId;
        this.clientSecret = kept.clientSecret;
    }
}
/** The identity API client (steps 1–3), over the run's shared {@link ApiCore}. */
class IdentityClient {
    #core;
    constructor(core) {
        this.#core = core;
    }
    /**
     * Step 1 of the platform's setup guide: logs in as the Owner with email and
     * password (the login route takes no API key). Returns the credential of its
     * `accessToken` (valid 1 hour), masked.
     * @param organizationId sent as `organizationId` (the field the platform's SCIM overview shows in
     *   its login body) only when not '': which of the user's organizations to log in to.
     * @throws ActionError (step `login`).
     */
    async login(emailAddress, password, organizationId = '') {
        const response = await this.#core.send({
            step: 'login',
            method: 'POST',
            path: '/api/identity/v1/userCredentials/login',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify(organizationId === '' ? { emailAddress, password } : { emailAddress, password, organizationId }),
            idempotent: true,
        });
        const body = this.#core.readJson('login', response, (json) => (0,answer/* maskString */.yw)(this.#core.options.mask, (0,answer/* field */.ZZ)(json, 'accessToken')));
        return loginCredential((0,answer/* requireToken */.Fw)('login', response.status, (0,answer/* field */.ZZ)(body, 'accessToken'), 'accessToken'));
    }
    /**
     * Step 2 of the setup guide: creates a client registration with `?expand=credentials`,
     * authenticated by `owner` (its login token or API key).
     * Not idempotent: sent again only when the connection was never made.
     * The client secret is masked on receipt, before anything about the answer is logged.
     * Lenient where the answer is still usable: a registration id that is not a
     * UUID but safe to use is taken with a warning.
     * @throws ActionError (step `create registration`) when the answer holds
     * nothing usable; {@link UnusableRegistrationError} when the platform made a
     * registration but the run cannot go on with it (no registration id, or
     * missing, null or unusable credentials), carrying what is usable of it.
     */
    async createRegistration(owner, name, description) {
        const step = 'create registration';
        const response = await this.#core.send({
            step,
            method: 'POST',
            path: '/api/identity/v1/clients?expand=credentials',
            headers: { 'content-type': 'application/json', accept: 'application/json', ...owner.headers },
            auth: owner.auth,
            body: JSON.stringify({
                name,
                description,
                enabled: true,
                clientType: 'machineToMachine',
                jwtSigningAlgorithm: 'rs256',
                refreshTokenRotation: false,
                grantTypeClientCredentials: true,
            }),
            idempotent: false,
            uncertainOutcome: `the platform may have created a registration named "${name}" anyway`,
        });
        const status = response.status;
        // A 2xx from create means the platform most likely made the registration:
        // every validation error below says so, by client-name or registration id.
        const lookFor = `look for the registration named "${name}" in the platform before re-running (re-running creates another)`;
        let body;
        try {
            body = this.#core.readJson(step, response, (json) => (0,answer/* maskString */.yw)(this.#core.options.mask, (0,answer/* field */.ZZ)((0,answer/* field */.ZZ)(json, 'credentials'), 'clientSecret')));
        }
        catch (error) {
            throw (0,errors/* amend */.eI)(error, { note: `a registration named "${name}" may have been created anyway`, fix: lookFor });
        }
        const credentials = (0,answer/* field */.ZZ)(body, 'credentials');
        const rawClientId = (0,answer/* field */.ZZ)(credentials, 'clientId');
        const rawSecret = (0,answer/* field */.ZZ)(credentials, 'clientSecret');
        // The client_id is logged and output: a line break in it would be read as a workflow command.
        // Bounded like the secrets: it goes to the log, an output and the step summary (GitHub's limit: 1 MiB).
        const clientId = typeof rawClientId === 'string' && rawClientId.length <= answer/* MAX_SECRET_LENGTH */.h1 && OAUTH_CLIENT_ID.test(rawClientId)
            ? rawClientId
            : undefined;
        // A malformed secret (several lines, control characters, too long) was not masked and is never kept.
        const clientSecret = (0,answer/* isServerSecret */.YE)(rawSecret) ? rawSecret : undefined;
        const kept = keptOutputs(clientId, clientSecret);
        const rawId = (0,answer/* field */.ZZ)(body, 'clientId');
        const registrationId = typeof rawId === 'string' && REGISTRATION_ID.test(rawId) ? rawId : undefined;
        if (registrationId === undefined) {
            if (kept === undefined)
                throw (0,answer/* shapeError */.cn)(step, status, 'clientId (the registration UUID)', `a registration named "${name}" may have been created`, lookFor);
            throw new UnusableRegistrationError((0,answer/* shapeError */.cn)(step, status, 'clientId (the registration UUID)', `the registration named "${name}" was created but cannot be authorized (step 3) without it; ${kept}`, `find the registration named "${name}" in the platform and authorize it by hand (step 3 of the platform's setup guide), or remove it and re-run`), { clientId, clientSecret });
        }
        if (!UUID.test(registrationId)) {
            this.#core.options.log.warning(`Create registration (HTTP ${status}): the registration id "${registrationId}" is not a UUID as documented; it is used as given`);
        }
        const unusable = `registration ${registrationId} ("${name}") was created but cannot be used${kept === undefined ? '' : `; ${kept}`}`;
        if (credentials === null || credentials === undefined) {
            throw new UnusableRegistrationError(new errors/* ActionError */.lZ({
                step,
                status,
                reason: `registration ${registrationId} was created but the response has credentials: null, so its client secret cannot be read (the request must carry ?expand=credentials)`,
                fix: 'check that no proxy strips the query string from requests to the platform, then re-run; the unusable registration can be removed in the platform',
            }), { registrationId });
        }
        const removeIt = `remove registration ${registrationId} in the platform, check that base-url points at the Invicti Platform and not at a proxy, then re-run`;
        if (clientId === undefined) {
            throw new UnusableRegistrationError((0,answer/* shapeError */.cn)(step, status, `credentials.clientId (a non-empty string of printable ASCII, at most ${answer/* MAX_SECRET_LENGTH */.h1} characters)`, unusable, removeIt), { registrationId, clientSecret });
        }
        if (clientSecret === undefined) {
            // Too short to be a secret: said so (too long stays "no valid", as any other malformed secret).
            const length = typeof rawSecret === 'string' && rawSecret.length < answer/* MIN_SECRET_LENGTH */.vb
                ? (0,answer/* secretLengthProblem */.MJ)(rawSecret, 'credentials.clientSecret')
                : undefined;
            throw new UnusableRegistrationError(length === undefined
                ? (0,answer/* shapeError */.cn)(step, status, `credentials.clientSecret (${answer/* SECRET_SHAPE */.PI})`, unusable, removeIt)
                : new errors/* ActionError */.lZ({ step, status, reason: length, notes: [unusable], fix: removeIt }), { registrationId, clientId });
        }
        return { registrationId, credentials: { clientId, clientSecret } };
    }
    /**
     * Step 3 of the setup guide: authorizes registration `registrationId` (the UUID, not
     * `credentials.clientId`) for the platform API, authenticated by `owner`. Idempotent.
     * @throws ActionError (step `authorize`).
     */
    async authorize(owner, registrationId) {
        const response = await this.#core.send({
            step: 'authorize',
            method: 'POST',
            path: `/api/identity/v1/apis/${PLATFORM_API_ID}/clients`,
            headers: { 'content-type': 'application/json', accept: 'application/json', ...owner.headers },
            auth: owner.auth,
            body: JSON.stringify([{ clientId: registrationId }]),
            idempotent: true,
        });
        // The documented answer is the array of registrations now authorized: a 2xx
        // from a proxy or login page must not pass for an authorization.
        const body = this.#core.readJson('authorize', response);
        if (!Array.isArray(body))
            throw (0,answer/* shapeError */.cn)('authorize', response.status, 'list of authorized registrations (a JSON array)');
        // Elements are documented only as "registrations now authorized": accept the
        // UUID under any field name (clientId as in the request, or id).
        const listed = (item) => typeof item === 'object' &&
            item !== null &&
            Object.values(item).some((v) => typeof v === 'string' && v.toLowerCase() === registrationId.toLowerCase());
        if (!body.some(listed)) {
            throw new errors/* ActionError */.lZ({
                step: 'authorize',
                status: response.status,
                reason: `the response does not list registration ${registrationId} among the authorized registrations`,
                fix: 'check that base-url points at the Invicti Platform and not at a proxy or another service',
            });
        }
    }
}
/** "its client-id and client-secret are in the step outputs", for what is known; undefined when nothing is. */
function keptOutputs(clientId, clientSecret) {
    const names = [
        clientId === undefined ? '' : 'client-id',
        clientSecret === undefined ? '' : 'client-secret (masked)',
    ].filter((n) => n !== '');
    if (names.length === 0)
        return undefined;
    return `its ${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} in the step outputs`;
}

;// CONCATENATED MODULE: ./src/client/oauth.ts
/**
 * The platform's OAuth 2.0 token endpoint, step 4 of the platform's setup
 * guide: the client-credentials grant (RFC 6749 §4.4) with the platform API
 * as `audience` (`<base-url>/api`, or the `audience` input; `docs/platform-api.md`).
 */



/** RFC 6749 §5.2 error codes whose fix does not depend on the status (`fixes.ts`). */
const KNOWN_TOKEN_ERRORS = new Set(['invalid_client', 'access_denied', 'unauthorized_client']);
/** The OAuth token endpoint client, over the run's shared {@link ApiCore}. */
class OAuthClient {
    #core;
    constructor(core) {
        this.#core = core;
    }
    /** The token audience: the `audience` option, else `<base-url>/api` (step 4 of the setup guide). */
    get audience() {
        return this.#core.options.audience ?? `${this.#core.options.baseUrl}/api`;
    }
    /** The token endpoint with its {@link audience}, as the guide writes it (step 4 of the setup guide). */
    get tokenUrl() {
        return `${this.#core.options.baseUrl}/oauth/token?audience=${encodeQueryValue(this.audience)}`;
    }
    /**
     * Step 4 of the setup guide / RFC 6749 §4.4: client-credentials grant. `access_token` is
     * masked on receipt; `expires_in` may be a number or a numeric string (seconds).
     * @throws ActionError (step `token`), mapping RFC 6749 §5.2 errors to fixes.
     */
    async requestToken(clientId, clientSecret) {
        let response;
        try {
            response = await this.#core.send({
                step: 'token',
                method: 'POST',
                path: this.tokenUrl.slice(this.#core.options.baseUrl.length),
                headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
                body: new URLSearchParams({
                    grant_type: 'client_credentials',
                    client_id: clientId,
                    client_secret: clientSecret,
                }).toString(),
                idempotent: true,
            });
        }
        catch (error) {
            // A 400 is most often an audience the token server does not know: name the input that set it.
            const custom = this.#core.options.audience;
            if (custom === undefined || !(error instanceof errors/* ActionError */.lZ) || error.status !== 400)
                throw error;
            const audienceFix = `check the audience input (${custom}): it must be the platform API's identifier on this platform; leave it unset for <base-url>/api`;
            // invalid_client names the client, not the audience: the credentials are the likelier cause.
            if (error.code === 'invalid_client') {
                throw (0,errors/* amend */.eI)(error, {
                    fix: `check the client credentials first: a client-id and client-secret swapped, an old client-secret (replaced by a newer run), or a registration that was deleted all give invalid_client; ${error.fix}`,
                    fixNote: `if they are right, ${audienceFix}`,
                });
            }
            throw (0,errors/* amend */.eI)(error, { fix: audienceFix });
        }
        const body = this.#core.readJson('token', response, (json) => (0,answer/* maskString */.yw)(this.#core.options.mask, (0,answer/* field */.ZZ)(json, 'access_token')));
        if ((0,answer/* field */.ZZ)(body, 'access_token') === undefined && typeof (0,answer/* field */.ZZ)(body, 'error') === 'string') {
            // An OAuth error (RFC 6749 §5.2) under a success status: the server's word, not a wrong base-url.
            const { code, text } = platformErrorOf(response, this.#core.redact);
            throw new errors/* ActionError */.lZ({
                step: 'token',
                status: response.status,
                code,
                reason: `the token endpoint answered HTTP ${response.status} with an OAuth error instead of a token: "${text ?? code ?? ''}"`,
                fix: KNOWN_TOKEN_ERRORS.has(code ?? '')
                    ? fixFor('token', response.status, code, new URL(this.#core.options.baseUrl).host)
                    : 'the token server refused the client-credentials grant with this OAuth error (RFC 6749 §5.2); check the client-id and client-secret inputs, then re-run',
            });
        }
        const checked = (0,answer/* requireToken */.Fw)('token', response.status, (0,answer/* field */.ZZ)(body, 'access_token'), 'access_token');
        const tokenType = (0,answer/* field */.ZZ)(body, 'token_type');
        // Absent (or null) is allowed (RFC 6749 §5.1 says RECOMMENDED); present, it must be seconds.
        const rawExpiresIn = (0,answer/* field */.ZZ)(body, 'expires_in');
        const expiresIn = parseExpiresIn(rawExpiresIn);
        const expiry = expiresIn === undefined ? undefined : new Date(this.#core.options.now().getTime() + expiresIn * 1000);
        if ((rawExpiresIn !== undefined && rawExpiresIn !== null && expiresIn === undefined) ||
            (expiry !== undefined && Number.isNaN(expiry.getTime()))) {
            throw (0,answer/* shapeError */.cn)('token', response.status, 'expires_in (a number of seconds, or a string of digits)');
        }
        return {
            accessToken: checked,
            // Shown in the log, the summary and the unmasked token-type output: a secret
            // echoed here is redacted before it is shortened.
            tokenType: typeof tokenType === 'string' ? (0,errors/* sanitize */.aj)(this.#core.redact(tokenType), 40) : '',
            expiresIn,
            expiresAt: expiry?.toISOString(),
        };
    }
}
/** Encodes a query value as the guide writes it: reserved characters escaped except `:` and `/`. */
function encodeQueryValue(value) {
    return encodeURIComponent(value).replace(/%3A/gu, ':').replace(/%2F/gu, '/');
}
function parseExpiresIn(value) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
        return Math.floor(value);
    if (typeof value === 'string' && /^\d+(\.\d+)?$/u.test(value.trim()))
        return Math.floor(Number(value));
    return undefined;
}

;// CONCATENATED MODULE: ./src/client/scim.ts
/**
 * The platform's SCIM 2.0 service (RFC 7644), read only: the SCIM check
 * reads what the directory will read, and never creates, changes or deletes
 * a user or group (`docs/platform-api.md`).
 */


/** The RFC 7643 §5 schema URN a ServiceProviderConfig must list. */
const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
/** The RFC 7644 §3.4.2 schema URN of a list answer (query results). */
const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
/**
 * An RFC 7644 §3.4.2.2 filter `<attribute> eq "<value>"`, the value written as
 * a JSON string (quotes and backslashes escaped), as the filter grammar wants.
 */
function equalityFilter(attribute, value) {
    return `${attribute} eq ${JSON.stringify(value)}`;
}
/** The SCIM client, over the run's shared {@link ApiCore}. */
class ScimClient {
    #core;
    constructor(core) {
        this.#core = core;
    }
    /** `<base-url>/api/scim/v2`: the SCIM base, Entra ID's "Tenant URL". */
    get scimUrl() {
        return `${this.#core.options.baseUrl}/api/scim/v2`;
    }
    /**
     * RFC 7644 §4: reads `/api/scim/v2/ServiceProviderConfig` with a bearer token.
     * Passes when the status is 200 and `schemas` lists {@link SERVICE_PROVIDER_CONFIG_SCHEMA}.
     * @returns the features the server says it supports (RFC 7643 §5).
     * @throws ActionError (step `SCIM check`) with the SCIM error `detail` (RFC 7644 §3.12).
     */
    async readServiceProviderConfig(accessToken) {
        let response;
        try {
            response = await this.#core.send({
                step: 'SCIM check',
                method: 'GET',
                path: '/api/scim/v2/ServiceProviderConfig',
                headers: { accept: 'application/scim+json, application/json', authorization: `Bearer ${accessToken}` },
                idempotent: true,
            });
        }
        catch (error) {
            throw error instanceof errors/* ActionError */.lZ && error.status === 404
                ? this.#notFound(error, 'GET /ServiceProviderConfig', 'the directory cannot discover what the server supports')
                : error;
        }
        const body = this.#core.readJson('SCIM check', response);
        const schemas = (0,answer/* field */.ZZ)(body, 'schemas');
        if (response.status !== 200 || !Array.isArray(schemas) || !schemas.includes(SERVICE_PROVIDER_CONFIG_SCHEMA)) {
            // A SCIM error body (RFC 7644 §3.12) on a 2xx is still the server's word: quote its `detail`.
            const { code, text } = platformErrorOf(response, this.#core.redact);
            const said = text === undefined ? '' : `; the platform answered "${text}"`;
            throw new errors/* ActionError */.lZ({
                step: 'SCIM check',
                status: response.status,
                code,
                reason: response.status !== 200
                    ? `expected HTTP 200 with a ServiceProviderConfig${said}`
                    : `the response is not a ServiceProviderConfig (schemas does not list ${SERVICE_PROVIDER_CONFIG_SCHEMA})${said}`,
                fix: 'check base-url: it must be the platform URL that serves /api/scim/v2',
            });
        }
        const supported = (name) => {
            const value = (0,answer/* field */.ZZ)((0,answer/* field */.ZZ)(body, name), 'supported');
            return typeof value === 'boolean' ? value : undefined;
        };
        return {
            patch: supported('patch'),
            bulk: supported('bulk'),
            filter: supported('filter'),
            sort: supported('sort'),
            etag: supported('etag'),
            changePassword: supported('changePassword'),
        };
    }
    /**
     * The query Microsoft Entra ID's "Test connection" sends (RFC 7644 §3.4.2.2):
     * `GET /Users?filter=userName eq "<userName>"`, the filter percent-encoded as
     * RFC 3986 wants (a space is `%20`, never `+`).
     * @returns the ListResponse's counts; the caller judges them.
     * @throws ActionError (step `SCIM check`) saying what the directory will see: 401/403 → the
     *   token is not accepted for SCIM; 404 → the Tenant URL is wrong; not a ListResponse → not SCIM 2.0.
     */
    async findUsersByUserName(accessToken, userName) {
        const filter = equalityFilter('userName', userName);
        return this.#readList(accessToken, 'Users', `?filter=${encodeURIComponent(filter)}`, `GET /Users?filter=${filter}`, 'the filter (no user or one matches it)');
    }
    /**
     * Reads one group as the directory reads groups: `GET /Groups?count=1&excludedAttributes=members`
     * (RFC 7644 §3.4.2.4, §3.9). Platform teams are SCIM Groups.
     * @returns the ListResponse's counts.
     * @throws ActionError (step `SCIM check`), as {@link findUsersByUserName}.
     */
    async listGroups(accessToken) {
        const query = '?count=1&excludedAttributes=members';
        return this.#readList(accessToken, 'Groups', query, `GET /Groups${query}`, 'count=1');
    }
    /**
     * One list read. `bound` is what in the query keeps the answer small (`count=1`, the filter):
     * an answer over the body limit is read once, not retried, and said to have ignored it.
     */
    async #readList(accessToken, resource, query, request, bound) {
        let response;
        try {
            response = await this.#core.send({
                step: 'SCIM check',
                method: 'GET',
                path: `/api/scim/v2/${resource}${query}`,
                headers: { accept: 'application/scim+json, application/json', authorization: `Bearer ${accessToken}` },
                idempotent: true,
                tooLarge: `the server ignored ${bound} of ${request} and answered more than the action reads, so the directory's reads of ${resource} will be as large`,
            });
        }
        catch (error) {
            throw this.#listError(error, resource, request);
        }
        const fail = (status, reason) => new errors/* ActionError */.lZ({
            step: 'SCIM check',
            status,
            reason,
            fix: 'check base-url: it must be the platform URL that serves /api/scim/v2',
        });
        if (response.status !== 200)
            throw fail(response.status, `expected HTTP 200 with a ListResponse, as the directory does (${request})`);
        let body;
        try {
            body = this.#core.readJson('SCIM check', response);
        }
        catch (error) {
            throw (0,errors/* amend */.eI)(error, { request });
        }
        const schemas = (0,answer/* field */.ZZ)(body, 'schemas');
        if (!Array.isArray(schemas) || !schemas.includes(LIST_RESPONSE_SCHEMA)) {
            throw fail(response.status, `${request} did not answer a SCIM ListResponse (schemas does not list ${LIST_RESPONSE_SCHEMA}), so the directory cannot read it: ${this.scimUrl} is not a SCIM 2.0 endpoint`);
        }
        const total = (0,answer/* field */.ZZ)(body, 'totalResults');
        const resources = (0,answer/* field */.ZZ)(body, 'Resources');
        if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
            throw fail(response.status, `${request} answered a ListResponse without a valid totalResults (a whole number, RFC 7644 §3.4.2), so the directory cannot page through it`);
        }
        if (resources !== undefined && !Array.isArray(resources)) {
            throw fail(response.status, `${request} answered a ListResponse whose Resources is not a list (RFC 7644 §3.4.2)`);
        }
        return { totalResults: total, returned: resources?.length ?? 0 };
    }
    /** An HTTP failure of a list read, said as what the directory will see and why. */
    #listError(error, resource, request) {
        if (!(error instanceof errors/* ActionError */.lZ))
            return error;
        const then = (lead, fix) => new errors/* ActionError */.lZ({
            step: 'SCIM check',
            status: error.status,
            code: error.code,
            reason: lead,
            notes: [error.why],
            fix,
        });
        const directory = resource === 'Users'
            ? 'Microsoft Entra ID\'s "Test connection" (this same query) will fail'
            : "the directory cannot read or provision groups (the platform's teams)";
        if (error.status === 401 || error.status === 403) {
            return then(`${request} was refused after ServiceProviderConfig was read, so ${directory}: the bearer token is not accepted for SCIM (a server may serve ServiceProviderConfig without checking it)`, "check that the registration was authorized for the platform API (step 3 of the platform's setup guide): mode provision does that for the registration it creates; for other credentials, authorize their registration id or provision new ones");
        }
        if (error.status === 404)
            return this.#notFound(error, request, directory);
        return (0,errors/* amend */.eI)(error, { request });
    }
    /**
     * A SCIM read answered 404. The bearer token it carries came from the token endpoint at the same
     * base URL a moment before, so base-url is right: SCIM is likely not enabled for the account.
     */
    #notFound(error, request, directory) {
        return new errors/* ActionError */.lZ({
            step: 'SCIM check',
            status: error.status,
            code: error.code,
            reason: `${request} was not found at ${this.scimUrl}, although the token endpoint at the same base URL had just issued the bearer token: SCIM may not be enabled for this account, so ${directory}`,
            notes: [error.why],
            fix: "ask the platform's support or your account manager to enable SCIM provisioning for the account; if it is enabled, check any proxy in front of the platform (one that forwards only some paths gives this too)",
        });
    }
}

;// CONCATENATED MODULE: ./src/client/index.ts
/**
 * The platform clients of one run, one per remote API (identity, OAuth,
 * SCIM), sharing one request/retry core and so one connection.
 */




/** Makes the three clients over one shared {@link ApiCore} built from `options`. */
function createPlatformClients(options) {
    const core = new ApiCore(options);
    return { core, identity: new IdentityClient(core), oauth: new OAuthClient(core), scim: new ScimClient(core) };
}

;// CONCATENATED MODULE: ./src/flows/scim-check.ts
/**
 * `scim-check: true`: reads what the directory reads with the bearer token, in
 * the order it does, and fails the way the directory would. Read only, always:
 * creating a user makes the platform send that person an invitation email, so
 * the check never creates, changes or deletes a user or group
 * (`docs/platform-api.md`, "SCIM endpoints").
 */


/**
 * A user name no platform user has: the directory's "Test connection" queries
 * one, and so does the check. `scim-check-` and a random UUID (RFC 9562).
 */
function absentUserName() {
    return `scim-check-${(0,external_node_crypto_namespaceObject.randomUUID)()}`;
}
/**
 * Runs the three reads, recording each in `report.scimChecks` as it ends (the rest stay `not run`):
 * 1. `GET /ServiceProviderConfig` (RFC 7644 §4): a SCIM 2.0 ServiceProviderConfig; its features go to `report.scim`.
 * 2. `GET /Users?filter=userName eq "<userName>"` (RFC 7644 §3.4.2.2), Microsoft Entra ID's
 *    "Test connection": 200, a ListResponse, `totalResults` 0.
 * 3. `GET /Groups?count=1&excludedAttributes=members`, as the directory reads groups: a ListResponse.
 * @param userName the user name that must not exist (default {@link absentUserName}).
 * @throws ActionError (step `SCIM check`) at the first read that fails, saying what the directory will see.
 */
async function scimCheck(client, accessToken, report, log, userName = absentUserName()) {
    const usersQuery = `GET /Users?filter=userName eq "${userName}"`;
    const checks = [
        { check: 'GET /ServiceProviderConfig', result: 'not run', detail: '' },
        { check: `${usersQuery} (Microsoft Entra ID's "Test connection")`, result: 'not run', detail: '' },
        { check: 'GET /Groups?count=1&excludedAttributes=members', result: 'not run', detail: '' },
    ];
    report.scimChecks = checks;
    const step = async (index, read, passed) => {
        const entry = checks[index];
        try {
            const value = await read();
            entry.result = 'passed';
            entry.detail = passed(value);
            log.info(`${entry.check}: ${entry.detail}`);
            return value;
        }
        catch (error) {
            entry.result = 'failed';
            entry.detail = error instanceof errors/* ActionError */.lZ && error.status !== undefined ? `HTTP ${error.status}` : 'no answer';
            throw error;
        }
    };
    await log.group('SCIM check', async () => {
        log.info(`Reading ${client.scimUrl} as the directory does (read only)`);
        const features = await step(0, () => client.readServiceProviderConfig(accessToken), () => 'a SCIM 2.0 ServiceProviderConfig');
        report.scim = features;
        log.info(`Server says: ${describeFeatures(features)}`);
        await step(1, async () => {
            const users = await client.findUsersByUserName(accessToken, userName);
            if (users.totalResults !== 0 || users.returned !== 0) {
                throw new errors/* ActionError */.lZ({
                    step: 'SCIM check',
                    status: 200,
                    reason: `${usersQuery} found ${Math.max(users.totalResults, users.returned)} users for a user name that does not exist, ` +
                        'so Microsoft Entra ID\'s "Test connection" will fail: the server does not apply the filter, and the directory would match the wrong users',
                    fix: 'check that base-url points at the Invicti Platform itself and not at another SCIM service or a proxy that drops the query string',
                });
            }
            return users;
        }, () => 'an empty ListResponse (totalResults 0)');
        await step(2, () => client.listGroups(accessToken), (groups) => `a ListResponse (totalResults ${groups.totalResults})`);
        log.info('SCIM check passed: the directory\'s "Test connection" and group reads will succeed with this token');
    });
}
/** `patch yes, bulk no, …` for the five features the directory cares about (RFC 7643 §5). */
function describeFeatures(features) {
    const names = ['patch', 'bulk', 'filter', 'sort', 'etag'];
    return names
        .map((name) => `${name} ${features[name] === undefined ? 'not stated' : features[name] ? 'yes' : 'no'}`)
        .join(', ');
}

;// CONCATENATED MODULE: ./src/flows/token.ts
/**
 * `mode: token`: step 4 of the platform's setup guide alone (RFC 6749 §4.4 client-credentials grant),
 * then the SCIM check (`scim-check.ts`) when `scim-check` is on.
 */


/** Runs the token flow: one grant, then the SCIM check when `scim-check` is on. @throws ActionError */
async function token(clients, inputs, report, log) {
    const accessToken = await log.group('Get a bearer token', async () => {
        try {
            return await requestToken(clients.oauth, inputs.clientId, inputs.clientSecret, report, log);
        }
        catch (error) {
            throw withTrimNote(error, inputs, 'client-secret');
        }
    });
    if (inputs.scimCheck)
        await scimCheck(clients.scim, accessToken, report, log);
}
/**
 * Exchanges client credentials for a bearer token and records it in `report`
 * with its expiry (`expires-at` = now + `expires_in` seconds, ISO 8601 UTC).
 * @returns the access token (already masked). @throws ActionError (step `token`)
 */
async function requestToken(client, clientId, clientSecret, report, log) {
    const answer = await client.requestToken(clientId, clientSecret);
    report.token = answer;
    const expiresAt = answer.expiresAt;
    if (answer.expiresIn === undefined) {
        log.notice('The token response has no expires_in: outputs expires-in and expires-at are empty');
    }
    else {
        log.info(`Got a ${answer.tokenType || 'bearer'} token, valid ${answer.expiresIn} s (until ${expiresAt})`);
    }
    return answer.accessToken;
}

;// CONCATENATED MODULE: ./src/flows/provision.ts
/**
 * `mode: provision`: steps 1–3 of the platform's setup guide (log in as an Owner, create a client
 * registration with `?expand=credentials`, authorize it by its UUID), then
 * step 4 with the new credentials when `verify` is on. With an Owner's API key
 * (input `api-key`) step 1 is skipped and steps 2–3 send the key as `X-Auth`.
 */






/** Login statuses that may mean "not a member of organization-id". */
const LOGIN_REFUSALS = [400, 401, 403, 422];
/**
 * Runs the provision flow, recording each result in `report` as soon as it
 * is known (so a later failure keeps the registration in the outputs).
 * @throws ActionError from any step; after step 2 its reason names the registration id.
 */
async function provision(clients, inputs, report, log) {
    report.ownerAuth = inputs.apiKey === '' ? 'password' : 'api-key';
    log.info(`Authenticating as the Owner with ${describeOwnerAuth(report.ownerAuth)}`);
    const owner = inputs.apiKey === '' ? await logIn(clients, inputs, log) : apiKeyCredential(inputs.apiKey);
    const registration = await log.group('Step 2: create client registration', async () => {
        let created;
        try {
            created = await clients.identity.createRegistration(owner, inputs.clientName, inputs.clientDescription);
        }
        catch (error) {
            // The platform made the registration but the run cannot go on with it: keep what is usable in the outputs.
            if (error instanceof UnusableRegistrationError) {
                report.registration = {
                    id: error.registrationId,
                    name: inputs.clientName,
                    clientId: error.clientId,
                    clientSecret: error.clientSecret,
                    authorized: false,
                };
            }
            throw error;
        }
        report.registration = {
            id: created.registrationId,
            name: inputs.clientName,
            clientId: created.credentials.clientId,
            clientSecret: created.credentials.clientSecret,
            authorized: false,
        };
        log.info(`Created registration ${created.registrationId} ("${inputs.clientName}")`);
        return created;
    });
    const credentials = registration.credentials;
    log.info(`OAuth client_id: ${credentials.clientId}`);
    await log.group('Step 3: authorize for the platform API', async () => {
        try {
            await clients.identity.authorize(owner, registration.registrationId);
        }
        catch (error) {
            const as = owner.auth === 'api-key' ? "an Owner's API key in the X-Auth header" : "an Owner's bearer token";
            throw afterCreate(error, registration.registrationId, 'was created but not authorized', `finish it by hand (step 3 of the platform's setup guide): POST ${inputs.baseUrl}/api/identity/v1/apis/${PLATFORM_API_ID}/clients with ${as} and body [{"clientId":"${registration.registrationId}"}], or re-run to create a new registration`);
        }
        if (report.registration)
            report.registration.authorized = true;
        log.info(`Authorized registration ${registration.registrationId} for the platform API`);
    });
    if (!inputs.verify) {
        log.info('verify is false: the new credentials were not exchanged for a token');
        return;
    }
    const token = await log.group('Step 4: verify the new credentials', async () => {
        try {
            return await requestToken(clients.oauth, credentials.clientId, credentials.clientSecret, report, log);
        }
        catch (error) {
            throw afterCreate(error, registration.registrationId, 'was created and authorized, but its credentials did not yield a token', undefined);
        }
    });
    report.verified = true;
    if (!inputs.scimCheck)
        return;
    try {
        await scimCheck(clients.scim, token, report, log);
    }
    catch (error) {
        throw afterCreate(error, registration.registrationId, 'was created and authorized, and its credentials got a token', undefined);
    }
}
/**
 * Step 1: logs in with `email` and `password` (to `organization-id` when set).
 * @returns the login token as the Owner credential for steps 2–3. @throws ActionError (step `login`)
 */
async function logIn(clients, inputs, log) {
    const organization = inputs.organizationId;
    return log.group('Step 1: log in', async () => {
        let credential;
        try {
            credential = await clients.identity.login(inputs.email, inputs.password, organization);
        }
        catch (caught) {
            const error = withTrimNote(caught, inputs, 'password');
            // A refusal may mean an organization the account does not belong to (the platform documents no error for it).
            if (organization === '' || !(error instanceof errors/* ActionError */.lZ) || !LOGIN_REFUSALS.includes(error.status ?? 0))
                throw error;
            throw (0,errors/* amend */.eI)(error, {
                fixNote: `check organization-id (${organization}): the account must belong to that organization, or leave it unset for the account's default`,
            });
        }
        log.info(`Logged in as ${inputs.email}${organization === '' ? '' : ` to organization ${organization}`}`);
        return credential;
    });
}
function afterCreate(error, registrationId, what, fix) {
    return (0,errors/* amend */.eI)(error, {
        note: `registration ${registrationId} ${what} (its registration-id, client-id and client-secret are in the step outputs)`,
        fixNote: fix,
    });
}

;// CONCATENATED MODULE: ./src/runner/outputs.ts
/**
 * The step outputs, written as soon as they are known (after step 2 the
 * registration and its credentials, after step 4 the token), each value once:
 * `GITHUB_OUTPUT` is an append-only file whose last value of a name wins, so a
 * run that is cancelled or fails later still leaves what it made.
 */


/**
 * Fails when `GITHUB_OUTPUT` is unset or empty. `@actions/core` would then
 * print each output as `::set-output name=…::value` in the log, the client
 * secret and the bearer token among them; so every output is refused alike,
 * before any request is sent.
 * @throws ActionError (step `run`)
 */
function requireOutputFile(env) {
    if ((env['GITHUB_OUTPUT'] ?? '') !== '')
        return;
    throw new errors/* ActionError */.lZ({
        step: 'run',
        reason: 'GITHUB_OUTPUT is not set, so the step outputs (client-secret and access-token among them) could only be printed in the log; nothing was sent',
        fix: 'run the action as a step of a GitHub Actions job, whose runner sets GITHUB_OUTPUT; elsewhere set GITHUB_OUTPUT to the path of a writable file (npm run local does)',
    });
}
/** The outputs file could not be written; `detail` says why (one safe line). */
class OutputsError extends errors/* ActionError */.lZ {
    detail;
    constructor(detail) {
        super({
            step: 'run',
            reason: `could not write the step outputs (GITHUB_OUTPUT): ${detail}`,
            fix: 'run the action as a step of a GitHub Actions job, whose runner makes that file',
        });
        this.name = 'OutputsError';
        this.detail = detail;
    }
}
/** Writes a report's outputs through `setOutput` (`core.setOutput`), each name again only when its value changed. */
class OutputWriter {
    #setOutput;
    #describe;
    #written = new Map();
    #broken;
    /** @param describe turns a write error into one safe line (secrets redacted). */
    constructor(setOutput, describe) {
        this.#setOutput = setOutput;
        this.#describe = describe;
    }
    /**
     * Writes every output of `report` ({@link outputsOf}) not yet written with its value.
     * @throws OutputsError (step `run`) when the file cannot be written; the same error on every later call.
     */
    publish(report) {
        if (this.#broken)
            throw this.#broken;
        for (const [name, value] of Object.entries((0,runner_report/* outputsOf */.Y)(report))) {
            if (this.#written.get(name) === value)
                continue;
            try {
                this.#setOutput(name, value);
            }
            catch (error) {
                this.#broken = new OutputsError(this.#describe(error));
                throw this.#broken;
            }
            this.#written.set(name, value);
        }
    }
}

;// CONCATENATED MODULE: ./src/runner/summary.ts



/**
 * Renders the summary as Markdown: on failure first the failed step, why and
 * the fix; then mode, base URL and region; the registration (provision); the
 * token's type and expiry (absolute and relative); the SCIM check and what the
 * server says it supports; and the directory hand-off values.
 * @param report the run's report, or undefined when the inputs were invalid.
 * @param now the time the summary is written, for "expires in" (relative).
 * @param redactText replaces registered secrets in a value before it is
 * escaped (an escaped secret would no longer match); default: no change.
 * @param entraSection renders the Entra section of a report with `entra` (none without it).
 */
function renderSummary(mode, report, failure, now, redactText = (text) => text, entraSection) {
    // A row of text from the server or the inputs: shown as plain text, or as a code span with `code`.
    const row = (name, value, code = false) => {
        const plain = redactText(value);
        return `| ${ownCell(name)} | ${code ? codeSpan(plain) : escapeText(plain)} |`;
    };
    const lines = [];
    const title = `Invicti SCIM credentials${mode ? `: ${mode}` : ''}`;
    lines.push(`### ${failure ? '❌' : '✅'} ${title} ${failure ? 'failed' : 'succeeded'}`, '');
    if (failure) {
        lines.push('| | |', '|---|---|');
        lines.push(ownRow('Failed step', failure.step));
        if (failure.status !== undefined)
            lines.push(ownRow('HTTP status', String(failure.status)));
        if (failure.code !== undefined)
            lines.push(row(failure.step.startsWith('Entra') ? 'Microsoft error' : 'Platform error', failure.code, true));
        lines.push(row('Why', failure.why), row('Fix', failure.howToFix), '');
    }
    if (!report)
        return lines.join('\n');
    if (report.mode === 'entra-check') {
        lines.push('| | |', '|---|---|', ownRow('Mode', report.mode), '');
        if (report.entra && entraSection)
            lines.push(...entraSection(report.entra, report.mode, failure, row, ownRow));
        return lines.join('\n');
    }
    const requested = report.requested;
    const failedAt = failure?.step;
    lines.push('| | |', '|---|---|');
    lines.push(ownRow('Mode', report.mode), row('Base URL', report.baseUrl, true), ownRow('Region', report.region ?? '(custom base-url)'));
    if (report.audience !== undefined)
        lines.push(row('Token audience', report.audience, true));
    if (report.organizationId !== undefined)
        lines.push(row('Organization id', report.organizationId, true));
    const registration = report.registration;
    if (report.mode === 'provision') {
        if (report.ownerAuth !== undefined)
            lines.push(ownRow('Authenticated with', describeOwnerAuth(report.ownerAuth)));
        lines.push(registration?.id !== undefined
            ? row('Registration id', registration.id, true)
            : ownRow('Registration id', registration ? '(not returned)' : '(none created)'));
        if (registration) {
            lines.push(row('Client name', registration.name));
            lines.push(registration.clientId === undefined
                ? ownRow('client-id', '(not returned)')
                : row('client-id', registration.clientId, true));
        }
        lines.push(ownRow('Authorized', registration?.authorized ? 'yes' : 'no'));
        const verified = report.verified
            ? 'yes'
            : requested?.verify === false
                ? 'no (not requested: verify is false)'
                : 'no';
        lines.push(ownRow('Verified (token obtained)', verified));
    }
    else if (report.clientId !== undefined) {
        lines.push(row('client-id', report.clientId, true));
    }
    const token = report.token;
    if (token) {
        lines.push(token.tokenType ? row('Token type', token.tokenType) : ownRow('Token type', '(not given)'));
        lines.push(ownRow('Token expires', token.expiresIn === undefined || token.expiresAt === undefined
            ? '(the server gave no expires_in)'
            : `${token.expiresAt} (in ${relative(new Date(token.expiresAt).getTime() - now.getTime())}; lifetime ${token.expiresIn} s)`));
    }
    else {
        lines.push(ownRow('Token', requested?.verify === false && report.mode === 'provision'
            ? 'not requested (verify is false)'
            : 'none obtained'));
    }
    lines.push(ownRow('SCIM check', scimResult(report, failedAt)));
    lines.push('');
    if (report.scimChecks) {
        lines.push('#### SCIM check (what the directory will read)', '', '| read | result |', '|---|---|');
        for (const { check, result, detail } of report.scimChecks)
            lines.push(ownRow(check, detail === '' ? result : `${result}: ${detail}`));
        lines.push('');
    }
    if (report.scim) {
        const says = (value) => value === undefined ? 'not stated' : value ? 'supported' : 'not supported';
        lines.push('#### SCIM ServiceProviderConfig (what the server says it supports)', '', '| feature | server says |', '|---|---|');
        for (const name of ['patch', 'bulk', 'filter', 'sort', 'etag', 'changePassword'])
            lines.push(ownRow(name, says(report.scim[name])));
        lines.push('');
    }
    if (report.entra && entraSection)
        lines.push(...entraSection(report.entra, report.mode, failure, row, ownRow));
    const clientId = report.mode === 'provision' ? registration?.clientId : report.clientId;
    if (clientId === undefined)
        return lines.join('\n');
    lines.push('#### Directory hand-off (Microsoft Entra ID → Provisioning → Admin Credentials)', '');
    if (report.entra?.updated)
        lines.push('Microsoft Entra ID already holds these values: this run saved them and Entra tested them.', '');
    if (failure)
        lines.push('> [!WARNING]', `> The run failed at step "${failure.step}": read why above before handing these values to the directory.`, '');
    lines.push('| field | value |', '|---|---|', ownRow('Authentication Method', 'OAuth2 Client Credentials Grant'), row('Tenant URL', report.scimUrl, true), row('Token Endpoint', report.tokenUrl, true), row('Client Identifier', clientId, true), ownRow('Client Secret', report.mode !== 'provision'
        ? 'the client-secret input of this step (never shown here)'
        : report.entra?.save === 'saved'
            ? 'held by Microsoft Entra ID (this run saved it there); the step output client-secret is masked, never shown here'
            : 'the step output client-secret (masked; never shown here); an Owner can also read it on the platform'), '');
    return lines.join('\n');
}
function scimResult(report, failedAt) {
    if (failedAt === 'SCIM check')
        return 'failed';
    if (report.scimChecks?.every((check) => check.result === 'passed'))
        return 'passed';
    if (report.requested?.scimCheck === false)
        return 'not requested (scim-check is false)';
    return failedAt === undefined ? 'not run' : 'not run (an earlier step failed)';
}
/**
 * Replaces every registered secret form in `markdown` by `***`, also as the
 * summary escapes it in a table cell (as text, or inside a code span): a second guard behind "secrets are
 * never rendered", for a server that echoes a secret in its error text.
 */
function redactSecrets(markdown, secrets) {
    const forms = new Set();
    for (const secret of secrets) {
        // A form without a letter or digit (`|`, `-`, `**`) cannot be told from the
        // summary's own Markdown, which replacing it would break; values from
        // outside were already redacted cell by cell before they were escaped.
        if (!/[\p{L}\p{N}]/u.test(secret))
            continue;
        forms.add(secret);
        forms.add(escapeText(secret));
        forms.add(flatten(secret).replace(/\|/gu, '\\|'));
    }
    return redact(markdown, forms);
}
/** Writes the rendered summary; a runner without a summary file is not an error. */
async function writeSummary(writer, markdown) {
    try {
        await writer.addRaw(markdown, true).write();
        return true;
    }
    catch {
        return false;
    }
}
/**
 * A table row of the action's own words (no Markdown in them, no text from
 * outside), kept readable in the file; text from the server or the inputs goes
 * through `row` in {@link renderSummary}, which escapes it.
 */
function ownRow(name, text) {
    return `| ${ownCell(name)} | ${ownCell(text)} |`;
}
/** The action's own words in a cell: `&`, `<`, `>` as entities, `|` escaped, one line. */
function ownCell(text) {
    return flatten(text).replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/\|/gu, '\\|');
}
/**
 * Control characters (line breaks of every kind among them) become spaces: a
 * table row is one line; bidirectional controls are removed (errors.ts `stripBidi`).
 */
function flatten(text) {
    // eslint-disable-next-line no-control-regex
    return (0,errors/* stripBidi */.J3)(text).replace(/\r\n|[\u0000-\u001f\u007f-\u009f]/gu, ' ');
}
/**
 * A run of text around an `@` that GitHub's renderer could read as an e-mail
 * address: cmark-gfm's autolink extension links `a@b.c` (and `mailto:a@b.c`,
 * `xmpp:a@b.c`) after backslash escapes and entities are resolved, so escaping
 * does not stop it. Letters, digits and `. _ + - /` before the `@`, letters,
 * digits and `. _ - @` after it.
 */
const EMAIL_SHAPED = /[\p{L}\p{N}._+\-/]*@[\p{L}\p{N}._\-@]*/gu;
/**
 * `text` as plain text in a table cell: every ASCII punctuation character
 * backslash-escaped (CommonMark §2.4 allows it for each of them, and `\|` is a
 * GFM table's own escape), so no link, image, autolink, HTML, entity, emphasis
 * or code span can start; e-mail-shaped runs ({@link EMAIL_SHAPED}) go in a
 * code span, where no autolink is made; line breaks become spaces.
 */
function escapeText(text) {
    const flat = flatten(text);
    const escape = (plain) => plain.replace(/[!-/:-@[-`{-~]/gu, (c) => `\\${c}`);
    let out = '';
    let last = 0;
    for (const match of flat.matchAll(EMAIL_SHAPED)) {
        out += `${escape(flat.slice(last, match.index))}${codeSpan(match[0])}`;
        last = match.index + match[0].length;
    }
    return `${out}${escape(flat.slice(last))}`;
}
/**
 * `text` as a code span in a table cell (nothing inside is read as Markdown):
 * fenced by one backtick more than its longest run of backticks, padded with a
 * space when it starts or ends with a backtick or a space (CommonMark §6.1
 * strips one), `|` escaped as a GFM table requires; line breaks become spaces.
 */
function codeSpan(text) {
    const flat = flatten(text).replace(/\|/gu, '\\|');
    if (flat === '')
        return '';
    const fence = '`'.repeat(Math.max(0, ...(flat.match(/`+/gu) ?? []).map((run) => run.length)) + 1);
    const pad = /^[` ]|[` ]$/u.test(flat) ? ' ' : '';
    return `${fence}${pad}${flat}${pad}${fence}`;
}
function relative(ms) {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 120)
        return `${seconds} s`;
    const minutes = Math.round(seconds / 60);
    if (minutes < 120)
        return `${minutes} min`;
    return `${Math.round(minutes / 60)} h`;
}

;// CONCATENATED MODULE: ./src/runner/proxy.ts
/** `text` as a URL, or undefined when it does not parse. */
function parseUrl(text) {
    try {
        return new URL(text);
    }
    catch {
        return undefined;
    }
}
/** True when `part` (a URL's user name or password) cannot be percent-decoded. */
function undecodable(part) {
    try {
        decodeURIComponent(part);
        return false;
    }
    catch {
        return true;
    }
}
/**
 * The warning for an `https_proxy` (or `HTTPS_PROXY`) in `env` that the HTTP
 * client ignores, so that requests to `baseUrl` go directly to the platform;
 * undefined when there is none, it is used, or `baseUrl` is a loopback host
 * (which the client never sends through a proxy). Two kinds are ignored: a
 * value without a scheme whose host is a name (`proxy.corp:3128`: the URL
 * parser reads `proxy.corp:` as the scheme, so there is no host; an IP address
 * works), and a user name or password with a `%` not followed by two hex
 * digits (decoding it throws, and the whole value is dropped). The warning
 * names the variable and the proxy's `host:port`, never its credentials.
 */
function ignoredProxyWarning(env, baseUrl) {
    const name = env['https_proxy'] ? 'https_proxy' : env['HTTPS_PROXY'] ? 'HTTPS_PROXY' : undefined;
    const value = name === undefined ? undefined : env[name];
    const platform = parseUrl(baseUrl)?.hostname.toLowerCase() ?? '';
    // The hosts http-client never proxies (its isLoopbackAddress): `localhost` exactly, `127.*`, `[::1]`.
    if (name === undefined || value === undefined || /^(?:localhost$|127\.|\[::1\])/u.test(platform))
        return undefined;
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//iu.test(value);
    const proxy = parseUrl(hasScheme ? value : `http://${value}`);
    if (proxy === undefined)
        return undefined;
    const ignored = `${name} (${proxy.host}) is ignored by the HTTP client, so every request goes directly to the platform, not through the proxy`;
    if (!hasScheme && parseUrl(value)?.hostname === '') {
        return `${ignored}: it has no scheme, and its first part is read as one. Write it as http://${proxy.host} (with credentials: http://user:password@${proxy.host})`;
    }
    if (undecodable(proxy.username) || undecodable(proxy.password)) {
        return `${ignored}: its user name or password has a % that does not start a %XX escape. Write each % in the credentials as %25`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/main.ts
/**
 * The run: reads inputs, picks the mode's flow, writes each output as soon as
 * it is known (before the next request), and at the end (success, failure or
 * cancel) writes the step summary and fails the step with one `::error::`.
 * All collaborators are passed in, so tests patch no module.
 */












/** Runs the action once. Never throws: every failure ends in `core.setFailed`. */
async function run(deps) {
    await startRun(deps).done;
}
/** Starts the run (see {@link StartedRun}); the entry file wires `cancel` to the signals. */
function startRun(deps) {
    const { core } = deps;
    // Every form registered with the runner, so the step summary (a file the
    // runner does not mask for us) can be scrubbed of them too.
    const secrets = [];
    const mask = createMask((secret) => {
        secrets.push(secret);
        core.setSecret(secret);
    });
    // Every line printed goes through here: secrets redacted, then made inert
    // (no text from an input or the server may form a workflow command).
    const log = createRunLog(core, (text) => redact(text, secrets));
    const outputs = new OutputWriter((name, value) => core.setOutput(name, value), (error) => describeError(error, secrets));
    let inputs;
    let report;
    let inFlight;
    // The summary's Entra section, loaded with the Entra flows.
    let entraSection;
    let finishing;
    // Once, whichever comes first: the run's end or a cancel.
    const finish = (outcome) => (finishing ??= (async () => {
        let failure = outcome();
        if (report) {
            try {
                outputs.publish(report);
            }
            catch (error) {
                // A GITHUB_OUTPUT file that is missing or not writable: one ::error::, not a stack trace.
                const outputsError = error instanceof OutputsError ? error : new OutputsError(describeError(error, secrets));
                if (failure === undefined)
                    failure = outputsError;
                else if (outputsError !== failure)
                    log.warning(`The step outputs could not be written (GITHUB_OUTPUT): ${outputsError.detail}`);
            }
        }
        const markdown = redactSecrets(renderSummary(inputs?.mode, report, failure, deps.now(), (text) => redact(text, secrets), entraSection), secrets);
        const written = await writeSummary(core.summary, markdown);
        if (!written)
            log.debug('No step summary written (GITHUB_STEP_SUMMARY is not set or not writable)');
        if (failure)
            log.fail(failure.message);
    })());
    const done = (async () => {
        let failure;
        let transport;
        try {
            requireOutputFile(deps.env);
            const getInput = (name, options) => core.getInput(name, options);
            inputs = readInputs(getInput, deps.env, mask, deps.random);
            const unused = unusedInputs(getInput, inputs.mode);
            if (unused.length > 0)
                log.notice(`Mode ${inputs.mode} does not use ${unused.length === 1 ? 'input' : 'inputs'} ${unused.map((name) => `"${name}"`).join(', ')}: ignored`);
            // Loaded only with the Entra inputs (or mode entra-check): a run without them pays nothing for the hand-off.
            const entraFlow = wantsEntra(getInput, inputs.mode) ? await __nccwpck_require__.e(/* import() */ 441).then(__nccwpck_require__.bind(__nccwpck_require__, 441)) : undefined;
            if (entraFlow) {
                const entra = entraFlow.readEntraInputs(getInput, inputs);
                if (entra)
                    inputs.entra = entra;
            }
            const insecure = insecureTlsWarning(deps.env);
            if (insecure)
                log.warning(insecure);
            const ignoredProxy = ignoredProxyWarning(deps.env, inputs.baseUrl);
            if (ignoredProxy)
                log.warning(ignoredProxy);
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
                    if (report)
                        outputs.publish(report);
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
            if (inputs.mode === 'token')
                report.clientId = inputs.clientId;
            else if (inputs.mode === 'provision' && inputs.organizationId !== '')
                report.organizationId = inputs.organizationId;
            const entraInputs = inputs.entra;
            if (entraInputs && entraFlow) {
                report.entra = entraFlow.newEntraReport(entraInputs);
                entraSection = entraFlow.entraSection;
            }
            outputs.publish(report);
            const context = { core: clients.core, env: deps.env, log, sleep: deps.sleep };
            const platform = () => (inputs?.mode === 'provision' ? provision : token)(clients, inputs, report, log);
            if (inputs.mode === 'entra-check' && entraFlow && entraInputs && report.entra) {
                await entraFlow.entraCheck(context, entraInputs, report.entra);
            }
            else {
                log.info(`Mode ${inputs.mode} against ${inputs.baseUrl}${inputs.region ? ` (region ${inputs.region})` : ''}`);
                if (entraFlow && entraInputs)
                    await entraFlow.rotateWithEntra(context, entraInputs, inputs, report, platform);
                else
                    await platform();
            }
        }
        catch (error) {
            failure = error instanceof errors/* ActionError */.lZ ? error : unexpected(error, secrets);
        }
        finally {
            transport?.dispose();
        }
        await finish(() => failure);
    })();
    const cancel = (signal) => finish(() => cancelledError(signal, inFlight, report, inputs?.mode === 'provision' ? inputs.clientName : undefined));
    return { done, cancel };
}
function unexpected(error, secrets) {
    return new errors/* ActionError */.lZ({
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
function describeError(error, secrets) {
    const firstLine = (error instanceof Error ? error.message : String(error)).split(/\r?\n/u)[0] ?? '';
    return (0,errors/* sanitize */.aj)(redact(firstLine, secrets));
}


/***/ }),

/***/ 739:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Er: () => (/* binding */ DETERMINISTIC_BODY_FAILURES),
/* harmony export */   Vj: () => (/* binding */ decodeBody),
/* harmony export */   YK: () => (/* binding */ MAX_BODY_BYTES),
/* harmony export */   x8: () => (/* binding */ readBody),
/* harmony export */   xd: () => (/* binding */ ACCEPT_ENCODING)
/* harmony export */ });
/* harmony import */ var _transport_error_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(565);

/**
 * What the action says it accepts (`Accept-Encoding`): no compression. The
 * platform's answers are a few kilobytes, and they carry secrets next to text
 * the request chose (the registration name): compressing the two together is
 * what BREACH-style attacks measure. Answers compressed anyway are decoded.
 */
const ACCEPT_ENCODING = 'identity';
/**
 * Most bytes of a response body, on the wire and again once decoded. The
 * platform's answers are a few kilobytes; a longer body fails the request
 * (and its connection is closed), so a hostile or broken server cannot fill
 * the runner's memory, neither by size nor by a compression bomb.
 */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * Reads a response body as bytes. Rejects with a {@link TransportError}:
 * `reset` when the connection closes before the body is complete, `network`
 * when the body is longer than `maxBytes` (the response is then destroyed).
 */
function readBody(message, maxBytes) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const cut = () => new _transport_error_js__WEBPACK_IMPORTED_MODULE_0__/* .TransportError */ .wX('reset', 'the connection was closed before the whole response arrived');
        message.on('data', (chunk) => {
            size += chunk.length;
            if (size <= maxBytes) {
                chunks.push(chunk);
                return;
            }
            reject(tooLarge(maxBytes, ''));
            message.destroy();
        });
        message.on('end', () => resolve(Buffer.concat(chunks)));
        message.on('error', () => reject(cut()));
        // After 'end' this changes nothing; before it, the body was cut off.
        message.on('close', () => {
            if (!message.complete)
                reject(cut());
        });
        if (message.destroyed && !message.complete)
            reject(cut());
    });
}
/**
 * node:zlib, loaded on the first compressed answer only: the action asks for
 * none (`Accept-Encoding: identity`), and loading it costs every run a few
 * milliseconds (`npm run bench`).
 */
const zlib = () => process.getBuiltinModule('node:zlib');
/** `deflate` is the zlib format (RFC 9110 §8.4.1.2), but some servers send raw DEFLATE: both are read. */
const inflateEither = (data, options) => {
    try {
        return zlib().inflateSync(data, options);
    }
    catch (error) {
        if (error.code === 'ERR_BUFFER_TOO_LARGE')
            throw error;
        return zlib().inflateRawSync(data, options);
    }
};
const gunzip = (data, options) => zlib().gunzipSync(data, options);
const DECODERS = {
    gzip: gunzip,
    'x-gzip': gunzip,
    deflate: inflateEither,
    br: (data, options) => zlib().brotliDecompressSync(data, options),
};
/**
 * Failure codes of a body that will be the same on every attempt (so not worth
 * sending the request again): longer than the limit, or compressed in a way the
 * action does not read.
 */
const DETERMINISTIC_BODY_FAILURES = new Set(['ERR_BODY_TOO_LARGE', 'ERR_CONTENT_ENCODING']);
/**
 * Decodes `body` as its `Content-Encoding` says (`identity` and none leave it
 * as is) and returns it as UTF-8 text. At most one coding is accepted: the
 * action asks for none, and a coding listed thousands of times would decode in
 * one blocking step of seconds, beyond the request's timeout and deaf to a
 * cancel. The decoded size is bounded by `maxBytes`: decoding stops there.
 * @throws TransportError (`network`) for an unknown coding, more than one
 * coding, data that does not decode, or a decoded body longer than `maxBytes`.
 */
function decodeBody(body, contentEncoding, maxBytes) {
    const header = Array.isArray(contentEncoding) ? contentEncoding.join(',') : (contentEncoding ?? '');
    const codings = header
        .split(',')
        .map((c) => c.trim().toLowerCase())
        .filter((c) => c !== '' && c !== 'identity');
    if (codings.length > 1) {
        throw new _transport_error_js__WEBPACK_IMPORTED_MODULE_0__/* .TransportError */ .wX('network', `a response with ${codings.length > 99 ? 'more than 99' : codings.length} content codings stacked (Content-Encoding; the action decodes at most one)`, 'ERR_CONTENT_ENCODING');
    }
    let data = body;
    for (const coding of codings) {
        const decode = Object.hasOwn(DECODERS, coding) ? DECODERS[coding] : undefined;
        if (decode === undefined) {
            throw new _transport_error_js__WEBPACK_IMPORTED_MODULE_0__/* .TransportError */ .wX('network', `the response is compressed as "${coding.replace(/[^a-z0-9.-]/gu, '?').slice(0, 40)}", which the action cannot read`, 'ERR_CONTENT_ENCODING');
        }
        try {
            data = decode(data, { maxOutputLength: maxBytes });
        }
        catch (error) {
            if (error.code === 'ERR_BUFFER_TOO_LARGE' ||
                error.code === 'ERR_OUT_OF_RANGE') {
                throw tooLarge(maxBytes, coding);
            }
            throw new _transport_error_js__WEBPACK_IMPORTED_MODULE_0__/* .TransportError */ .wX('network', `the ${coding}-compressed response does not decompress (truncated or corrupt)`, 'ERR_CONTENT_DECODING');
        }
    }
    return data.toString('utf8');
}
function tooLarge(maxBytes, coding) {
    const decoded = coding === '' ? '' : ` once decompressed (${coding})`;
    return new _transport_error_js__WEBPACK_IMPORTED_MODULE_0__/* .TransportError */ .wX('network', `the response was larger than ${maxBytes / (1024 * 1024)} MiB${decoded}`, 'ERR_BODY_TOO_LARGE');
}


/***/ }),

/***/ 663:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   St: () => (/* binding */ createHttpTransport),
/* harmony export */   wX: () => (/* reexport safe */ _transport_error_js__WEBPACK_IMPORTED_MODULE_5__.wX)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(67);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(311);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(625);
/* harmony import */ var _actions_http_client_lib_proxy__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(783);
/* harmony import */ var _body_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(739);
/* harmony import */ var _transport_error_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(565);
/* harmony import */ var _trust_js__WEBPACK_IMPORTED_MODULE_6__ = __nccwpck_require__(837);
/**
 * The HTTP transport: one `@actions/http-client` client per run, kept alive so
 * every call of the run shares one connection, that never follows a redirect,
 * never retries by itself (retries are ours: `retry.ts`), bounds each
 * request, connect to last body byte, by a timeout, reads at most
 * {@link MAX_BODY_BYTES} of a body (decoded too: `body.ts`), connects to IPv6
 * literals, and tells a kept-alive connection found dead apart from other resets.
 * Each failure is classified by what happened on the wire (`transport-error.ts`):
 * whether the connection was ever established, and for TLS whose certificate was seen.
 */









/**
 * http-client 4.0.1 hands `URL.hostname` to the socket layer, brackets and
 * all (`[::1]`), which then fails DNS (ENOTFOUND). Without a proxy, this
 * handler gives Node the bare address; Node puts the brackets back in the
 * Host header. Through a proxy the brackets stay: the CONNECT target needs them.
 */
const IPV6_LITERALS = {
    prepareRequest(options) {
        const host = options.host;
        if (typeof host === 'string' && host.startsWith('[') && host.endsWith(']') && options.agent instanceof node_http__WEBPACK_IMPORTED_MODULE_0__.Agent) {
            options.host = host.slice(1, -1);
        }
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not supported')),
};
/** The issuer of a peer certificate as `CN=…, O=…` (name characters only), if it has one. */
function issuerOf(socket) {
    const issuer = socket.getPeerCertificate()?.issuer;
    if (!issuer)
        return undefined;
    const parts = ['CN', 'O', 'OU'].flatMap((key) => {
        const value = issuer[key];
        return value === undefined ? [] : [`${key}=${Array.isArray(value) ? value.join('+') : value}`];
    });
    return (0,_transport_error_js__WEBPACK_IMPORTED_MODULE_5__/* .safeNames */ .KU)(parts.join(', '));
}
/** Records on `wire` when `socket` is established (TCP connected; for TLS, handshake done) and whose certificate it saw. */
function watchSocket(socket, wire, reused) {
    wire.socket = socket;
    if (reused) {
        wire.established = true;
        return;
    }
    if (socket instanceof node_tls__WEBPACK_IMPORTED_MODULE_1__.TLSSocket) {
        // 'secure' comes before Node checks the certificate (and before a failed check destroys the socket).
        socket.prependListener('secure', () => (wire.issuer = issuerOf(socket)));
        socket.once('secureConnect', () => (wire.established = true));
    }
    else if (socket.connecting) {
        socket.once('connect', () => (wire.established = true));
    }
    else {
        wire.established = true;
    }
}
/**
 * Resolves after the event loop has polled for I/O once: a FIN or reset the
 * server already sent on an idle kept-alive connection is then seen, and that
 * connection is not reused. No wait on time.
 */
function nextPoll() {
    return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
/**
 * True when the agent holds a connection: an idle kept-alive one, or the
 * previous request's, about to go back to the pool (the next request would reuse it).
 */
function hasConnection(agent) {
    return [agent.freeSockets, agent.sockets].some((pool) => Object.values(pool).some((sockets) => (sockets?.length ?? 0) > 0));
}
/**
 * Creates the real transport over `@actions/http-client` (which also honours
 * `https_proxy`/`no_proxy`). `userAgent` is sent on every request;
 * `timeoutMs` (milliseconds) is the socket idle timeout, while each `send`
 * bounds its whole exchange by its own `timeoutMs`. `caCertificates` (PEM) are
 * trusted besides the default CAs by this transport only (`trust.ts`
 * `trustedContext`, given to its agents), direct and inside a proxy tunnel;
 * Node's CA list for the rest of the process is unchanged. Requests are sent one at
 * a time (the flows await each call), which is what lets the transport tie a
 * reused socket to the request it carries.
 */
function createHttpTransport(userAgent, timeoutMs, caCertificates = []) {
    const secureContext = (0,_trust_js__WEBPACK_IMPORTED_MODULE_6__/* .trustedContext */ .L)(caCertificates);
    const client = new _actions_http_client__WEBPACK_IMPORTED_MODULE_2__/* .HttpClient */ .Qq(userAgent, [IPV6_LITERALS], {
        allowRedirects: false,
        allowRetries: false,
        maxRetries: 0,
        keepAlive: true,
        socketTimeout: timeoutMs,
    });
    /**
     * While a request is in flight: `reuse` when the agent gave it an idle
     * kept-alive socket; `wire`, what its connection did.
     */
    const inFlight = { wire: {} };
    const watched = new WeakSet();
    /**
     * Every agent (Node's, or the tunnel agent with a proxy) gets the
     * transport's trust and reports the socket each request gets; the direct
     * agent (the tunnel agent never keeps a connection idle) also reports when it
     * hands out an idle socket (`agent.reuseSocket`, Node's documented hook for this).
     * @returns the direct agent, or undefined through a proxy.
     */
    function watch(url) {
        const agent = client.getAgent(url);
        if (!watched.has(agent)) {
            watched.add(agent);
            if (secureContext) {
                agent.options = { ...agent.options, secureContext };
                // An https:// proxy's own TLS connection trusts the same CAs.
                if (agent.proxyOptions)
                    agent.proxyOptions.secureContext = secureContext;
            }
            const addRequest = agent.addRequest.bind(agent);
            agent.addRequest = (...args) => {
                const wire = inFlight.wire;
                const reused = () => inFlight.reuse !== undefined;
                args[0].once('socket', (socket) => watchSocket(socket, wire, reused()));
                return addRequest(...args);
            };
            if (agent instanceof node_http__WEBPACK_IMPORTED_MODULE_0__.Agent) {
                const original = agent.reuseSocket.bind(agent);
                agent.reuseSocket = (socket, req) => {
                    inFlight.reuse = { socket: socket, bytesRead: socket.bytesRead };
                    original(socket, req);
                };
            }
        }
        return agent instanceof node_http__WEBPACK_IMPORTED_MODULE_0__.Agent ? agent : undefined;
    }
    return {
        async send(request, limitMs) {
            const proxyUrl = (0,_actions_http_client_lib_proxy__WEBPACK_IMPORTED_MODULE_3__/* .getProxyUrl */ .s)(new URL(request.url));
            // host:port of the proxy, never its credentials.
            const proxy = proxyUrl?.hostname
                ? `${proxyUrl.hostname}:${proxyUrl.port || (proxyUrl.protocol === 'https:' ? 443 : 80)}`
                : undefined;
            const agent = watch(request.url);
            // The server may have closed the idle connection (e.g. right after the previous
            // answer): let that be seen, so the request goes on a new connection instead.
            if (agent && hasConnection(agent)) {
                await nextPoll();
                dropClosedSockets(agent);
            }
            inFlight.reuse = undefined;
            const wire = { established: false };
            inFlight.wire = wire;
            let timer;
            // Once the deadline passes, the response (if any) is destroyed, so a body
            // that never ends stops being read while the next attempt runs.
            let expired = false;
            let message;
            const deadline = new Promise((_, reject) => {
                timer = setTimeout(() => {
                    expired = true;
                    message?.destroy();
                    if (wire.established === true) {
                        reject(new _transport_error_js__WEBPACK_IMPORTED_MODULE_5__/* .TransportError */ .wX('timeout', `no response within ${limitMs / 1000} s`));
                        return;
                    }
                    // Never connected (SYNs unanswered, or a TLS handshake that never finished): nothing was sent.
                    wire.socket?.destroy();
                    reject(new _transport_error_js__WEBPACK_IMPORTED_MODULE_5__/* .TransportError */ .wX('refused', `no connection within ${limitMs / 1000} s (connect timeout)`, 'ETIMEDOUT'));
                }, limitMs);
            });
            const exchange = (async () => {
                let response;
                try {
                    const headers = { 'accept-encoding': _body_js__WEBPACK_IMPORTED_MODULE_4__/* .ACCEPT_ENCODING */ .xd, ...request.headers };
                    response = await client.request(request.method, request.url, request.body ?? null, headers);
                }
                catch (error) {
                    // No response at all; on a reused socket that read nothing since, the connection was dead before we spoke.
                    const { reuse } = inFlight;
                    const stale = reuse !== undefined && reuse.socket.bytesRead === reuse.bytesRead;
                    if (stale && agent)
                        dropIdleSockets(agent);
                    // A write that failed on a reused socket: not one byte of this request went out.
                    const unwritten = reuse !== undefined && error.syscall === 'write';
                    throw (0,_transport_error_js__WEBPACK_IMPORTED_MODULE_5__/* .classifyNetworkError */ .LW)(error, proxy, stale, { ...wire, unwritten });
                }
                message = response.message;
                if (expired)
                    message.destroy();
                // Not http-client's readBody: it never settles when the connection drops
                // mid-body, and it keeps whatever a server sends.
                const raw = await (0,_body_js__WEBPACK_IMPORTED_MODULE_4__/* .readBody */ .x8)(message, _body_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_BODY_BYTES */ .YK);
                const body = (0,_body_js__WEBPACK_IMPORTED_MODULE_4__/* .decodeBody */ .Vj)(raw, message.headers['content-encoding'], _body_js__WEBPACK_IMPORTED_MODULE_4__/* .MAX_BODY_BYTES */ .YK);
                return { status: message.statusCode ?? 0, headers: message.headers, body };
            })();
            try {
                return await Promise.race([exchange, deadline]);
            }
            finally {
                clearTimeout(timer);
                exchange.catch(() => undefined);
            }
        },
        dispose() {
            client.dispose();
        },
    };
}
/** Closes the agent's idle sockets the server has closed or reset (FIN or RST seen), so none is reused. */
function dropClosedSockets(agent) {
    for (const sockets of Object.values(agent.freeSockets))
        for (const socket of sockets ?? [])
            if (socket.readableEnded || socket.destroyed)
                socket.destroy();
}
/** Closes the agent's idle sockets, so the next request opens a fresh connection. */
function dropIdleSockets(agent) {
    for (const sockets of Object.values(agent.freeSockets))
        for (const socket of sockets ?? [])
            socket.destroy();
}


/***/ }),

/***/ 830:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ isLoopback)
/* harmony export */ });
/**
 * Loopback hosts: the only hosts a request may reach over plain http://, since what it carries
 * (a secret input, the runner's request token) then never leaves the machine.
 */
/** An IPv4 literal in 127.0.0.0/8 (RFC 1122 §3.2.1.3), each octet decimal 0–255 as `URL` writes it. */
const LOOPBACK_IPV4 = /^127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/u;
/**
 * True for a host name that is a loopback address: an IPv4 literal in 127.0.0.0/8, the IPv6
 * loopback `::1` (as `URL.hostname` writes it, `[::1]`, or bare), or `localhost` (RFC 6761 §6.3).
 * A name that only starts with `127.` or `localhost` (`127.evil.example`, `127.0.0.1.nip.io`,
 * `localhost.evil.example`) is resolved by DNS to any address: false.
 * @param hostname a URL's `hostname` (WHATWG `URL` has already turned `127.1` or `0x7f.0.0.1`
 * into `127.0.0.1`, and `[0:0::1]` into `[::1]`).
 */
function isLoopback(hostname) {
    return (hostname.toLowerCase() === 'localhost' || hostname === '[::1]' || hostname === '::1' || LOOPBACK_IPV4.test(hostname));
}


/***/ }),

/***/ 565:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   KU: () => (/* binding */ safeNames),
/* harmony export */   LW: () => (/* binding */ classifyNetworkError),
/* harmony export */   wX: () => (/* binding */ TransportError)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(67);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/**
 * Why a request got no usable response, as facts the retry policy and the
 * error advice (`client/network-advice.ts`) act on. Built from Node's and the
 * proxy tunnel's errors without keeping the original object (which can carry
 * request headers).
 */

/** A request that got no usable HTTP response. Its message holds no body or header. */
class TransportError extends Error {
    kind;
    /** Node's or OpenSSL's error code (`ECONNRESET`, `CERT_HAS_EXPIRED`, …). */
    code;
    details;
    constructor(kind, message, code, details = {}) {
        super(message);
        this.name = 'TransportError';
        this.kind = kind;
        this.code = code;
        this.details = details;
    }
    /** True when some of the request may have reached the server (so the server may have acted on it). */
    get reached() {
        return this.details.reached ?? !(this.kind === 'refused' || this.kind === 'proxy' || this.kind === 'tls');
    }
}
const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ENETUNREACH', 'EHOSTUNREACH']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
/** OpenSSL's words when the other end does not speak TLS (an http:// port, or another protocol). */
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/iu;
/** OpenSSL certificate-verification codes and Node's TLS codes. */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(?:VERIFY|GET|DECRYPT|DECODE)|^ERR_TLS|^ERR_SSL|HOSTNAME_MISMATCH|^INVALID_CA|^PATH_LENGTH/u;
/** The errors `tunnel` (the http-client's HTTPS-over-proxy agent) raises when CONNECT fails. */
const TUNNEL = /^tunneling socket could not be established, (?:statusCode=(\d+)|cause=(.*))$/su;
/** OpenSSL's words for a certificate or key below the security level (Node reports code `UNSPECIFIED` for some). */
const TOO_WEAK = /too weak|too small/iu;
/**
 * Only the characters a certificate's DNS names, IP addresses and distinguished
 * names use, at most 160: server text stays inert.
 */
function safeNames(text) {
    if (typeof text !== 'string' || text === '')
        return undefined;
    const safe = text.replace(/[^A-Za-z0-9.*:,= _-]/gu, '?');
    return safe.length > 160 ? `${safe.slice(0, 159)}…` : safe;
}
/** The failure of a connection that was never established: nothing was sent. */
function unestablished(code, message) {
    if (code === 'ETIMEDOUT' || /timeout/iu.test(message))
        return new TransportError('refused', 'no connection in time (connect timeout)', 'ETIMEDOUT');
    return new TransportError('refused', `the connection closed before it was established (${code ?? 'socket hang up'})`, code ?? 'ECONNRESET');
}
/**
 * Maps a Node/http-client error to a {@link TransportError}, by what happened
 * on the wire where `wire` says so: a connection never established sent
 * nothing (`refused`, whatever the error); a TLS error after the handshake broke
 * the stream of a request that was sent (`reset`).
 * @param proxy the proxy the request went through, `host:port` without credentials, if any.
 * @param stale true when the request reused an idle kept-alive connection and not one byte of a response arrived on it.
 * @param wire what the transport saw of this request's connection ({@link WireFacts}).
 */
function classifyNetworkError(error, proxy, stale = false, wire = {}) {
    const failure = classifyError(error, proxy, stale, wire);
    if (failure.kind === 'tls' && proxy !== undefined)
        failure.details.proxy = proxy;
    if (failure.kind === 'tls' && wire.issuer !== undefined)
        failure.details.issuer = wire.issuer;
    return failure;
}
function classifyError(error, proxy, stale, wire) {
    const code = typeof error?.code === 'string' ? error.code : undefined;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'HPE_HEADER_OVERFLOW') {
        return new TransportError('network', `the response headers are larger than Node's limit of ${node_http__WEBPACK_IMPORTED_MODULE_0__.maxHeaderSize} bytes (${code})`, code, { deterministic: true });
    }
    const tunnel = TUNNEL.exec(message);
    if (proxy !== undefined && tunnel) {
        const status = tunnel[1] === undefined ? undefined : Number(tunnel[1]);
        const cause = /\b(E[A-Z_]+)\b/u.exec(tunnel[2] ?? '')?.[1];
        const what = status === undefined
            ? `could not reach the proxy ${proxy}${cause ? ` (${cause})` : ''}`
            : `the proxy ${proxy} answered HTTP ${status} to CONNECT`;
        return new TransportError('proxy', what, cause, { proxy, proxyStatus: status });
    }
    if (proxy !== undefined && /illegal response body from proxy/u.test(message)) {
        return new TransportError('proxy', `the proxy ${proxy} sent data before the tunnel was open`, code, { proxy });
    }
    const tlsError = code === 'EPROTO' ||
        code === 'UNSPECIFIED' ||
        (code !== undefined && TLS_CODE.test(code)) ||
        TOO_WEAK.test(message);
    if (tlsError && wire.established === true && wire.unwritten !== true) {
        // The handshake was done (on a reused connection, long ago) and the request written: something
        // broke the stream mid-answer, e.g. a middlebox. Its record failed, so `stale` says nothing here.
        return new TransportError('reset', `the connection was reset: its TLS stream broke after the request was sent (${code ?? 'TLS'})`, code, {
            reached: true,
        });
    }
    if (code === 'UNSPECIFIED' || (code !== undefined && TOO_WEAK.test(code)) || TOO_WEAK.test(message)) {
        const weakness = safeNames(message.split('\n')[0]?.slice(0, 120)) ?? 'too weak';
        return new TransportError('tls', `the certificate was refused by Node as too weak (${weakness})`, code ?? 'UNSPECIFIED', {
            weakness,
        });
    }
    if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
        const notTls = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || NOT_TLS.test(message);
        return new TransportError('tls', notTls ? 'the server did not answer in TLS' : 'the TLS handshake failed', notTls ? 'ERR_SSL_WRONG_VERSION_NUMBER' : code);
    }
    if (code !== undefined && TLS_CODE.test(code)) {
        const names = safeNames(error.cert?.subjectaltname);
        return new TransportError('tls', `the certificate check failed (${code})`, code, names === undefined ? {} : { certificateNames: names });
    }
    if (code !== undefined && REFUSED.has(code))
        return new TransportError('refused', `could not connect (${code})`, code);
    if (wire.established === false)
        return unestablished(code, message);
    const reset = (code !== undefined && RESET.has(code)) || /socket hang up/iu.test(message);
    if (reset && stale) {
        return new TransportError('stale', `the connection was reset before any byte of a response (${code ?? 'ECONNRESET'} on a kept-alive connection reused after being idle${wire.unwritten === true ? ', before any byte of the request was written' : ''})`, code ?? 'ECONNRESET', wire.unwritten === true ? { reached: false } : {});
    }
    if (code !== undefined && RESET.has(code))
        return new TransportError('reset', `the connection was reset (${code})`, code);
    if (/socket hang up/iu.test(message))
        return new TransportError('reset', 'the connection was closed before a response (socket hang up)', code);
    if (/timeout/iu.test(message) || code === 'ETIMEDOUT')
        return new TransportError('timeout', 'no response in time', code);
    return new TransportError('network', `network error${code ? ` (${code})` : ''}`, code);
}


/***/ }),

/***/ 837:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ trustedContext),
/* harmony export */   P: () => (/* binding */ pemBlocks)
/* harmony export */ });
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(311);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_0__);
/**
 * TLS trust: finding PEM blocks in text, and the trust of one transport (the
 * default CAs plus the run's own) for every request of the run, direct or
 * through a proxy tunnel.
 * Verification is never turned off here.
 */

/**
 * The PEM blocks of `text` (RFC 7468 §2), in order: each `-----BEGIN <label>-----`
 * up to its matching `-----END <label>-----`. One pass over the text (a
 * BEGIN without its END is skipped), so no input can make it slow.
 */
function pemBlocks(text) {
    const blocks = [];
    let at = 0;
    for (;;) {
        const begin = text.indexOf('-----BEGIN ', at);
        if (begin === -1)
            return blocks;
        const label = /^-----BEGIN ([A-Z0-9 ]{1,64})-----/u.exec(text.slice(begin, begin + 80))?.[1];
        const next = text.indexOf('-----BEGIN ', begin + 11);
        // The END must come before the next BEGIN (else this block is broken): searched
        // in that stretch only, so each stretch of the text is read once.
        const offset = label === undefined ? -1 : text.slice(begin, next === -1 ? undefined : next).indexOf(`-----END ${label}-----`);
        const endMark = offset === -1 ? -1 : begin + offset;
        if (label === undefined || endMark === -1) {
            at = begin + 11;
            continue;
        }
        const end = endMark + `-----END ${label}-----`.length;
        blocks.push({ label, pem: text.slice(begin, end) });
        at = end;
    }
}
/**
 * The trust of one transport: a TLS secure context that trusts what Node
 * trusts by default (its bundled CAs, or OpenSSL's store under
 * `--use-openssl-ca`, the system store under `--use-system-ca`, and
 * NODE_EXTRA_CA_CERTS) plus `certificates` (PEM). Undefined when there is
 * nothing to add (Node's default trust holds). Nothing changes for the rest of
 * the process. The context is made without a `ca` option and the certificates
 * are then added to its own copy of the default store (`addCACert` of Node's
 * native context): a `ca` list, even one starting with
 * `tls.getCACertificates('default')`, would replace the store, and under
 * `--use-openssl-ca` that list lacks OpenSSL's CAs. Given to every TLS
 * connection of the transport, direct or inside a proxy tunnel (`http.ts`).
 */
function trustedContext(certificates) {
    if (certificates.length === 0)
        return undefined;
    const context = node_tls__WEBPACK_IMPORTED_MODULE_0__.createSecureContext();
    const native = context.context;
    for (const pem of certificates)
        native.addCACert(pem);
    return context;
}


/***/ }),

/***/ 190:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ outputsOf),
/* harmony export */   d: () => (/* binding */ entraHolds)
/* harmony export */ });
/**
 * What Microsoft Entra ID holds after a hand-off that failed or was cancelled, in one clause
 * (for the `::error::` and the summary); undefined when no hand-off was under way.
 */
function entraHolds(entra) {
    if (entra === undefined)
        return undefined;
    switch (entra.save) {
        case 'saved':
            return 'Microsoft Entra ID holds the new values';
        case 'sent':
            return 'Microsoft Entra ID may hold the old or the new values (the save was sent, and its outcome is unknown: no answer, or a server error after a try that may have saved); run mode entra-check before re-running, to see whether the values it holds work';
        default:
            return 'Microsoft Entra ID still holds its old values (nothing was saved)';
    }
}
/**
 * The outputs a report yields: only the values it knows (a failed run sets
 * what it got before failing). Input-error runs have no report and no outputs.
 */
function outputsOf(report) {
    // Mode entra-check does not use the platform: no platform URLs.
    const out = report.mode === 'entra-check' ? {} : { 'scim-url': report.scimUrl, 'token-url': report.tokenUrl };
    const registration = report.registration;
    if (registration) {
        if (registration.id !== undefined)
            out['registration-id'] = registration.id;
        if (registration.clientId !== undefined)
            out['client-id'] = registration.clientId;
        if (registration.clientSecret !== undefined)
            out['client-secret'] = registration.clientSecret;
    }
    const token = report.token;
    if (token) {
        out['access-token'] = token.accessToken;
        out['token-type'] = token.tokenType;
        if (token.expiresIn !== undefined)
            out['expires-in'] = String(token.expiresIn);
        if (token.expiresAt !== undefined)
            out['expires-at'] = token.expiresAt;
    }
    const entra = report.entra;
    if (entra) {
        out['entra-updated'] = String(entra.updated);
        if (entra.jobId !== undefined)
            out['entra-job-id'] = entra.jobId;
    }
    return out;
}


/***/ }),

/***/ 666:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ checkUrl),
/* harmony export */   T: () => (/* binding */ quoted)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(916);
/* harmony import */ var _net_loopback_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(830);
/**
 * How an input is checked and quoted in error messages: URL inputs (`base-url`, `audience`, the
 * `entra-*-url` inputs) and any value echoed back. A small module of its own so the lazily loaded
 * Entra inputs share it without loading the whole of `inputs.ts`.
 */


/**
 * Checks a URL input: absolute http(s), plain http:// only to a loopback host,
 * no user info, query or fragment (none of them is echoed: they may hold a secret).
 * @throws ActionError naming the input.
 */
function checkUrl(name, text, fixes) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input "${name}" is not an absolute URL`, fixes.example);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input "${name}" uses ${url.protocol.replace(':', '')}`, 'use an https:// URL');
    }
    if (url.protocol === 'http:' && !(0,_net_loopback_js__WEBPACK_IMPORTED_MODULE_1__/* .isLoopback */ .U)(url.hostname)) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input "${name}" uses plain http:// to ${url.hostname}`, fixes.httpFix);
    }
    if (url.username !== '' || url.password !== '') {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input "${name}" carries a user name or password`, 'remove the user:password@ part; pass credentials in their own inputs');
    }
    if (url.search !== '' || url.hash !== '') {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .inputError */ .Xu)(`input "${name}" has a query or fragment`, fixes.queryFix);
    }
    return url;
}
/**
 * An input's value as an error message quotes it: on one line, at most 60
 * characters (an input can be any length, and the message goes to the log
 * and the step summary).
 */
function quoted(text) {
    return `"${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .sanitize */ .aj)(text, 60)}"`;
}


/***/ }),

/***/ 613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 67:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 500:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");

/***/ }),

/***/ 311:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 23:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 79:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

// ESM COMPAT FLAG
__nccwpck_require__.r(__webpack_exports__);

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  ExitCode: () => (/* binding */ ExitCode),
  addPath: () => (/* binding */ addPath),
  debug: () => (/* binding */ debug),
  endGroup: () => (/* binding */ endGroup),
  error: () => (/* binding */ error),
  exportVariable: () => (/* binding */ exportVariable),
  getBooleanInput: () => (/* binding */ getBooleanInput),
  getIDToken: () => (/* binding */ getIDToken),
  getInput: () => (/* binding */ getInput),
  getMultilineInput: () => (/* binding */ getMultilineInput),
  getState: () => (/* binding */ getState),
  group: () => (/* binding */ group),
  info: () => (/* binding */ info),
  isDebug: () => (/* binding */ isDebug),
  markdownSummary: () => (/* reexport */ markdownSummary),
  notice: () => (/* binding */ notice),
  platform: () => (/* reexport */ platform_namespaceObject),
  saveState: () => (/* binding */ saveState),
  setCommandEcho: () => (/* binding */ setCommandEcho),
  setFailed: () => (/* binding */ setFailed),
  setOutput: () => (/* binding */ setOutput),
  setSecret: () => (/* binding */ setSecret),
  startGroup: () => (/* binding */ startGroup),
  summary: () => (/* reexport */ summary),
  toPlatformPath: () => (/* reexport */ toPlatformPath),
  toPosixPath: () => (/* reexport */ toPosixPath),
  toWin32Path: () => (/* reexport */ toWin32Path),
  warning: () => (/* binding */ warning)
});

// NAMESPACE OBJECT: ./node_modules/@actions/core/lib/platform.js
var platform_namespaceObject = {};
__nccwpck_require__.r(platform_namespaceObject);
__nccwpck_require__.d(platform_namespaceObject, {
  arch: () => (arch),
  getDetails: () => (getDetails),
  isLinux: () => (isLinux),
  isMacOS: () => (isMacOS),
  isWindows: () => (isWindows),
  platform: () => (platform)
});

;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_namespaceObject.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_namespaceObject.appendFileSync(filePath, `${toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __nccwpck_require__(625);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/auth.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BasicCredentialHandler {
    constructor(username, password) {
        this.username = username;
        this.password = password;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class PersonalAccessTokenCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`PAT:${this.token}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
//# sourceMappingURL=auth.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/oidc-utils.js
var oidc_utils_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new lib/* HttpClient */.Qq('actions/oidc-client', [new BearerCredentialHandler(OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
//# sourceMappingURL=oidc-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_namespaceObject.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_namespaceObject.constants.R_OK | external_fs_namespaceObject.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = _summary;
const summary = _summary;
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/path-utils.js

/**
 * toPosixPath converts the given path to the posix form. On Windows, \\ will be
 * replaced with /.
 *
 * @param pth. Path to transform.
 * @return string Posix path.
 */
function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
/**
 * toWin32Path converts the given path to the win32 form. On Linux, / will be
 * replaced with \\.
 *
 * @param pth. Path to transform.
 * @return string Win32 path.
 */
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
/**
 * toPlatformPath converts the given path to a platform-specific path. It does
 * this by replacing instances of / and \ with the platform-specific path
 * separator.
 *
 * @param pth The path to platformize.
 * @return string The platform-specific path.
 */
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, external_path_namespaceObject.sep);
}
//# sourceMappingURL=path-utils.js.map
;// CONCATENATED MODULE: external "string_decoder"
const external_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");
// EXTERNAL MODULE: external "events"
var external_events_ = __nccwpck_require__(434);
;// CONCATENATED MODULE: external "child_process"
const external_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");
// EXTERNAL MODULE: external "assert"
var external_assert_ = __nccwpck_require__(613);
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io-util.js
var io_util_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open: io_util_open, readdir, rename, rm, rmdir, stat, symlink, unlink } = external_fs_namespaceObject.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = external_fs_namespaceObject.constants.O_RDONLY;
function exists(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return io_util_awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = external_path_namespaceObject.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = external_path_namespaceObject.dirname(filePath);
                        const upperName = external_path_namespaceObject.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = external_path_namespaceObject.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io.js
var io_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield io_copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (ioUtil.IS_WINDOWS) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield ioUtil.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        ok(fsPath, 'a path argument must be provided');
        yield ioUtil.mkdir(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (IS_WINDOWS) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (IS_WINDOWS && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(external_path_namespaceObject.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (isRooted(tool)) {
            const filePath = yield tryGetExecutablePath(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(external_path_namespaceObject.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(external_path_namespaceObject.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield tryGetExecutablePath(external_path_namespaceObject.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield io_copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function io_copyFile(srcFile, destFile, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map
;// CONCATENATED MODULE: external "timers"
const external_timers_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/toolrunner.js
var toolrunner_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};







/* eslint-disable @typescript-eslint/unbound-method */
const toolrunner_IS_WINDOWS = process.platform === 'win32';
/*
 * Class for running command line tools. Handles quoting and arg parsing in a platform agnostic way.
 */
class ToolRunner extends external_events_.EventEmitter {
    constructor(toolPath, args, options) {
        super();
        if (!toolPath) {
            throw new Error("Parameter 'toolPath' cannot be null or empty.");
        }
        this.toolPath = toolPath;
        this.args = args || [];
        this.options = options || {};
    }
    _debug(message) {
        if (this.options.listeners && this.options.listeners.debug) {
            this.options.listeners.debug(message);
        }
    }
    _getCommandString(options, noPrefix) {
        const toolPath = this._getSpawnFileName();
        const args = this._getSpawnArgs(options);
        let cmd = noPrefix ? '' : '[command]'; // omit prefix when piped to a second tool
        if (toolrunner_IS_WINDOWS) {
            // Windows + cmd file
            if (this._isCmdFile()) {
                cmd += toolPath;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows + verbatim
            else if (options.windowsVerbatimArguments) {
                cmd += `"${toolPath}"`;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows (regular)
            else {
                cmd += this._windowsQuoteCmdArg(toolPath);
                for (const a of args) {
                    cmd += ` ${this._windowsQuoteCmdArg(a)}`;
                }
            }
        }
        else {
            // OSX/Linux - this can likely be improved with some form of quoting.
            // creating processes on Unix is fundamentally different than Windows.
            // on Unix, execvp() takes an arg array.
            cmd += toolPath;
            for (const a of args) {
                cmd += ` ${a}`;
            }
        }
        return cmd;
    }
    _processLineBuffer(data, strBuffer, onLine) {
        try {
            let s = strBuffer + data.toString();
            let n = s.indexOf(external_os_namespaceObject.EOL);
            while (n > -1) {
                const line = s.substring(0, n);
                onLine(line);
                // the rest of the string ...
                s = s.substring(n + external_os_namespaceObject.EOL.length);
                n = s.indexOf(external_os_namespaceObject.EOL);
            }
            return s;
        }
        catch (err) {
            // streaming lines to console is best effort.  Don't fail a build.
            this._debug(`error processing line. Failed with error ${err}`);
            return '';
        }
    }
    _getSpawnFileName() {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                return process.env['COMSPEC'] || 'cmd.exe';
            }
        }
        return this.toolPath;
    }
    _getSpawnArgs(options) {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
                for (const a of this.args) {
                    argline += ' ';
                    argline += options.windowsVerbatimArguments
                        ? a
                        : this._windowsQuoteCmdArg(a);
                }
                argline += '"';
                return [argline];
            }
        }
        return this.args;
    }
    _endsWith(str, end) {
        return str.endsWith(end);
    }
    _isCmdFile() {
        const upperToolPath = this.toolPath.toUpperCase();
        return (this._endsWith(upperToolPath, '.CMD') ||
            this._endsWith(upperToolPath, '.BAT'));
    }
    _windowsQuoteCmdArg(arg) {
        // for .exe, apply the normal quoting rules that libuv applies
        if (!this._isCmdFile()) {
            return this._uvQuoteCmdArg(arg);
        }
        // otherwise apply quoting rules specific to the cmd.exe command line parser.
        // the libuv rules are generic and are not designed specifically for cmd.exe
        // command line parser.
        //
        // for a detailed description of the cmd.exe command line parser, refer to
        // http://stackoverflow.com/questions/4094699/how-does-the-windows-command-interpreter-cmd-exe-parse-scripts/7970912#7970912
        // need quotes for empty arg
        if (!arg) {
            return '""';
        }
        // determine whether the arg needs to be quoted
        const cmdSpecialChars = [
            ' ',
            '\t',
            '&',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            '^',
            '=',
            ';',
            '!',
            "'",
            '+',
            ',',
            '`',
            '~',
            '|',
            '<',
            '>',
            '"'
        ];
        let needsQuotes = false;
        for (const char of arg) {
            if (cmdSpecialChars.some(x => x === char)) {
                needsQuotes = true;
                break;
            }
        }
        // short-circuit if quotes not needed
        if (!needsQuotes) {
            return arg;
        }
        // the following quoting rules are very similar to the rules that by libuv applies.
        //
        // 1) wrap the string in quotes
        //
        // 2) double-up quotes - i.e. " => ""
        //
        //    this is different from the libuv quoting rules. libuv replaces " with \", which unfortunately
        //    doesn't work well with a cmd.exe command line.
        //
        //    note, replacing " with "" also works well if the arg is passed to a downstream .NET console app.
        //    for example, the command line:
        //          foo.exe "myarg:""my val"""
        //    is parsed by a .NET console app into an arg array:
        //          [ "myarg:\"my val\"" ]
        //    which is the same end result when applying libuv quoting rules. although the actual
        //    command line from libuv quoting rules would look like:
        //          foo.exe "myarg:\"my val\""
        //
        // 3) double-up slashes that precede a quote,
        //    e.g.  hello \world    => "hello \world"
        //          hello\"world    => "hello\\""world"
        //          hello\\"world   => "hello\\\\""world"
        //          hello world\    => "hello world\\"
        //
        //    technically this is not required for a cmd.exe command line, or the batch argument parser.
        //    the reasons for including this as a .cmd quoting rule are:
        //
        //    a) this is optimized for the scenario where the argument is passed from the .cmd file to an
        //       external program. many programs (e.g. .NET console apps) rely on the slash-doubling rule.
        //
        //    b) it's what we've been doing previously (by deferring to node default behavior) and we
        //       haven't heard any complaints about that aspect.
        //
        // note, a weakness of the quoting rules chosen here, is that % is not escaped. in fact, % cannot be
        // escaped when used on the command line directly - even though within a .cmd file % can be escaped
        // by using %%.
        //
        // the saving grace is, on the command line, %var% is left as-is if var is not defined. this contrasts
        // the line parsing rules within a .cmd file, where if var is not defined it is replaced with nothing.
        //
        // one option that was explored was replacing % with ^% - i.e. %var% => ^%var^%. this hack would
        // often work, since it is unlikely that var^ would exist, and the ^ character is removed when the
        // variable is used. the problem, however, is that ^ is not removed when %* is used to pass the args
        // to an external program.
        //
        // an unexplored potential solution for the % escaping problem, is to create a wrapper .cmd file.
        // % can be escaped within a .cmd file.
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\'; // double the slash
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '"'; // double the quote
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _uvQuoteCmdArg(arg) {
        // Tool runner wraps child_process.spawn() and needs to apply the same quoting as
        // Node in certain cases where the undocumented spawn option windowsVerbatimArguments
        // is used.
        //
        // Since this function is a port of quote_cmd_arg from Node 4.x (technically, lib UV,
        // see https://github.com/nodejs/node/blob/v4.x/deps/uv/src/win/process.c for details),
        // pasting copyright notice from Node within this function:
        //
        //      Copyright Joyent, Inc. and other Node contributors. All rights reserved.
        //
        //      Permission is hereby granted, free of charge, to any person obtaining a copy
        //      of this software and associated documentation files (the "Software"), to
        //      deal in the Software without restriction, including without limitation the
        //      rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
        //      sell copies of the Software, and to permit persons to whom the Software is
        //      furnished to do so, subject to the following conditions:
        //
        //      The above copyright notice and this permission notice shall be included in
        //      all copies or substantial portions of the Software.
        //
        //      THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        //      IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        //      FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        //      AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        //      LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
        //      FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
        //      IN THE SOFTWARE.
        if (!arg) {
            // Need double quotation for empty argument
            return '""';
        }
        if (!arg.includes(' ') && !arg.includes('\t') && !arg.includes('"')) {
            // No quotation needed
            return arg;
        }
        if (!arg.includes('"') && !arg.includes('\\')) {
            // No embedded double quotes or backslashes, so I can just wrap
            // quote marks around the whole thing.
            return `"${arg}"`;
        }
        // Expected input/output:
        //   input : hello"world
        //   output: "hello\"world"
        //   input : hello""world
        //   output: "hello\"\"world"
        //   input : hello\world
        //   output: hello\world
        //   input : hello\\world
        //   output: hello\\world
        //   input : hello\"world
        //   output: "hello\\\"world"
        //   input : hello\\"world
        //   output: "hello\\\\\"world"
        //   input : hello world\
        //   output: "hello world\\" - note the comment in libuv actually reads "hello world\"
        //                             but it appears the comment is wrong, it should be "hello world\\"
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\';
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '\\';
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _cloneExecOptions(options) {
        options = options || {};
        const result = {
            cwd: options.cwd || process.cwd(),
            env: options.env || process.env,
            silent: options.silent || false,
            windowsVerbatimArguments: options.windowsVerbatimArguments || false,
            failOnStdErr: options.failOnStdErr || false,
            ignoreReturnCode: options.ignoreReturnCode || false,
            delay: options.delay || 10000
        };
        result.outStream = options.outStream || process.stdout;
        result.errStream = options.errStream || process.stderr;
        return result;
    }
    _getSpawnOptions(options, toolPath) {
        options = options || {};
        const result = {};
        result.cwd = options.cwd;
        result.env = options.env;
        result['windowsVerbatimArguments'] =
            options.windowsVerbatimArguments || this._isCmdFile();
        if (options.windowsVerbatimArguments) {
            result.argv0 = `"${toolPath}"`;
        }
        return result;
    }
    /**
     * Exec a tool.
     * Output will be streamed to the live console.
     * Returns promise with return code
     *
     * @param     tool     path to tool to exec
     * @param     options  optional exec options.  See ExecOptions
     * @returns   number
     */
    exec() {
        return toolrunner_awaiter(this, void 0, void 0, function* () {
            // root the tool path if it is unrooted and contains relative pathing
            if (!isRooted(this.toolPath) &&
                (this.toolPath.includes('/') ||
                    (toolrunner_IS_WINDOWS && this.toolPath.includes('\\')))) {
                // prefer options.cwd if it is specified, however options.cwd may also need to be rooted
                this.toolPath = external_path_namespaceObject.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
            }
            // if the tool is only a file name, then resolve it from the PATH
            // otherwise verify it exists (add extension on Windows if necessary)
            this.toolPath = yield which(this.toolPath, true);
            return new Promise((resolve, reject) => toolrunner_awaiter(this, void 0, void 0, function* () {
                this._debug(`exec tool: ${this.toolPath}`);
                this._debug('arguments:');
                for (const arg of this.args) {
                    this._debug(`   ${arg}`);
                }
                const optionsNonNull = this._cloneExecOptions(this.options);
                if (!optionsNonNull.silent && optionsNonNull.outStream) {
                    optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + external_os_namespaceObject.EOL);
                }
                const state = new ExecState(optionsNonNull, this.toolPath);
                state.on('debug', (message) => {
                    this._debug(message);
                });
                if (this.options.cwd && !(yield exists(this.options.cwd))) {
                    return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
                }
                const fileName = this._getSpawnFileName();
                const cp = external_child_process_namespaceObject.spawn(fileName, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName));
                let stdbuffer = '';
                if (cp.stdout) {
                    cp.stdout.on('data', (data) => {
                        if (this.options.listeners && this.options.listeners.stdout) {
                            this.options.listeners.stdout(data);
                        }
                        if (!optionsNonNull.silent && optionsNonNull.outStream) {
                            optionsNonNull.outStream.write(data);
                        }
                        stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.stdline) {
                                this.options.listeners.stdline(line);
                            }
                        });
                    });
                }
                let errbuffer = '';
                if (cp.stderr) {
                    cp.stderr.on('data', (data) => {
                        state.processStderr = true;
                        if (this.options.listeners && this.options.listeners.stderr) {
                            this.options.listeners.stderr(data);
                        }
                        if (!optionsNonNull.silent &&
                            optionsNonNull.errStream &&
                            optionsNonNull.outStream) {
                            const s = optionsNonNull.failOnStdErr
                                ? optionsNonNull.errStream
                                : optionsNonNull.outStream;
                            s.write(data);
                        }
                        errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.errline) {
                                this.options.listeners.errline(line);
                            }
                        });
                    });
                }
                cp.on('error', (err) => {
                    state.processError = err.message;
                    state.processExited = true;
                    state.processClosed = true;
                    state.CheckComplete();
                });
                cp.on('exit', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                cp.on('close', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    state.processClosed = true;
                    this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                state.on('done', (error, exitCode) => {
                    if (stdbuffer.length > 0) {
                        this.emit('stdline', stdbuffer);
                    }
                    if (errbuffer.length > 0) {
                        this.emit('errline', errbuffer);
                    }
                    cp.removeAllListeners();
                    if (error) {
                        reject(error);
                    }
                    else {
                        resolve(exitCode);
                    }
                });
                if (this.options.input) {
                    if (!cp.stdin) {
                        throw new Error('child process missing stdin');
                    }
                    cp.stdin.end(this.options.input);
                }
            }));
        });
    }
}
/**
 * Convert an arg string to an array of args. Handles escaping
 *
 * @param    argString   string of arguments
 * @returns  string[]    array of arguments
 */
function argStringToArray(argString) {
    const args = [];
    let inQuotes = false;
    let escaped = false;
    let arg = '';
    function append(c) {
        // we only escape double quotes.
        if (escaped && c !== '"') {
            arg += '\\';
        }
        arg += c;
        escaped = false;
    }
    for (let i = 0; i < argString.length; i++) {
        const c = argString.charAt(i);
        if (c === '"') {
            if (!escaped) {
                inQuotes = !inQuotes;
            }
            else {
                append(c);
            }
            continue;
        }
        if (c === '\\' && escaped) {
            append(c);
            continue;
        }
        if (c === '\\' && inQuotes) {
            escaped = true;
            continue;
        }
        if (c === ' ' && !inQuotes) {
            if (arg.length > 0) {
                args.push(arg);
                arg = '';
            }
            continue;
        }
        append(c);
    }
    if (arg.length > 0) {
        args.push(arg.trim());
    }
    return args;
}
class ExecState extends external_events_.EventEmitter {
    constructor(options, toolPath) {
        super();
        this.processClosed = false; // tracks whether the process has exited and stdio is closed
        this.processError = '';
        this.processExitCode = 0;
        this.processExited = false; // tracks whether the process has exited
        this.processStderr = false; // tracks whether stderr was written to
        this.delay = 10000; // 10 seconds
        this.done = false;
        this.timeout = null;
        if (!toolPath) {
            throw new Error('toolPath must not be empty');
        }
        this.options = options;
        this.toolPath = toolPath;
        if (options.delay) {
            this.delay = options.delay;
        }
    }
    CheckComplete() {
        if (this.done) {
            return;
        }
        if (this.processClosed) {
            this._setResult();
        }
        else if (this.processExited) {
            this.timeout = (0,external_timers_namespaceObject.setTimeout)(ExecState.HandleTimeout, this.delay, this);
        }
    }
    _debug(message) {
        this.emit('debug', message);
    }
    _setResult() {
        // determine whether there is an error
        let error;
        if (this.processExited) {
            if (this.processError) {
                error = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
            }
            else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
                error = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
            }
            else if (this.processStderr && this.options.failOnStdErr) {
                error = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
            }
        }
        // clear the timeout
        if (this.timeout) {
            clearTimeout(this.timeout);
            this.timeout = null;
        }
        this.done = true;
        this.emit('done', error, this.processExitCode);
    }
    static HandleTimeout(state) {
        if (state.done) {
            return;
        }
        if (!state.processClosed && state.processExited) {
            const message = `The STDIO streams did not close within ${state.delay / 1000} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
            state._debug(message);
        }
        state._setResult();
    }
}
//# sourceMappingURL=toolrunner.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/exec.js
var exec_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


/**
 * Exec a command.
 * Output will be streamed to the live console.
 * Returns promise with return code
 *
 * @param     commandLine        command to execute (can include additional args). Must be correctly escaped.
 * @param     args               optional arguments for tool. Escaping is handled by the lib.
 * @param     options            optional exec options.  See ExecOptions
 * @returns   Promise<number>    exit code
 */
function exec(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        const commandArgs = argStringToArray(commandLine);
        if (commandArgs.length === 0) {
            throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
        }
        // Path to tool to execute should be first arg
        const toolPath = commandArgs[0];
        args = commandArgs.slice(1).concat(args || []);
        const runner = new ToolRunner(toolPath, args, options);
        return runner.exec();
    });
}
/**
 * Exec a command and get the output.
 * Output will be streamed to the live console.
 * Returns promise with the exit code and collected stdout and stderr
 *
 * @param     commandLine           command to execute (can include additional args). Must be correctly escaped.
 * @param     args                  optional arguments for tool. Escaping is handled by the lib.
 * @param     options               optional exec options.  See ExecOptions
 * @returns   Promise<ExecOutput>   exit code, stdout, and stderr
 */
function getExecOutput(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        var _a, _b;
        let stdout = '';
        let stderr = '';
        //Using string decoder covers the case where a mult-byte character is split
        const stdoutDecoder = new external_string_decoder_namespaceObject.StringDecoder('utf8');
        const stderrDecoder = new external_string_decoder_namespaceObject.StringDecoder('utf8');
        const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
        const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
        const stdErrListener = (data) => {
            stderr += stderrDecoder.write(data);
            if (originalStdErrListener) {
                originalStdErrListener(data);
            }
        };
        const stdOutListener = (data) => {
            stdout += stdoutDecoder.write(data);
            if (originalStdoutListener) {
                originalStdoutListener(data);
            }
        };
        const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
        const exitCode = yield exec(commandLine, args, Object.assign(Object.assign({}, options), { listeners }));
        //flush any remaining characters
        stdout += stdoutDecoder.end();
        stderr += stderrDecoder.end();
        return {
            exitCode,
            stdout,
            stderr
        };
    });
}
//# sourceMappingURL=exec.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/platform.js
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_namespaceObject.platform();
const arch = external_os_namespaceObject.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${external_path_namespaceObject.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_namespaceObject.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function debug(message) {
    issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_namespaceObject.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map

/***/ }),

/***/ 625:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Qq: () => (/* binding */ HttpClient)
});

// UNUSED EXPORTS: Headers, HttpClientError, HttpClientResponse, HttpCodes, MediaTypes, getProxyUrl, isHttps

// EXTERNAL MODULE: external "http"
var external_http_ = __nccwpck_require__(611);
var external_http_namespaceObject = /*#__PURE__*/__nccwpck_require__.t(external_http_, 2);
// EXTERNAL MODULE: external "https"
var external_https_ = __nccwpck_require__(692);
var external_https_namespaceObject = /*#__PURE__*/__nccwpck_require__.t(external_https_, 2);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/proxy.js
var proxy = __nccwpck_require__(783);
// EXTERNAL MODULE: ./node_modules/tunnel/index.js
var tunnel = __nccwpck_require__(770);
;// CONCATENATED MODULE: external "data:text/javascript,export%20class%20ProxyAgent%20%7B%0A%20%20constructor()%20%7B%0A%20%20%20%20const%20error%20%3D%20new%20Error(%0A%20%20%20%20%20%20'undici%20is%20left%20out%20of%20this%20bundle%20(scripts%2Fbundle.ts)%2C%20yet%20%40actions%2Fhttp-client%20constructed%20its%20ProxyAgent%3A%20bundle%20undici%20again'%2C%0A%20%20%20%20)%3B%0A%20%20%20%20error.code%20%3D%20'ERR_UNDICI_NOT_BUNDLED'%3B%0A%20%20%20%20throw%20error%3B%0A%20%20%7D%0A%7D%0A"
var x = (y) => {
	var x = {}; __nccwpck_require__.d(x, y); return x
} 
var y = (x) => (() => (x))
const javascript_export_20class_20ProxyAgent_20_7B_0A_20_20constructor_20_7B_0A_20_20_20_20const_20error_20_3D_20new_20Error_0A_20_20_20_20_20_20_undici_20is_20left_20out_20of_20this_20bundle_20_scripts_2Fbundle_ts_2C_20yet_20_40actions_2Fhttp_client_20constructed_20its_20ProxyAgent_3A_20bundle_20undici_20again_2C_0A_20_20_20_20_3B_0A_20_20_20_20error_code_20_3D_20_ERR_UNDICI_NOT_BUNDLED_3B_0A_20_20_20_20throw_20error_3B_0A_20_20_7D_0A_7D_0A_namespaceObject = x({ ["ProxyAgent"]: () => (__WEBPACK_EXTERNAL_MODULE_data_text_javascript_export_20class_20ProxyAgent_20_7B_0A_20_20constructor_20_7B_0A_20_20_20_20const_20error_20_3D_20new_20Error_0A_20_20_20_20_20_20_undici_20is_20left_20out_20of_20this_20bundle_20_scripts_2Fbundle_ts_2C_20yet_20_40actions_2Fhttp_client_20constructed_20its_20ProxyAgent_3A_20bundle_20undici_20again_2C_0A_20_20_20_20_3B_0A_20_20_20_20error_code_20_3D_20_ERR_UNDICI_NOT_BUNDLED_3B_0A_20_20_20_20throw_20error_3B_0A_20_20_7D_0A_7D_0A_712416a4__.ProxyAgent) });
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/index.js
/* eslint-disable @typescript-eslint/no-explicit-any */
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};





var HttpCodes;
(function (HttpCodes) {
    HttpCodes[HttpCodes["OK"] = 200] = "OK";
    HttpCodes[HttpCodes["MultipleChoices"] = 300] = "MultipleChoices";
    HttpCodes[HttpCodes["MovedPermanently"] = 301] = "MovedPermanently";
    HttpCodes[HttpCodes["ResourceMoved"] = 302] = "ResourceMoved";
    HttpCodes[HttpCodes["SeeOther"] = 303] = "SeeOther";
    HttpCodes[HttpCodes["NotModified"] = 304] = "NotModified";
    HttpCodes[HttpCodes["UseProxy"] = 305] = "UseProxy";
    HttpCodes[HttpCodes["SwitchProxy"] = 306] = "SwitchProxy";
    HttpCodes[HttpCodes["TemporaryRedirect"] = 307] = "TemporaryRedirect";
    HttpCodes[HttpCodes["PermanentRedirect"] = 308] = "PermanentRedirect";
    HttpCodes[HttpCodes["BadRequest"] = 400] = "BadRequest";
    HttpCodes[HttpCodes["Unauthorized"] = 401] = "Unauthorized";
    HttpCodes[HttpCodes["PaymentRequired"] = 402] = "PaymentRequired";
    HttpCodes[HttpCodes["Forbidden"] = 403] = "Forbidden";
    HttpCodes[HttpCodes["NotFound"] = 404] = "NotFound";
    HttpCodes[HttpCodes["MethodNotAllowed"] = 405] = "MethodNotAllowed";
    HttpCodes[HttpCodes["NotAcceptable"] = 406] = "NotAcceptable";
    HttpCodes[HttpCodes["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
    HttpCodes[HttpCodes["RequestTimeout"] = 408] = "RequestTimeout";
    HttpCodes[HttpCodes["Conflict"] = 409] = "Conflict";
    HttpCodes[HttpCodes["Gone"] = 410] = "Gone";
    HttpCodes[HttpCodes["TooManyRequests"] = 429] = "TooManyRequests";
    HttpCodes[HttpCodes["InternalServerError"] = 500] = "InternalServerError";
    HttpCodes[HttpCodes["NotImplemented"] = 501] = "NotImplemented";
    HttpCodes[HttpCodes["BadGateway"] = 502] = "BadGateway";
    HttpCodes[HttpCodes["ServiceUnavailable"] = 503] = "ServiceUnavailable";
    HttpCodes[HttpCodes["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function (Headers) {
    Headers["Accept"] = "accept";
    Headers["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function (MediaTypes) {
    MediaTypes["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
/**
 * Returns the proxy URL, depending upon the supplied url and proxy environment variables.
 * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
 */
function getProxyUrl(serverUrl) {
    const proxyUrl = pm.getProxyUrl(new URL(serverUrl));
    return proxyUrl ? proxyUrl.href : '';
}
const HttpRedirectCodes = [
    HttpCodes.MovedPermanently,
    HttpCodes.ResourceMoved,
    HttpCodes.SeeOther,
    HttpCodes.TemporaryRedirect,
    HttpCodes.PermanentRedirect
];
const HttpResponseRetryCodes = [
    HttpCodes.BadGateway,
    HttpCodes.ServiceUnavailable,
    HttpCodes.GatewayTimeout
];
const RetryableHttpVerbs = ['OPTIONS', 'GET', 'DELETE', 'HEAD'];
const ExponentialBackoffCeiling = 10;
const ExponentialBackoffTimeSlice = 5;
class HttpClientError extends Error {
    constructor(message, statusCode) {
        super(message);
        this.name = 'HttpClientError';
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, HttpClientError.prototype);
    }
}
class HttpClientResponse {
    constructor(message) {
        this.message = message;
    }
    readBody() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                let output = Buffer.alloc(0);
                this.message.on('data', (chunk) => {
                    output = Buffer.concat([output, chunk]);
                });
                this.message.on('end', () => {
                    resolve(output.toString());
                });
            }));
        });
    }
    readBodyBuffer() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                const chunks = [];
                this.message.on('data', (chunk) => {
                    chunks.push(chunk);
                });
                this.message.on('end', () => {
                    resolve(Buffer.concat(chunks));
                });
            }));
        });
    }
}
function isHttps(requestUrl) {
    const parsedUrl = new URL(requestUrl);
    return parsedUrl.protocol === 'https:';
}
class HttpClient {
    constructor(userAgent, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
            if (requestOptions.ignoreSslError != null) {
                this._ignoreSslError = requestOptions.ignoreSslError;
            }
            this._socketTimeout = requestOptions.socketTimeout;
            if (requestOptions.allowRedirects != null) {
                this._allowRedirects = requestOptions.allowRedirects;
            }
            if (requestOptions.allowRedirectDowngrade != null) {
                this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
            }
            if (requestOptions.maxRedirects != null) {
                this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
            }
            if (requestOptions.keepAlive != null) {
                this._keepAlive = requestOptions.keepAlive;
            }
            if (requestOptions.allowRetries != null) {
                this._allowRetries = requestOptions.allowRetries;
            }
            if (requestOptions.maxRetries != null) {
                this._maxRetries = requestOptions.maxRetries;
            }
        }
    }
    options(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('OPTIONS', requestUrl, null, additionalHeaders || {});
        });
    }
    get(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('GET', requestUrl, null, additionalHeaders || {});
        });
    }
    del(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('DELETE', requestUrl, null, additionalHeaders || {});
        });
    }
    post(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('POST', requestUrl, data, additionalHeaders || {});
        });
    }
    patch(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PATCH', requestUrl, data, additionalHeaders || {});
        });
    }
    put(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PUT', requestUrl, data, additionalHeaders || {});
        });
    }
    head(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('HEAD', requestUrl, null, additionalHeaders || {});
        });
    }
    sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request(verb, requestUrl, stream, additionalHeaders);
        });
    }
    /**
     * Gets a typed object from an endpoint
     * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
     */
    getJson(requestUrl_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            const res = yield this.get(requestUrl, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    postJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.post(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    putJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.put(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    patchJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.patch(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    /**
     * Makes a raw http request.
     * All other methods such as get, post, patch, and request ultimately call this.
     * Prefer get, del, post and patch
     */
    request(verb, requestUrl, data, headers) {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._disposed) {
                throw new Error('Client has already been disposed.');
            }
            const parsedUrl = new URL(requestUrl);
            let info = this._prepareRequest(verb, parsedUrl, headers);
            // Only perform retries on reads since writes may not be idempotent.
            const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb)
                ? this._maxRetries + 1
                : 1;
            let numTries = 0;
            let response;
            do {
                response = yield this.requestRaw(info, data);
                // Check if it's an authentication challenge
                if (response &&
                    response.message &&
                    response.message.statusCode === HttpCodes.Unauthorized) {
                    let authenticationHandler;
                    for (const handler of this.handlers) {
                        if (handler.canHandleAuthentication(response)) {
                            authenticationHandler = handler;
                            break;
                        }
                    }
                    if (authenticationHandler) {
                        return authenticationHandler.handleAuthentication(this, info, data);
                    }
                    else {
                        // We have received an unauthorized response but have no handlers to handle it.
                        // Let the response return to the caller.
                        return response;
                    }
                }
                let redirectsRemaining = this._maxRedirects;
                while (response.message.statusCode &&
                    HttpRedirectCodes.includes(response.message.statusCode) &&
                    this._allowRedirects &&
                    redirectsRemaining > 0) {
                    const redirectUrl = response.message.headers['location'];
                    if (!redirectUrl) {
                        // if there's no location to redirect to, we won't
                        break;
                    }
                    const parsedRedirectUrl = new URL(redirectUrl);
                    if (parsedUrl.protocol === 'https:' &&
                        parsedUrl.protocol !== parsedRedirectUrl.protocol &&
                        !this._allowRedirectDowngrade) {
                        throw new Error('Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.');
                    }
                    // we need to finish reading the response before reassigning response
                    // which will leak the open socket.
                    yield response.readBody();
                    // strip authorization header if redirected to a different hostname
                    if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                        for (const header in headers) {
                            // header names are case insensitive
                            if (header.toLowerCase() === 'authorization') {
                                delete headers[header];
                            }
                        }
                    }
                    // let's make the request with the new redirectUrl
                    info = this._prepareRequest(verb, parsedRedirectUrl, headers);
                    response = yield this.requestRaw(info, data);
                    redirectsRemaining--;
                }
                if (!response.message.statusCode ||
                    !HttpResponseRetryCodes.includes(response.message.statusCode)) {
                    // If not a retry code, return immediately instead of retrying
                    return response;
                }
                numTries += 1;
                if (numTries < maxTries) {
                    yield response.readBody();
                    yield this._performExponentialBackoff(numTries);
                }
            } while (numTries < maxTries);
            return response;
        });
    }
    /**
     * Needs to be called if keepAlive is set to true in request options.
     */
    dispose() {
        if (this._agent) {
            this._agent.destroy();
        }
        this._disposed = true;
    }
    /**
     * Raw request.
     * @param info
     * @param data
     */
    requestRaw(info, data) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => {
                function callbackForResult(err, res) {
                    if (err) {
                        reject(err);
                    }
                    else if (!res) {
                        // If `err` is not passed, then `res` must be passed.
                        reject(new Error('Unknown error'));
                    }
                    else {
                        resolve(res);
                    }
                }
                this.requestRawWithCallback(info, data, callbackForResult);
            });
        });
    }
    /**
     * Raw request with callback.
     * @param info
     * @param data
     * @param onResult
     */
    requestRawWithCallback(info, data, onResult) {
        if (typeof data === 'string') {
            if (!info.options.headers) {
                info.options.headers = {};
            }
            info.options.headers['Content-Length'] = Buffer.byteLength(data, 'utf8');
        }
        let callbackCalled = false;
        function handleResult(err, res) {
            if (!callbackCalled) {
                callbackCalled = true;
                onResult(err, res);
            }
        }
        const req = info.httpModule.request(info.options, (msg) => {
            const res = new HttpClientResponse(msg);
            handleResult(undefined, res);
        });
        let socket;
        req.on('socket', sock => {
            socket = sock;
        });
        // If we ever get disconnected, we want the socket to timeout eventually
        req.setTimeout(this._socketTimeout || 3 * 60000, () => {
            if (socket) {
                socket.end();
            }
            handleResult(new Error(`Request timeout: ${info.options.path}`));
        });
        req.on('error', function (err) {
            // err has statusCode property
            // res should have headers
            handleResult(err);
        });
        if (data && typeof data === 'string') {
            req.write(data, 'utf8');
        }
        if (data && typeof data !== 'string') {
            data.on('close', function () {
                req.end();
            });
            data.pipe(req);
        }
        else {
            req.end();
        }
    }
    /**
     * Gets an http agent. This function is useful when you need an http agent that handles
     * routing through a proxy server - depending upon the url and proxy environment variables.
     * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
     */
    getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
    }
    getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = proxy/* getProxyUrl */.s(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
            return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
    }
    _prepareRequest(method, requestUrl, headers) {
        const info = {};
        info.parsedUrl = requestUrl;
        const usingSsl = info.parsedUrl.protocol === 'https:';
        info.httpModule = usingSsl ? external_https_namespaceObject : external_http_namespaceObject;
        const defaultPort = usingSsl ? 443 : 80;
        info.options = {};
        info.options.host = info.parsedUrl.hostname;
        info.options.port = info.parsedUrl.port
            ? parseInt(info.parsedUrl.port)
            : defaultPort;
        info.options.path =
            (info.parsedUrl.pathname || '') + (info.parsedUrl.search || '');
        info.options.method = method;
        info.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
            info.options.headers['user-agent'] = this.userAgent;
        }
        info.options.agent = this._getAgent(info.parsedUrl);
        // gives handlers an opportunity to participate
        if (this.handlers) {
            for (const handler of this.handlers) {
                handler.prepareRequest(info.options);
            }
        }
        return info;
    }
    _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
            return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
    }
    /**
     * Gets an existing header value or returns a default.
     * Handles converting number header values to strings since HTTP headers must be strings.
     * Note: This returns string | string[] since some headers can have multiple values.
     * For headers that must always be a single string (like Content-Type), use the
     * specialized _getExistingOrDefaultContentTypeHeader method instead.
     */
    _getExistingOrDefaultHeader(additionalHeaders, header, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[header];
            if (headerValue) {
                clientHeader =
                    typeof headerValue === 'number' ? headerValue.toString() : headerValue;
            }
        }
        const additionalValue = additionalHeaders[header];
        if (additionalValue !== undefined) {
            return typeof additionalValue === 'number'
                ? additionalValue.toString()
                : additionalValue;
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    /**
     * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
     * Always returns a single string (not an array) since Content-Type should be a single value.
     * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
     * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
     * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
     */
    _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
            if (headerValue) {
                if (typeof headerValue === 'number') {
                    clientHeader = String(headerValue);
                }
                else if (Array.isArray(headerValue)) {
                    clientHeader = headerValue.join(', ');
                }
                else {
                    clientHeader = headerValue;
                }
            }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        // Return the first non-undefined value, converting numbers or arrays to strings if necessary
        if (additionalValue !== undefined) {
            if (typeof additionalValue === 'number') {
                return String(additionalValue);
            }
            else if (Array.isArray(additionalValue)) {
                return additionalValue.join(', ');
            }
            else {
                return additionalValue;
            }
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = proxy/* getProxyUrl */.s(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
            agent = this._proxyAgent;
        }
        if (!useProxy) {
            agent = this._agent;
        }
        // if agent is already assigned use that agent.
        if (agent) {
            return agent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        let maxSockets = 100;
        if (this.requestOptions) {
            maxSockets = this.requestOptions.maxSockets || external_http_.globalAgent.maxSockets;
        }
        // This is `useProxy` again, but we need to check `proxyURl` directly for TypeScripts's flow analysis.
        if (proxyUrl && proxyUrl.hostname) {
            const agentOptions = {
                maxSockets,
                keepAlive: this._keepAlive,
                proxy: Object.assign(Object.assign({}, ((proxyUrl.username || proxyUrl.password) && {
                    proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
                })), { host: proxyUrl.hostname, port: proxyUrl.port })
            };
            let tunnelAgent;
            const overHttps = proxyUrl.protocol === 'https:';
            if (usingSsl) {
                tunnelAgent = overHttps ? tunnel.httpsOverHttps : tunnel.httpsOverHttp;
            }
            else {
                tunnelAgent = overHttps ? tunnel.httpOverHttps : tunnel.httpOverHttp;
            }
            agent = tunnelAgent(agentOptions);
            this._proxyAgent = agent;
        }
        // if tunneling agent isn't assigned create a new agent
        if (!agent) {
            const options = { keepAlive: this._keepAlive, maxSockets };
            agent = usingSsl ? new external_https_.Agent(options) : new external_http_.Agent(options);
            this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            agent.options = Object.assign(agent.options || {}, {
                rejectUnauthorized: false
            });
        }
        return agent;
    }
    _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
            proxyAgent = this._proxyAgentDispatcher;
        }
        // if agent is already assigned use that agent.
        if (proxyAgent) {
            return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        proxyAgent = new javascript_export_20class_20ProxyAgent_20_7B_0A_20_20constructor_20_7B_0A_20_20_20_20const_20error_20_3D_20new_20Error_0A_20_20_20_20_20_20_undici_20is_20left_20out_20of_20this_20bundle_20_scripts_2Fbundle_ts_2C_20yet_20_40actions_2Fhttp_client_20constructed_20its_20ProxyAgent_3A_20bundle_20undici_20again_2C_0A_20_20_20_20_3B_0A_20_20_20_20error_code_20_3D_20_ERR_UNDICI_NOT_BUNDLED_3B_0A_20_20_20_20throw_20error_3B_0A_20_20_7D_0A_7D_0A_namespaceObject.ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, ((proxyUrl.username || proxyUrl.password) && {
            token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}`
        })));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
                rejectUnauthorized: false
            });
        }
        return proxyAgent;
    }
    _getUserAgentWithOrchestrationId(userAgent) {
        const baseUserAgent = userAgent || 'actions/http-client';
        const orchId = process.env['ACTIONS_ORCHESTRATION_ID'];
        if (orchId) {
            // Sanitize the orchestration ID to ensure it contains only valid characters
            // Valid characters: 0-9, a-z, _, -, .
            const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, '_');
            return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
    }
    _performExponentialBackoff(retryNumber) {
        return __awaiter(this, void 0, void 0, function* () {
            retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
            const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
            return new Promise(resolve => setTimeout(() => resolve(), ms));
        });
    }
    _processResponse(res, options) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => __awaiter(this, void 0, void 0, function* () {
                const statusCode = res.message.statusCode || 0;
                const response = {
                    statusCode,
                    result: null,
                    headers: {}
                };
                // not found leads to null obj returned
                if (statusCode === HttpCodes.NotFound) {
                    resolve(response);
                }
                // get the result from the body
                function dateTimeDeserializer(key, value) {
                    if (typeof value === 'string') {
                        const a = new Date(value);
                        if (!isNaN(a.valueOf())) {
                            return a;
                        }
                    }
                    return value;
                }
                let obj;
                let contents;
                try {
                    contents = yield res.readBody();
                    if (contents && contents.length > 0) {
                        if (options && options.deserializeDates) {
                            obj = JSON.parse(contents, dateTimeDeserializer);
                        }
                        else {
                            obj = JSON.parse(contents);
                        }
                        response.result = obj;
                    }
                    response.headers = res.message.headers;
                }
                catch (err) {
                    // Invalid resource (contents not json);  leaving result obj null
                }
                // note that 3xx redirects are handled by the http layer.
                if (statusCode > 299) {
                    let msg;
                    // if exception/error in body, attempt to get better error
                    if (obj && obj.message) {
                        msg = obj.message;
                    }
                    else if (contents && contents.length > 0) {
                        // it may be the case that the exception is in the body message as string
                        msg = contents;
                    }
                    else {
                        msg = `Failed request: (${statusCode})`;
                    }
                    const err = new HttpClientError(msg, statusCode);
                    err.result = response.result;
                    reject(err);
                }
                else {
                    resolve(response);
                }
            }));
        });
    }
}
const lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => ((c[k.toLowerCase()] = obj[k]), c), {});
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 783:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ getProxyUrl)
/* harmony export */ });
/* unused harmony export checkBypass */
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
