/**
 * The Entra inputs (src/runner/inputs.ts readInputs/readEntraInputs): all three ids or none,
 * their shapes, the URLs (HTTPS except loopback), verify: false refused with them, and mode
 * entra-check needing only them.
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { readInputs, wantsEntra, type Inputs } from '../../src/runner/inputs.ts';
import { readEntraInputs } from '../../src/runner/entra-inputs.ts';

const IDS = {
  'entra-tenant-id': 'Contoso.onmicrosoft.com',
  'entra-client-id': '11111111-2222-3333-4444-555555555555',
  'entra-service-principal-id': '99999999-8888-7777-6666-555555555555',
};
const PROVISION = { mode: 'provision', 'api-key': 'owner-key' };

/** As main.ts reads them: the other inputs, then the Entra inputs when wanted. */
function read(inputs: Record<string, string>): Inputs {
  const getInput = (name: string): string => inputs[name] ?? '';
  const others = readInputs(
    getInput,
    {},
    (secret) => secret,
    () => 0,
  );
  if (!wantsEntra(getInput, others.mode)) return others;
  const entra = readEntraInputs(getInput, others);
  return entra ? { ...others, entra } : others;
}

function error(inputs: Record<string, string>): ActionError {
  try {
    read(inputs);
  } catch (caught) {
    if (caught instanceof ActionError) return caught;
    throw caught;
  }
  throw new Error('no error');
}

describe('Entra inputs', () => {
  it('none given: no hand-off, and the Entra module is not wanted', () => {
    expect(read(PROVISION).entra).toBeUndefined();
    expect(wantsEntra((name) => (PROVISION as Record<string, string>)[name] ?? '', 'provision')).toBe(false);
    expect(wantsEntra(() => '', 'entra-check')).toBe(true);
  });

  it('all three: ids lower-cased, Microsoft global cloud by default', () => {
    expect(read({ ...PROVISION, ...IDS }).entra).toEqual({
      tenantId: 'contoso.onmicrosoft.com',
      clientId: IDS['entra-client-id'],
      servicePrincipalId: IDS['entra-service-principal-id'],
      loginUrl: 'https://login.microsoftonline.com',
      graphUrl: 'https://graph.microsoft.com',
    });
  });

  it('a national cloud and a loopback simulator; trailing slash removed', () => {
    const entra = read({
      ...PROVISION,
      ...IDS,
      'entra-login-url': 'https://login.microsoftonline.us/',
      'entra-graph-url': 'http://127.0.0.1:8443',
    }).entra;
    expect(entra?.loginUrl).toBe('https://login.microsoftonline.us');
    expect(entra?.graphUrl).toBe('http://127.0.0.1:8443');
  });

  it('one or two of the three: names the missing ones', () => {
    const e = error({ ...PROVISION, 'entra-tenant-id': IDS['entra-tenant-id'] });
    expect(e.message).toContain('inputs "entra-client-id" and "entra-service-principal-id" are empty');
    expect(e.fix).toContain('or none');
  });

  it.each([
    ['entra-tenant-id', 'not a tenant!'],
    ['entra-client-id', 'my-app'],
    ['entra-service-principal-id', '1234'],
  ])('%s = %j is refused', (name, value) => {
    expect(error({ ...PROVISION, ...IDS, [name]: value }).message).toContain(`input "${name}"`);
  });

  it('plain http to a host that is not loopback is refused', () => {
    expect(error({ ...PROVISION, ...IDS, 'entra-graph-url': 'http://graph.example.test' }).message).toContain(
      'input "entra-graph-url" uses plain http://',
    );
  });

  it('an entra URL without the ids is refused (a forgotten variable), the default is not', () => {
    expect(error({ ...PROVISION, 'entra-graph-url': 'https://graph.microsoft.us' }).message).toContain(
      'input "entra-graph-url" is set without',
    );
    expect(read({ ...PROVISION, 'entra-graph-url': 'https://graph.microsoft.com' }).entra).toBeUndefined();
  });

  it('provision with verify: false and the Entra inputs is an input error', () => {
    expect(error({ ...PROVISION, ...IDS, verify: 'false' }).message).toContain('input "verify" is false');
  });

  it('mode entra-check needs only the Entra inputs (any letter case)', () => {
    const inputs = read({ mode: 'Entra-Check', ...IDS });
    expect(inputs.mode).toBe('entra-check');
    expect(inputs.entra?.servicePrincipalId).toBe(IDS['entra-service-principal-id']);
  });

  it('mode entra-check without them is an input error', () => {
    expect(error({ mode: 'entra-check' }).message).toContain('mode "entra-check" needs inputs');
  });

  it('an unknown mode lists entra-check', () => {
    expect(error({ mode: 'rotate' }).fix).toBe('set mode to one of: provision, token, entra-check');
  });
});
