/**
 * Property: whatever a secret holds (any Unicode, `%`, `%25`, new lines, lone
 * `\r`, quotes, backslashes, lone surrogates…), once the action's real masking
 * (createMask) has registered it through `::add-mask::` as @actions/core
 * writes it, no form of it that could be printed (as is, encodeURIComponent,
 * form-encoded, inside a JSON string) survives in the log as the runner shows
 * it (renderLog: masks applied line by line, workflow commands unescaped).
 *
 * What makes this hard is the runner, not the encodings: it reads stdout line
 * by line and masks each line alone, so a multi-line secret is hidden only if
 * each of its lines was registered too; and `::add-mask::` itself is one line,
 * so its value must be escaped (`%` `\r` `\n`) or the rest of the secret would
 * be printed in clear on the next line.
 */
import * as core from '@actions/core';
import fc from 'fast-check';
import { EOL } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createMask, secretForms } from '../../src/runner/mask.ts';
import { renderLog } from '../../harness/runner.ts';
import { printableForms } from '../support/secrets.ts';

/** @actions/core's escapeData for command values. */
function escapeData(text: string): string {
  return text.replace(/%/gu, '%25').replace(/\r/gu, '%0D').replace(/\n/gu, '%0A');
}

/** What @actions/core writes to stdout: commands escaped, `info` as is. */
class FakeStdout {
  text = '';
  setSecret = (value: string): void => {
    this.text += `::add-mask::${escapeData(value)}${EOL}`;
  };
  info(message: string): void {
    this.text += `${message}${EOL}`;
  }
  command(name: 'warning' | 'error' | 'notice' | 'debug', message: string): void {
    this.text += `::${name}::${escapeData(message)}${EOL}`;
  }
  /** The log as the runner shows it, after stdout's UTF-8 encoding (lone surrogates become U+FFFD). */
  render(): ReturnType<typeof renderLog> {
    return renderLog(Buffer.from(this.text, 'utf8').toString('utf8'), true);
  }
}

const LINE_BREAK = /\r\n|\r|\n/u;
/** A line the runner would read as a workflow command (renderLog's rule). */
const COMMAND_LINE = /^::[a-z-]+(?: [^:]*)?::/su;

/** Secrets of any Unicode, biased towards what breaks escaping and line handling. */
const tricky = fc.constantFrom(
  '%',
  '%25',
  '%2525',
  '%0A',
  '%0D',
  '%%',
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  '"',
  "'",
  '\\',
  '\\n',
  '\\"',
  ' ',
  '\t',
  '+',
  '&',
  '=',
  '/',
  '?',
  '#',
  ':',
  '::',
  '*',
  '~',
  '<',
  '>',
  '`',
  '$',
  '{',
  '}',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  '\u2029',
  '\u00a0',
  'é',
  'ß',
  '€',
  '😀',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  'a',
  'Z',
  '0',
);
const unit = fc.oneof(
  { arbitrary: tricky, weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 1 },
);
const secret = fc.string({ unit, minLength: 1, maxLength: 24 }).filter((s) => s.trim() !== '');
const secrets = fc.array(secret, { minLength: 1, maxLength: 3 });

/**
 * A secret line that is itself a workflow command (`::warning::x`) would be
 * executed by the runner when printed at the start of a line: that is command
 * injection, not masking, and the action never prints secrets at all. Such
 * secrets are left out of the properties that print raw lines.
 */
function hasCommandLine(value: string): boolean {
  return value.split(LINE_BREAK).some((line) => COMMAND_LINE.test(line));
}

const RUNS = Number(process.env['FC_RUNS'] ?? 500);

