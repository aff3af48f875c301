/**
 * `npm run simulator` (scripts/simulator.ts) starts both simulators and prints
 * what a local run needs: the variables it prints really connect a run of the
 * action to them (here mode entra-check, through harness/runner.ts), and on
 * Ctrl-C it says what Entra ID holds.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE24, ROOT, runAction } from '../../harness/runner.ts';

/** Variables of the `export NAME=value` lines printed (single-quoted values unquoted). */
function exported(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, name = '', value = ''] of text.matchAll(/^ {2}export ([A-Z_]+)=(.*)$/gmu))
    out[name] = value.startsWith("'") ? value.slice(1, -1).replace(/'\\''/gu, "'") : value;
  return out;
}

describe('npm run simulator', () => {
  it('prints variables with which an entra-check run passes, and on Ctrl-C what Entra ID holds', async () => {
    const child = spawn(NODE24, [join(ROOT, 'scripts', 'simulator.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      while (!stdout.includes('MODE=entra-check')) {
        if (child.exitCode !== null) throw new Error(`scripts/simulator.ts exited: ${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const vars = exported(stdout);
      const inputs: Record<string, string> = { mode: 'entra-check' };
      for (const [name, value] of Object.entries(vars)) {
        if (name.startsWith('INVICTI_ENTRA_')) inputs[name.slice(8).toLowerCase().replace(/_/gu, '-')] = value;
      }
      expect(Object.keys(inputs)).toHaveLength(6);
      const run = await runAction(inputs, {
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: vars['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '',
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: vars['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '',
        },
      });
      expect(run.exitCode, run.log.text).toBe(0);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/validateCredentials → 204/u);
    expect(stdout).toMatch(/Entra ID holds client id m2m-[0-9a-f]+ \(the one it started with\)\./u);
  });
});
