/**
 * Proxy values the HTTP client drops without a word (src/runner/proxy.ts):
 * the run warns that requests go direct and why, never showing credentials.
 */
import { describe, expect, it } from 'vitest';
import { ignoredProxyWarning } from '../../src/runner/proxy.ts';

const PLATFORM = 'https://platform.invicti.com';

describe('ignoredProxyWarning', () => {
  it('a value without a scheme whose host is a name: says it is ignored and how to write it (curl would assume http://)', () => {
    const warning = ignoredProxyWarning({ https_proxy: 'proxy.corp:3128' }, PLATFORM);
    expect(warning).toBe(
      'https_proxy (proxy.corp:3128) is ignored by the HTTP client, so every request goes directly to the platform, not through the proxy: ' +
        'it has no scheme, and its first part is read as one. Write it as http://proxy.corp:3128 (with credentials: http://user:password@proxy.corp:3128)',
    );
  });

  it('credentials with a bare %: says the whole value is ignored and to write % as %25, never showing them', () => {
    for (const value of ['http://runner:50%off@proxy.corp:3128', 'http://50%@proxy.corp:3128']) {
      const warning = ignoredProxyWarning({ HTTPS_PROXY: value }, PLATFORM) ?? '';
      expect(warning).toContain('HTTPS_PROXY (proxy.corp:3128) is ignored by the HTTP client');
      expect(warning).toContain('Write each % in the credentials as %25');
      expect(warning).not.toContain('50%');
    }
    // Without a scheme either: the scheme is what fails first.
    expect(ignoredProxyWarning({ https_proxy: 'runner:50%off@proxy.corp:3128' }, PLATFORM)).toContain('no scheme');
  });

  it('says nothing for values the client uses, or when there is none', () => {
    for (const value of [
      'http://proxy.corp:3128',
      'http://runner:p%40ss@proxy.corp:3128',
      '10.0.0.1:3128', // no scheme, but the client then prefixes http:// itself
      'https://proxy.corp',
    ])
      expect(ignoredProxyWarning({ https_proxy: value }, PLATFORM)).toBeUndefined();
    expect(ignoredProxyWarning({}, PLATFORM)).toBeUndefined();
    expect(ignoredProxyWarning({ https_proxy: '' }, PLATFORM)).toBeUndefined();
  });

  it('reads https_proxy before HTTPS_PROXY, as the client does', () => {
    expect(
      ignoredProxyWarning({ https_proxy: 'http://proxy.corp:3128', HTTPS_PROXY: 'proxy.corp:3128' }, PLATFORM),
    ).toBeUndefined();
  });

  it('says nothing for a loopback platform, which the client never sends through a proxy', () => {
    expect(ignoredProxyWarning({ https_proxy: 'proxy.corp:3128' }, 'https://127.0.0.1:8443')).toBeUndefined();
    expect(ignoredProxyWarning({ https_proxy: 'proxy.corp:3128' }, 'https://localhost')).toBeUndefined();
    expect(ignoredProxyWarning({ https_proxy: 'proxy.corp:3128' }, 'https://[::1]:8443')).toBeUndefined();
  });

  it('warns for a name that only starts like a loopback host (the client would use the proxy for it)', () => {
    expect(ignoredProxyWarning({ https_proxy: 'proxy.corp:3128' }, 'https://localhost.corp.example')).toContain(
      'no scheme',
    );
  });
});
