/**
 * The test harness's reading of a step's log (harness/runner.ts renderLog)
 * against the runner's rules (actions/runner ActionCommand.TryParseV2 /
 * TryParse and ActionCommandManager.TryProcessCommand): every e2e test that
 * says "no secret in the log" or "no forged command" leans on it, so it must
 * obey what the runner obeys, no less.
 */
import { describe, expect, it } from 'vitest';
import { parseOutputFile, renderLog } from '../../harness/runner.ts';

describe('renderLog reads the log as the runner does', () => {
  it('obeys ::cmd:: only at the trimmed start of a line', () => {
    // Lines end at \r\n, \n and a lone \r, as .NET's ReadLine ends them.
    const log = renderLog(['  \t::add-mask::s3cret', 'text ::add-mask::other', 'a s3cret and other'].join('\r'));
    expect(log.masks).toEqual(['s3cret']);
    expect(log.lines).toEqual(['text ::add-mask::other', 'a *** and other']);
  });

  it('obeys the legacy ##[cmd props]data anywhere in a line, with its own escaping', () => {
    const log = renderLog(
      ['prefix ##[add-mask]hidden%3Bvalue', 'x hidden;value y', 'note ##[set-output name=access-token;]forged%5D'].join(
        '\n',
      ),
    );
    expect(log.masks).toEqual(['hidden;value']);
    expect(log.lines).toEqual(['x *** y']);
    expect(log.setOutputs).toEqual({ 'access-token': 'forged]' });
    expect(log.commands.map((c) => [c.name, c.form])).toEqual([
      ['add-mask', 'legacy'],
      ['set-output', 'legacy'],
    ]);
    // Only the first ##[ of a line is read, and a line that is a ::cmd:: is never read for ##[.
    const exact = renderLog(
      ['##[nope]a ##[add-mask]b1b1b1', '::notice::n ##[add-mask]c2c2c2', 'b1b1b1 c2c2c2'].join('\n'),
    );
    expect(exact.masks).toEqual([]);
    expect(exact.notices).toEqual(['n ##[add-mask]c2c2c2']);
    expect(exact.lines.at(-1)).toBe('b1b1b1 c2c2c2');
  });

  it('matches command names without regard to case, and only registered ones', () => {
    const log = renderLog(
      ['::ADD-MASK::abcdef', '##[Set-Output name=x]y', '::nope::z', '##[nope]w', 'abcdef'].join('\n'),
    );
    expect(log.masks).toEqual(['abcdef']);
    expect(log.setOutputs).toEqual({ x: 'y' });
    expect(log.lines).toEqual(['::nope::z', '##[nope]w', '***']);
  });

  it('stop-commands turns commands off until its token: masks sent meanwhile are shown, not applied', () => {
    const stdout = [
      '::add-mask::early-secret',
      // The token runs to the end of the line: here `tok")`.
      'Created registration ("SCIM sync ##[stop-commands]tok")',
      '::add-mask::late-secret',
      '::error::not an annotation',
      '##[set-output name=access-token]forged',
      'early-secret late-secret',
      'see ##[TOK")]',
      '::add-mask::after-resume',
      'late-secret after-resume',
    ].join('\n');
    const log = renderLog(stdout);
    expect(log.masks).toEqual(['early-secret', 'after-resume']);
    expect(log.lines).toContain('::add-mask::late-secret');
    expect(log.lines).toContain('*** late-secret');
    expect(log.lines).toContain('::error::not an annotation');
    expect(log.errors).toEqual([]);
    expect(log.setOutputs).toEqual({});
    expect(log.lines.at(-1)).toBe('late-secret ***');
    expect(log.commands.map((c) => c.name)).toEqual(['add-mask', 'stop-commands', 'tok")', 'add-mask']);
    expect(log.stopped).toBe(false);
  });

  it('reports a log that ends with commands still stopped', () => {
    const log = renderLog('::stop-commands::zz\n::add-mask::x1x1\nx1x1');
    expect(log.stopped).toBe(true);
    expect(log.masks).toEqual([]);
    expect(log.text).toBe('::stop-commands::zz\n::add-mask::x1x1\nx1x1');
  });

  it('a ::cmd:: that is not the token does not resume, even with the token in it', () => {
    const log = renderLog('::stop-commands::t1\n::error::##[t1]\n::add-mask::q9q9\nq9q9');
    expect(log.stopped).toBe(true);
    expect(log.lines.at(-1)).toBe('q9q9');
  });

  it('masks as the runner does: every occurrence in the printed line, overlapping ones merged into one ***', () => {
    const log = renderLog(
      '::add-mask::**\n::add-mask::%2A%2A\n%2A%2A\nab**cd**\n::add-mask::abc\n::add-mask::bcd\nxabcdx',
    );
    expect(log.lines).toEqual(['***', 'ab***cd***', 'x***x']);
  });

  it('a whitespace-only add-mask registers nothing', () => {
    expect(renderLog('::add-mask::   \nx').masks).toEqual([]);
  });
});

describe('the runner harness on every runner OS', () => {
  it("reads GITHUB_OUTPUT with \\n or \\r\\n line ends (os.EOL on Windows), keeping a value's own line breaks", () => {
    const value = 'line one\r\nline two\nthree';
    for (const eol of ['\n', '\r\n']) {
      const file = `client-secret<<ghadelimiter_1${eol}${value}${eol}ghadelimiter_1${eol}token-type<<ghadelimiter_2${eol}Bearer${eol}ghadelimiter_2${eol}empty<<D${eol}${eol}D${eol}plain=x${eol}`;
      expect(parseOutputFile(file), JSON.stringify(eol)).toEqual({
        'client-secret': value,
        'token-type': 'Bearer',
        empty: '',
        plain: 'x',
      });
    }
  });
});
