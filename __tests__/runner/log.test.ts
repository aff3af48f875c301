/**
 * src/runner/log.ts: whatever text the flows log (inputs, server fields, error
 * text), the runner obeys none of it (harness/runner.ts renderLog reads the
 * output as actions/runner does), and a later `::add-mask::` still applies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRunLog, inertLine } from '../../src/runner/log.ts';
import { redact } from '../../src/runner/mask.ts';
import { fakeCore } from '../support/fake-core.ts';
import { renderLog } from '../../harness/runner.ts';

/** Pieces of workflow commands, escapes, and the white space .NET and JavaScript trim. */
const PIECES = [
  '#',
  '##[',
  '##[',
  '[',
  ']',
  ':',
  '::',
  '::',
  '::',
  ' ',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '%0A',
  '%25',
  ';',
  '=',
  ',',
  'stop-commands',
  'STOP-COMMANDS',
  'add-mask',
  'set-output name=access-token',
  'error',
  'group',
  'echo',
  'x',
  'LATE',
];

describe('inertLine', () => {
  it.each([
    ['SCIM sync ##[stop-commands]x', 'SCIM sync ##\u200b[stop-commands]x'],
    ['##[set-output name=access-token;]forged', '##\u200b[set-output name=access-token;]forged'],
    ['###[x]', '###\u200b[x]'],
    ['::add-mask::x', ':\u200b:add-mask::x'],
    [' \u0085\t::stop-commands::t', ' \u0085\t:\u200b:stop-commands::t'],
    ['a\r\nb\rc\nd', 'a b c d'],
    ['http://[::1]:8080 ok::fine', 'http://[::1]:8080 ok::fine'],
  ])('%j → %j', (text, expected) => {
    expect(inertLine(text)).toBe(expected);
  });
});

describe('createRunLog', () => {
  it("whatever text is logged, the runner obeys only the action's own commands, and a later mask still applies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 12 }), async (text) => {
        const core = fakeCore({});
        const log = createRunLog(core, (t) => t);
        log.info(text);
        log.debug(text);
        log.notice(text);
        log.warning(text);
        await log.group(text, async () => log.info(text));
        log.fail(text);
        core.setSecret('LATE-SECRET');
        log.info('LATE-SECRET');
        const shown = renderLog(core.stdout, true);
        expect(shown.stopped).toBe(false);
        // Exactly the commands the action issued, in order: nothing injected, nothing swallowed.
        expect(shown.commands.map((c) => `${c.form} ${c.name}`)).toEqual(
          ['debug', 'notice', 'warning', 'group', 'endgroup', 'error', 'add-mask'].map((n) => `v2 ${n}`),
        );
        expect(shown.setOutputs).toEqual({});
        expect(shown.errors).toHaveLength(1);
        expect(shown.lines.filter((line) => line !== '').at(-1)).toBe('***');
        expect(shown.text).not.toContain('LATE-SECRET');
      }),
      { numRuns: 2000 },
    );
  });

  it('redacts registered secrets before it changes the text (a changed secret would escape its mask)', () => {
    const core = fakeCore({});
    const log = createRunLog(core, (t) => redact(t, ['pa##[ss', 'line1\nline2']));
    log.info('echoed pa##[ss and line1\nline2');
    log.fail('failed: pa##[ss');
    expect(
      core.events.filter((e) => e.kind === 'info' || e.kind === 'failed').map((e) => ('text' in e ? e.text : '')),
    ).toEqual(['echoed *** and ***', 'failed: ***']);
  });
});
