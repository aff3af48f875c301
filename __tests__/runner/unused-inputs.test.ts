/**
 * Inputs that the mode does not read (src/runner/inputs.ts `unusedInputs`): named in a notice,
 * never silently taken as if they had an effect, and never with their values.
 */
import { describe, expect, it } from 'vitest';
import { unusedInputs, type GetInput } from '../../src/runner/inputs.ts';

const given =
  (inputs: Record<string, string>): GetInput =>
  (name) =>
    inputs[name] ?? '';

describe('unusedInputs', () => {
  it("entra-check: the platform's inputs and scim-check: true are named", () => {
    const getInput = given({
      'api-key': 'k',
      'base-url': 'https://x.test',
      'scim-check': 'true',
      'entra-tenant-id': 't',
    });
    expect(unusedInputs(getInput, 'entra-check')).toEqual(['base-url', 'api-key', 'scim-check']);
  });

  it("token: provision's Owner inputs are named; provision: token's client credentials", () => {
    const getInput = given({ 'api-key': 'k', 'client-name': 'n', 'client-id': 'c', 'client-secret': 's' });
    expect(unusedInputs(getInput, 'token')).toEqual(['api-key', 'client-name']);
    expect(unusedInputs(getInput, 'provision')).toEqual(['client-id', 'client-secret']);
  });

  it("nothing is named when each input set is the mode's own (defaults such as scim-check: false included)", () => {
    expect(unusedInputs(given({ 'api-key': 'k', 'scim-check': 'false', verify: 'true' }), 'provision')).toEqual([]);
    expect(unusedInputs(given({ 'scim-check': 'false' }), 'entra-check')).toEqual([]);
  });
});
