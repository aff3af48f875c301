/**
 * The `ca-certificate` input (certificates of a private or corporate CA,
 * trusted besides Node's default CAs: `net/trust.ts`) and the warning when
 * certificate checks are off for the whole step.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { inputError, sanitize } from '../errors.ts';
import { pemBlocks } from '../net/trust.ts';

/** Largest `ca-certificate` file read, in bytes: a CA bundle is tens of kilobytes. */
export const MAX_CA_FILE_BYTES = 1024 * 1024;

/** Why a `ca-certificate` file could not be read, by error code. */
const READ_FAILURES: Record<string, string> = {
  ENOENT: 'ENOENT: no such file',
  EISDIR: 'EISDIR: it is a folder',
  EACCES: 'EACCES: permission denied',
  ENOTREGULAR: 'not a regular file',
  EFBIG: `larger than ${MAX_CA_FILE_BYTES / (1024 * 1024)} MiB`,
};

/** Reads a file as UTF-8 text (injected; default {@link readCaFile}). */
export type ReadTextFile = (path: string) => string;

/**
 * Reads the file `ca-certificate` names, as UTF-8: only a regular file of at
 * most {@link MAX_CA_FILE_BYTES} (checked before it is opened, so a FIFO,
 * device such as /dev/zero, or huge file never blocks or fills the run).
 * @throws Error with `code` (`ENOENT`, `EISDIR`, `ENOTREGULAR`, `EFBIG`, …).
 */
export function readCaFile(path: string): string {
  const stats = statSync(path);
  if (stats.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
  if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREGULAR' });
  if (stats.size > MAX_CA_FILE_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
  return readFileSync(path, 'utf8');
}

/**
 * PEM text whose line breaks were written as the two characters `\n` (or
 * `\r\n`), as a value copied out of JSON or a one-line variable has them:
 * those become real line breaks. A PEM text holds no backslash otherwise.
 */
function unescapeLineBreaks(text: string): string {
  return text.includes('\\') ? text.replace(/\\r\\n|\\n|\\r/gu, '\n') : text;
}

/**
 * A PEM block in the form RFC 7468 §2 gives it: one already in lines is kept;
 * one whose line breaks were turned into spaces (or lost) gets its base64 with
 * every white space removed, wrapped at 64 characters between its BEGIN and
 * END lines. A block whose body is not base64 is returned as it was (and fails
 * its X.509 check).
 */
function normalizePem(block: { label: string; pem: string }): string {
  const begin = `-----BEGIN ${block.label}-----`;
  const end = `-----END ${block.label}-----`;
  const inner = block.pem.slice(begin.length, block.pem.length - end.length);
  // Already in lines (as written by openssl, with LF or CRLF): kept as it is.
  if (/^\r?\n[^\s]+(?:\r?\n[^\s]+)*\r?\n$/u.test(inner)) return block.pem;
  const body = inner.replace(/\s+/gu, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/u.test(body)) return block.pem;
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
export function readCaCertificates(input: string, workspace: string | undefined, readFile: ReadTextFile): string[] {
  if (input === '') return [];
  let text = input;
  let source = 'input "ca-certificate"';
  if (!input.includes('-----BEGIN')) {
    if (/[\r\n]/u.test(input)) {
      throw inputError(
        'input "ca-certificate" is not PEM (no -----BEGIN CERTIFICATE----- line)',
        'give the CA certificate in PEM form, with its BEGIN and END lines, or the path of a PEM file',
      );
    }
    const path = isAbsolute(input) ? input : resolve(workspace ?? '.', input);
    // Quoted only whole: a value that came from a secret is masked by the
    // runner as a whole, and a cut or reshaped piece of it would not be.
    source =
      input.length <= 120 && sanitize(input, 120) === input
        ? `input "ca-certificate" names the file ${input}`
        : `input "ca-certificate" names a file (a ${input.length}-character path, not shown)`;
    try {
      text = readFile(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const why = typeof code === 'string' ? ` (${READ_FAILURES[code] ?? code})` : '';
      throw inputError(
        `${source}, which cannot be read${why}`,
        'check the path (relative paths start at the workspace, so check out the repository first), or give the PEM text itself',
      );
    }
    if (!text.includes('-----BEGIN')) {
      throw inputError(
        `${source}, which is not PEM (no -----BEGIN CERTIFICATE----- line)`,
        'convert it to PEM, e.g. openssl x509 -inform der -in ca.cer -out ca.pem',
      );
    }
  }
  const blocks = pemBlocks(unescapeLineBreaks(text));
  if (blocks.some((block) => block.label === 'TRUSTED CERTIFICATE')) {
    throw inputError(
      `${source === 'input "ca-certificate"' ? 'input "ca-certificate"' : `${source}, which`} holds an OpenSSL trusted certificate (-----BEGIN TRUSTED CERTIFICATE-----), a form Node ignores`,
      'give the plain certificate (-----BEGIN CERTIFICATE-----), e.g. from openssl x509 -in ca.pem -out ca-plain.pem',
    );
  }
  const certificates = blocks.filter((block) => block.label === 'CERTIFICATE').map((block) => normalizePem(block));
  if (certificates.length === 0) {
    const kinds = [...new Set(blocks.map((block) => block.label))].join(', ');
    throw inputError(
      `${source === 'input "ca-certificate"' ? 'input "ca-certificate"' : `${source}, which`} holds no certificate${kinds ? ` (only ${kinds})` : ''}`,
      "give the CA's certificate (-----BEGIN CERTIFICATE-----), never a private key",
    );
  }
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch {
      throw inputError(
        `certificate ${index + 1} of ${source.replace(/^input "ca-certificate" names (?:the )?/u, 'the ')} is not a valid X.509 certificate`,
        'copy the PEM block whole, with its BEGIN and END lines',
      );
    }
  });
  return certificates;
}

/**
 * The warning for `NODE_TLS_REJECT_UNAUTHORIZED=0` in `env` (Node then accepts
 * any certificate for every request of the process), or undefined.
 */
export function insecureTlsWarning(env: Record<string, string | undefined>): string | undefined {
  if (env['NODE_TLS_REJECT_UNAUTHORIZED'] !== '0') return undefined;
  return (
    'NODE_TLS_REJECT_UNAUTHORIZED=0 is set for this step: certificate checks are off, so the password, API key and client secret ' +
    'would be sent to any server that answers for base-url. Remove it; to trust a private CA, use the ca-certificate input'
  );
}
