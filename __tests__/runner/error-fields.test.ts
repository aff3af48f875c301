/**
 * An ActionError is built from structured fields (step, status, the server's
 * code, reason, the request, notes, fix, fix notes) and its message is rendered
 * from them in one place: amending adds a field, it never rewrites text.
 */
import { describe, expect, it } from 'vitest';
import { ActionError, amend } from '../../src/errors.ts';
import { renderSummary } from '../../src/runner/summary.ts';

const base = (): ActionError =>
  new ActionError({
    step: 'SCIM check',
    status: 500,
    code: 'E42',
    reason: 'the platform answered "Boom."',
    fix: 'the platform had a server error; re-run the job later',
  });

describe('ActionError fields', () => {
  it('renders step, status, reason and fix into the one message', () => {
    const error = base();
    expect(error.message).toBe(
      'SCIM check failed (HTTP 500): the platform answered "Boom.". Fix: the platform had a server error; re-run the job later.',
    );
    expect(error.code).toBe('E42');
    expect(error.notes).toEqual([]);
    expect(new ActionError({ step: 'inputs', reason: 'r', fix: 'f' }).message).toBe('Invalid input: r. Fix: f.');
  });

  it('amend adds a request, notes and fix notes as fields, keeps step, status and code, and renders them in order', () => {
    const amended = amend(amend(base(), { request: 'GET /Groups', note: 'registration r was created' }), {
      fixNote: 'then store the outputs',
    }) as ActionError;
    expect(amended).toBeInstanceOf(ActionError);
    expect(amended.reason).toBe('the platform answered "Boom."');
    expect(amended.request).toBe('GET /Groups');
    expect(amended.notes).toEqual(['registration r was created']);
    expect(amended.fix).toBe('the platform had a server error; re-run the job later');
    expect(amended.fixNotes).toEqual(['then store the outputs']);
    expect([amended.step, amended.status, amended.code]).toEqual(['SCIM check', 500, 'E42']);
    expect(amended.why).toBe('the platform answered "Boom." (GET /Groups); registration r was created');
    expect(amended.howToFix).toBe('the platform had a server error; re-run the job later; then store the outputs');
    expect(amended.message).toBe(`SCIM check failed (HTTP 500): ${amended.why}. Fix: ${amended.howToFix}.`);
  });

  it('amend replaces the fix but keeps its notes; anything else passes through', () => {
    const replaced = amend(amend(base(), { fixNote: 'n' }), { fix: 'other' }) as ActionError;
    expect(replaced.howToFix).toBe('other; n');
    const plain = new Error('x');
    expect(amend(plain, { note: 'y' })).toBe(plain);
  });

  it('the step summary shows the rendered why and fix, and the code', () => {
    const amended = amend(base(), { note: 'registration r was created', fixNote: 'store the outputs' }) as ActionError;
    const markdown = renderSummary(undefined, undefined, amended, new Date(0));
    expect(markdown).toContain('registration r was created');
    expect(markdown).toContain('store the outputs');
    expect(markdown).toContain('`E42`');
  });
});
