// Runs before `npm test`, `npm run demo` and the other scripts: they need Node 24
// (TypeScript type stripping, and the runtime that action.yml names, `node24`).
// npm puts node_modules/.bin first on PATH, so `node` here is the `node`
// devDependency (Node 24) once `npm ci` has run its install script; after
// `npm ci --ignore-scripts`, or with no install, it is whatever Node the machine has.
// Says what is wrong in one line instead of a stack trace. Plain ES5: it must
// parse on any Node.
'use strict';
var fs = require('fs');
var path = require('path');

var REQUIRED_MAJOR = 24;

/**
 * What keeps the project's scripts from running, as one sentence, or null.
 * @param {{ version: string, execPath: string, platform: string, root: string, exists: function(string): boolean }} env
 *   version: process.version (e.g. "v20.20.2"); root: the project folder
 * @returns {string|null}
 */
function whatIsMissing(env) {
  var fix =
    'run "npm ci" (without --ignore-scripts) so the "node" devDependency installs Node ' +
    REQUIRED_MAJOR +
    ', then retry';
  var bundled = path.join('node_modules', 'node', 'bin', env.platform === 'win32' ? 'node.exe' : 'node');
  if (!env.exists(path.join(env.root, 'node_modules')))
    return 'This project needs its dependencies: run "npm ci" first.';
  var major = Number(String(env.version).replace(/^v/, '').split('.')[0]);
  if (!(major >= REQUIRED_MAJOR)) {
    return (
      'This project needs Node ' +
      REQUIRED_MAJOR +
      ', but "node" is ' +
      env.version +
      ' (' +
      env.execPath +
      '): ' +
      fix +
      '.'
    );
  }
  if (!env.exists(path.join(env.root, bundled))) {
    return (
      'Node ' +
      REQUIRED_MAJOR +
      ' of the "node" devDependency is missing (' +
      bundled +
      '); the tests and the demo run the action with it: ' +
      fix +
      '.'
    );
  }
  return null;
}

module.exports = { whatIsMissing: whatIsMissing, REQUIRED_MAJOR: REQUIRED_MAJOR };

if (require.main === module) {
  var problem = whatIsMissing({
    version: process.version,
    execPath: process.execPath,
    platform: process.platform,
    root: path.join(__dirname, '..'),
    exists: fs.existsSync,
  });
  if (problem !== null) {
    console.error(problem);
    process.exit(1);
  }
}
