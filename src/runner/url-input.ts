/**
 * How an input is checked and quoted in error messages: URL inputs (`base-url`, `audience`, the
 * `entra-*-url` inputs) and any value echoed back. A small module of its own so the lazily loaded
 * Entra inputs share it without loading the whole of `inputs.ts`.
 */
import { inputError, sanitize } from '../errors.ts';
import { isLoopback } from '../net/loopback.ts';

/**
 * Checks a URL input: absolute http(s), plain http:// only to a loopback host,
 * no user info, query or fragment (none of them is echoed: they may hold a secret).
 * @throws ActionError naming the input.
 */
export function checkUrl(
  name: string,
  text: string,
  fixes: { example: string; httpFix: string; queryFix: string },
): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw inputError(`input "${name}" is not an absolute URL`, fixes.example);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw inputError(`input "${name}" uses ${url.protocol.replace(':', '')}`, 'use an https:// URL');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw inputError(`input "${name}" uses plain http:// to ${url.hostname}`, fixes.httpFix);
  }
  if (url.username !== '' || url.password !== '') {
    throw inputError(
      `input "${name}" carries a user name or password`,
      'remove the user:password@ part; pass credentials in their own inputs',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw inputError(`input "${name}" has a query or fragment`, fixes.queryFix);
  }
  return url;
}

/**
 * An input's value as an error message quotes it: on one line, at most 60
 * characters (an input can be any length, and the message goes to the log
 * and the step summary).
 */
export function quoted(text: string): string {
  return `"${sanitize(text, 60)}"`;
}
