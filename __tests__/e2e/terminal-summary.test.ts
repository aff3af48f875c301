/**
 * "`npm run demo` also shows the step summary as a user would read
 * it": the renderer turns a real run's GITHUB_STEP_SUMMARY Markdown into plain
 * text with every value kept and no Markdown syntax left.
 */
import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../scripts/render-summary.ts';
import { runAction } from '../../harness/runner.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';

const sim = withSimulator({}, { reset: false });

describe('the step summary as plain text', () => {
  it('keeps every value of a provision run, aligned, without Markdown syntax', async () => {
    const run = await runAction(
      provisionInputs(sim, {
        'scim-check': 'true',
      }),
    );
    expect(run.exitCode).toBe(0);
    const text = renderSummary(run.summary);
    const lines = text.split('\n');
    expect(lines[0]).toBe('✅ Invicti SCIM credentials: provision succeeded');
    expect(lines[1]).toMatch(/^═+$/u);
    expect(text).not.toMatch(/\||`|\*\*|^#/mu);
    const tenant = lines.find((line) => line.includes('Tenant URL')) ?? '';
    const endpoint = lines.find((line) => line.includes('Token Endpoint')) ?? '';
    expect(tenant).toBe(
      `  Tenant URL${' '.repeat(tenant.indexOf(run.outputs['scim-url'] ?? '?') - 12)}${run.outputs['scim-url']}`,
    );
    expect(endpoint.indexOf(run.outputs['token-url'] ?? '?')).toBe(tenant.indexOf(run.outputs['scim-url'] ?? '?'));
    expect(text).toContain(run.outputs['registration-id'] ?? '?');
    expect(text).not.toContain(run.outputs['client-secret'] ?? '?');
  });

  it('reads escapes and entities as their characters outside code spans, and code spans to the letter', () => {
    expect(renderSummary('| a |\n|---|\n| GET /Groups?count=1&amp;x=&lt;y&gt; |\n')).toBe(
      'a\n  GET /Groups?count=1&x=<y>',
    );
    expect(renderSummary('| a |\n|---|\n| Session expired\\. \\[Sign in\\]\\(https://x\\) \\`x\\` |\n')).toBe(
      'a\n  Session expired. [Sign in](https://x) `x`',
    );
    expect(renderSummary('| a |\n|---|\n| `` a&amp;b \\| `c` `` |\n')).toBe('a\n  a&amp;b | `c`');
  });

  it('renders alerts, links and escaped pipes of hand-written Markdown', () => {
    const text = renderSummary(
      '#### Next\n\n> [!WARNING]\n> Read **this** first.\n\n| a | b |\n|---|:-:|\n| `x \\| y` | [docs](https://example.com) |\n',
    );
    expect(text).toBe('Next\n────\n\nWARNING:\nRead this first.\n\n  a       b\n  x | y   docs (https://example.com)');
  });
});
