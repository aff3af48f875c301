/**
 * The implicit directional marks U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK and
 * U+061C ARABIC LETTER MARK from outside never reach the log, annotations or the step summary:
 * like the embedding, override and isolate controls (runner/bidi-controls.test.ts), they
 * change the order in which the reader sees the text around them.
 */
import { describe, expect, it } from 'vitest';
import { sanitize, stripBidi } from '../../src/errors.ts';
import { createRunLog, inertLine, type LogCore } from '../../src/runner/log.ts';
import { codeSpan, escapeText, renderSummary } from '../../src/runner/summary.ts';
import { ActionError } from '../../src/errors.ts';

const MARKS = ['\u200e', '\u200f', '\u061c'];
const ANY_MARK = /[\u200e\u200f\u061c]/u;
const hostile = (c: string): string => `Fix: remove ${c}registration-42${c} now`;

describe('bidi marks (LRM, RLM, ALM)', () => {
  it.each(MARKS.map((c) => [`U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`, c]))(
    '%s is removed by stripBidi, sanitize, inertLine, escapeText and codeSpan; the text around it is kept',
    (_name, c) => {
      expect(stripBidi(hostile(c))).toBe('Fix: remove registration-42 now');
      expect(sanitize(hostile(c))).toBe('Fix: remove registration-42 now');
      for (const out of [inertLine(hostile(c)), escapeText(hostile(c)), codeSpan(hostile(c))]) {
        expect(out).not.toMatch(ANY_MARK);
        expect(out).toContain('registration');
      }
    },
  );

  it('every line of the run log (info, debug, notice, warning, group, failure) is free of them', async () => {
    const printed: string[] = [];
    const core: LogCore = {
      info: (m) => void printed.push(m),
      debug: (m) => void printed.push(m),
      notice: (m) => void printed.push(m),
      warning: (m) => void printed.push(m),
      setFailed: (m) => void printed.push(m),
      group: async (name, fn) => {
        printed.push(name);
        return fn();
      },
    };
    const log = createRunLog(core, (text) => text);
    const text = hostile(MARKS.join(''));
    log.info(text);
    log.debug(text);
    log.notice(text);
    log.warning(text);
    log.fail(text);
    await log.group(text, async () => undefined);
    expect(printed).toHaveLength(6);
    for (const line of printed) expect(line).not.toMatch(ANY_MARK);
  });

  it('the step summary of a failure whose server code, reason and fix carry them shows none', () => {
    const failure = new ActionError({
      step: 'token',
      status: 400,
      code: `invalid${MARKS.join('')}_client`,
      reason: hostile('\u200f'),
      fix: hostile('\u061c'),
    });
    const markdown = renderSummary('token', undefined, failure, new Date('2026-12-01T00:00:00Z'));
    expect(markdown).toContain('registration');
    expect(markdown).not.toMatch(ANY_MARK);
  });

  it('the embedding, override and isolate controls are still removed with them', () => {
    expect(stripBidi('a\u202eb\u2066c\u200ed\u061ce')).toBe('abcde');
  });
});
