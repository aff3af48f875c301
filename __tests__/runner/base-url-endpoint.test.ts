/**
 * A base-url copied from one of the URLs the summary and Microsoft Entra ID
 * show (the token endpoint, the SCIM Tenant URL, the API root) is refused with
 * the path to remove (issue 16 §3), instead of failing later with a 404 whose
 * fix says to add a prefix.
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { resolveBaseUrl } from '../../src/runner/inputs.ts';

function refusal(baseUrl: string): ActionError {
  try {
    resolveBaseUrl(baseUrl, '');
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error(`expected ${baseUrl} to be refused`);
}

describe('base-url ending in an endpoint path', () => {
  it.each([
    ['https://platform.invicti.com/api', '/api', 'https://platform.invicti.com'],
    ['https://platform.invicti.com/api/', '/api', 'https://platform.invicti.com'],
    ['https://platform.invicti.com/api/scim/v2', '/api/scim/v2', 'https://platform.invicti.com'],
    [
      'https://onprem.example.test:8443/invicti/api/scim/v2/',
      '/api/scim/v2',
      'https://onprem.example.test:8443/invicti',
    ],
    ['https://platform.invicti.com/oauth/token', '/oauth/token', 'https://platform.invicti.com'],
    ['https://platform.invicti.com/OAuth/Token', '/oauth/token', 'https://platform.invicti.com'],
  ])('%s: says to remove %s', (input, path, base) => {
    const error = refusal(input);
    expect(error.step).toBe('inputs');
    expect(error.reason).toMatch(
      new RegExp(`^input "base-url" ends in ${path.replace(/\//gu, '\\/')}, which makes it `, 'u'),
    );
    expect(error.fix).toBe(`remove ${path} from base-url: set it to ${base}`);
  });

  it('a pasted token URL with its query: the path named, the query (which may hold a secret) never shown', () => {
    const error = refusal(
      'https://platform.invicti.com/oauth/token?audience=https://platform.invicti.com/api&s=SECRET1',
    );
    expect(error.fix).toBe('remove /oauth/token from base-url: set it to https://platform.invicti.com');
    expect(error.message).not.toContain('SECRET1');
  });

  it.each(['https://platform.invicti.com', 'https://onprem.example.test/invicti', 'https://onprem.example.test/myapi'])(
    '%s is accepted as before',
    (input) => {
      expect(resolveBaseUrl(input, '').baseUrl).toBe(input);
    },
  );
});
