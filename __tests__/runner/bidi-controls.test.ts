/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069) from outside never reach
 * the log, annotations or the step summary (issue 16 §5): they would reorder
 * what the reader sees ("Trojan Source").
 */
import { describe, expect, it } from 'vitest';
import { sanitize } from '../../src/errors.ts';
import { createRunLog, inertLine, type LogCore } from '../../src/runner/log.ts';
import { codeSpan, escapeText } from '../../src/runner/summary.ts';

const CONTROLS = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
const hostile = (c: string): string => `Fix: remove ${c}noitartsiger${c} now`;

describe('bidi controls', () => {
  it.each(CONTROLS.map((c) => [`U+${c.codePointAt(0)?.toString(16).toUpperCase()}`, c]))(
    '%s is removed by sanitize, inertLine, escapeText and codeSpan',
    (_name, c) => {
      for (const out of [sanitize(hostile(c)), inertLine(hostile(c)), escapeText(hostile(c)), codeSpan(hostile(c))]) {
        expect(out).not.toMatch(BIDI);
        expect(out).toContain('noitartsiger');
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
    const text = hostile('\u202e\u2066');
    log.info(text);
    log.debug(text);
    log.notice(text);
    log.warning(text);
    log.fail(text);
    await log.group(text, async () => undefined);
    expect(printed).toHaveLength(6);
    for (const line of printed) expect(line).not.toMatch(BIDI);
  });

  it('the left-to-right and right-to-left marks go too (runner/bidi-marks.test.ts); other characters are kept', () => {
    expect(sanitize('a\u200eb\u200fc é')).toBe('abc é');
  });
});