describe('masking every form of any secret, as the runner shows the log', () => {
  it('the fake setSecret writes exactly what @actions/core writes', () => {
    const samples = ['plain', 'a%25b%0Ac', 'two\nlines\r\nand\rmore', '::add-mask::x', '😀\uD800'];
    for (const value of samples) {
      const fake = new FakeStdout();
      fake.setSecret(value);
      let written = '';
      const original = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string | Uint8Array): boolean => {
        written += String(chunk);
        return true;
      }) as typeof process.stdout.write;
      try {
        core.setSecret(value);
      } finally {
        process.stdout.write = original;
      }
      expect(written).toBe(fake.text);
    }
  });

  it('a form printed alone on a line is shown as *** and nothing else', () => {
    fc.assert(
      fc.property(secrets, (values) => {
        fc.pre(!values.some(hasCommandLine));
        const out = new FakeStdout();
        const mask = createMask(out.setSecret);
        for (const value of values) mask(value);
        const printed: string[] = [];
        for (const value of values) {
          for (const form of printableForms(value)) {
            out.info(form);
            printed.push(form);
          }
        }
        const log = out.render();
        // Every line that held secret text shows only *** (and white space, which is no secret).
        for (const line of log.lines) expect(line.split('***').join('').trim()).toBe('');
        // The runner registered each form the action sent (no add-mask line was broken up).
        for (const value of values) {
          for (const form of secretForms(value))
            expect(log.masks).toContain(Buffer.from(form, 'utf8').toString('utf8'));
        }
        expect(log.lines.length).toBeGreaterThanOrEqual(printed.length);
      }),
      // Found by this property: a secret holding `*` (its form %2A%2A printed, then
      // masked) must not re-match the *** of another mask, as the runner masks.
      { numRuns: RUNS, examples: [[['%', '**']]] },
    );
  });

  it('no form survives inside a sentence, a request body, an annotation or a debug line', () => {
    const OPEN = '⟦';
    const CLOSE = '⟧';
    fc.assert(
      fc.property(secrets, (values) => {
        // The runner replaces a mask by ***; a secret made of * (or of the
        // brackets around it here) could then "appear" without leaking.
        fc.pre(values.every((v) => !/[*⟦⟧]/u.test(v) && !hasCommandLine(v)));
        const out = new FakeStdout();
        const mask = createMask(out.setSecret);
        for (const value of values) mask(value);
        for (const value of values) {
          for (const form of printableForms(value)) out.info(`${OPEN}${form}${CLOSE}`);
          out.info(
            `${OPEN}grant_type=client_credentials&client_id=x&${new URLSearchParams({ client_secret: value })}${CLOSE}`,
          );
          out.info(`${OPEN}${JSON.stringify({ emailAddress: 'owner@example.com', password: value })}${CLOSE}`);
          out.command('warning', `${OPEN}${value}${CLOSE}`);
          out.command('error', `${OPEN}${JSON.stringify(value)}${CLOSE}`);
          out.command('debug', `${OPEN}${encodeURIComponent(value.toWellFormed())}${CLOSE}`);
        }
        const log = out.render();
        const shown = log.lines.map((line) => line.replace(/^##\[[a-z]+\]/u, '')).join('\n');
        for (const value of values) {
          const wellFormed = value.toWellFormed();
          const lines = wellFormed
            .split(LINE_BREAK)
            .map((l) => l.trim())
            .filter((l) => l !== '');
          for (const form of [...printableForms(wellFormed), ...lines]) expect(shown).not.toContain(form);
        }
        for (const text of [...log.errors, ...log.warnings]) expect(text).toMatch(/^⟦[\s\S]*⟧$/u);
      }),
      { numRuns: RUNS },
    );
  });

  it('without escaping, a multi-line secret would leak: the property has teeth', () => {
    const value = 'first line\nsecond line';
    const out = new FakeStdout();
    const mask = createMask((form) => (out.text += `::add-mask::${form}${EOL}`));
    mask(value);
    out.info(value);
    const log = out.render();
    // secretForms registered each line too, so only the broken add-mask line itself shows the rest.
    expect(log.text).toContain('second line');
  });

  it('without per-line masks, the runner could not hide a multi-line secret', () => {
    const value = 'first line\nsecond line';
    const out = new FakeStdout();
    out.setSecret(value);
    out.info(value);
    expect(out.render().lines).toEqual(['first line', 'second line', '']);
    const masked = new FakeStdout();
    createMask(masked.setSecret)(value);
    masked.info(value);
    expect(masked.render().lines).toEqual(['***', '***', '']);
  });
});
