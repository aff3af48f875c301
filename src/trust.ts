/**
 * Trust for TLS: the `ca-certificate` input (certificates of a private or
 * corporate CA, added to Node's default trust for every request of the run,
 * through a proxy tunnel too) and the warning when certificate checks are off.
 * Verification is never turned off here.
 */
import { X509Certificate } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import * as tls from 'node:tls';
import { inputError, sanitize } from './errors.ts';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/gu;

/** Reads a file as UTF-8 text (injected: `fs.readFileSync(path, 'utf8')`). */
export type ReadTextFile = (path: string) => string;

/**
 * Reads the `ca-certificate` input: PEM text (anything holding `-----BEGIN`),
 * or else the path of a PEM file, relative to `workspace` (`GITHUB_WORKSPACE`;
 * the current folder when unset). Returns each certificate as its own PEM
 * block, checked as X.509; `[]` for an empty input.
 * @throws ActionError (step `inputs`) when the text or file is not PEM, holds
 * no certificate or a broken one, or the file cannot be read.
 */
export function readCaCertificates(input: string, workspace: string | undefined, readFile: ReadTextFile): string[] {
  if (input === '') return [];
  let text = input;
  let source = 'input "ca-certificate"';
  if (!input.includes('-----BEGIN')) {
    if (/[\r\n]/u.test(input)) {
      throw inputError('input "ca-certificate" is not PEM (no -----BEGIN CERTIFICATE----- line)', 'give the CA certificate in PEM form, with its BEGIN and END lines, or the path of a PEM file');
    }
    const path = isAbsolute(input) ? input : resolve(workspace ?? '.', input);
    // On one line already (a line break means PEM text); bounded, as any quoted input.
    source = `input "ca-certificate" names the file ${sanitize(input, 120)}`;
    try {
      text = readFile(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw inputError(`${source}, which cannot be read${typeof code === 'string' ? ` (${code})` : ''}`, 'check the path (relative paths start at the workspace, so check out the repository first), or give the PEM text itself');
    }
    if (!text.includes('-----BEGIN')) {
      throw inputError(`${source}, which is not PEM (no -----BEGIN CERTIFICATE----- line)`, 'convert it to PEM, e.g. openssl x509 -inform der -in ca.cer -out ca.pem');
    }
  }
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const certificates = blocks.filter((block) => block[1] === 'CERTIFICATE' || block[1] === 'TRUSTED CERTIFICATE').map((block) => block[0]);
  if (certificates.length === 0) {
    const kinds = [...new Set(blocks.map((block) => block[1]))].join(', ');
    throw inputError(
      `${source === 'input "ca-certificate"' ? 'input "ca-certificate"' : `${source}, which`} holds no certificate${kinds ? ` (only ${kinds})` : ''}`,
      'give the CA\'s certificate (-----BEGIN CERTIFICATE-----), never a private key',
    );
  }
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch {
      throw inputError(`certificate ${index + 1} of ${source.replace('input "ca-certificate" names the file', 'the file')} is not a valid X.509 certificate`, 'copy the PEM block whole, with its BEGIN and END lines');
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

/**
 * Adds `certificates` (PEM) to Node's default CA list for the rest of the
 * process: every TLS connection made after this, direct or through a proxy
 * tunnel, trusts them as well as the CAs it trusted before (Node's bundled
 * list, and NODE_EXTRA_CA_CERTS / NODE_USE_SYSTEM_CA if set). Node ≥ 22.19/24.5
 * (`tls.setDefaultCACertificates`); the action runs on node24.
 */
export function trustCaCertificates(certificates: readonly string[]): void {
  if (certificates.length === 0) return;
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...certificates]);
}
