/**
 * What the hand-off says Entra holds after a save that failed (src/flows/entra-handoff.ts): a
 * 4xx to the only attempt proves nothing was saved; a 4xx or 429 after an attempt whose answer
 * was lost or was a 5xx does not (that attempt may have saved the new values).
 */
import { describe, expect, it } from 'vitest';
import type { ActionError } from '../../src/errors.ts';
import { TransportError } from '../../src/net/http.ts';
import { entraPreflight, handOff } from '../../src/flows/entra-handoff.ts';
import { json } from '../support/scripted-transport.ts';
import { INPUTS, microsoft, newEntraReport, VALUES, type Microsoft } from '../support/scripted-microsoft.ts';

async function save(answers: Microsoft['save']) {
  const world = microsoft({ save: answers }, 3);
  const entra = newEntraReport(INPUTS);
  const session = await entraPreflight(world.context, INPUTS, entra);
  const error = await handOff(world.context, session, VALUES, entra, []).then(
    () => undefined,
    (caught: unknown) => caught as ActionError,
  );
  return { entra, error };
}

const conflict = json(409, { error: { code: 'Conflict', message: 'busy' } });
const throttled = json(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '0' });

describe('the save fails', () => {
  it('a 4xx to the only attempt: nothing was saved, Entra holds the old values', async () => {
    const { entra, error } = await save([conflict]);
    expect(entra.save).toBe('refused');
    expect(error?.why).toContain('still holds its old values');
  });

  it.each<[string, Microsoft['save']]>([
    [
      'a lost answer, then 429s',
      [new TransportError('reset', 'the connection was reset (ECONNRESET)', 'ECONNRESET'), throttled],
    ],
    [
      'a 503, then a 409',
      [json(503, { error: { code: 'ServiceUnavailable', message: 'later' } }, { 'retry-after': '0' }), conflict],
    ],
  ])('%s: Entra may hold the old or the new values', async (_, answers) => {
    const { entra, error } = await save(answers);
    expect(entra.save).toBe('sent');
    expect(error?.why).toContain('may hold the old or the new values');
    expect(error?.why).not.toContain('nothing was saved');
  });
});
