/**
 * Issue 17, "a README over the size CONTRIBUTING sets": the README stays within
 * the size CONTRIBUTING.md's Documentation section names ("Keep it under about
 * N KB"), read from there so the two cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../harness/runner.ts';

/** The README size limit CONTRIBUTING.md sets, in bytes (N KB as N × 1000), or undefined when it names none. */
function readmeLimit(contributing: string): number | undefined {
  const kb = /README[^]*?under about (\d+) KB/u.exec(contributing)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1000;
}

describe('README size', () => {
  it('is within the size CONTRIBUTING.md sets', () => {
    const limit = readmeLimit(readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8'));
    expect(limit).toBeGreaterThan(0);
    expect(Buffer.byteLength(readFileSync(join(ROOT, 'README.md'), 'utf8'))).toBeLessThanOrEqual(limit ?? 0);
  });

  it('reads the limit from the sentence that sets it', () => {
    expect(readmeLimit('- The README is for users. Keep\n  it under about 15 KB; developer material')).toBe(15_000);
    expect(readmeLimit('No limit here.')).toBeUndefined();
  });
});
