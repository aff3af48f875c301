/**
 * Reading the platform's error bodies (src/client/request.ts `platformErrorOf`):
 * OAuth, SCIM, identity API, RFC 9457 problem details and validation shapes;
 * control characters flattened, long text cut, secrets redacted.
 */
import { describe, expect, it } from 'vitest';
import { platformErrorOf } from '../../src/client/request.ts';

describe('platformErrorOf', () => {
  const response = (body: string, type = 'application/json'): Parameters<typeof platformErrorOf>[0] => ({
    status: 400,
    headers: { 'content-type': type },
    body,
  });

  it('OAuth error + error_description (RFC 6749 §5.2)', () => {
    expect(platformErrorOf(response('{"error":"invalid_client","error_description":"Bad secret."}'))).toEqual({
      code: 'invalid_client',
      text: 'invalid_client: Bad secret.',
    });
  });

  it('SCIM scimType + detail (RFC 7644 §3.12)', () => {
    expect(
      platformErrorOf(response('{"scimType":"invalidFilter","detail":"Bad filter."}', 'application/scim+json')),
    ).toEqual({
      code: 'invalidFilter',
      text: 'invalidFilter: Bad filter.',
    });
  });

  it('identity API message (with or without a code)', () => {
    expect(platformErrorOf(response('{"message":"Nope."}'))).toEqual({ code: undefined, text: 'Nope.' });
    expect(platformErrorOf(response('{"code":"E42","message":"Nope."}'))).toEqual({ code: 'E42', text: 'E42: Nope.' });
  });

  it('control characters flattened, long text cut', () => {
    const { text } = platformErrorOf(
      response(JSON.stringify({ message: `line1\n\u001b[31mline2\r\n${'x'.repeat(500)}` })),
    );
    for (const control of ['\n', '\r', '\u001b']) expect(text).not.toContain(control);
    expect(text?.length).toBeLessThanOrEqual(200);
  });

  it('RFC 9457 problem details: detail over title, with the code when one is given', () => {
    const problem = 'application/problem+json';
    expect(
      platformErrorOf(
        response(
          '{"type":"https://example.test/probs/x","title":"Bad Request","status":400,"detail":"The name is already taken."}',
          problem,
        ),
      ),
    ).toEqual({ code: undefined, text: 'The name is already taken.' });
    expect(platformErrorOf(response('{"type":"about:blank","title":"Forbidden","status":403}', problem))).toEqual({
      code: undefined,
      text: 'Forbidden',
    });
    expect(
      platformErrorOf(response('{"title":"Conflict","detail":"Name taken.","code":"DuplicateName"}', problem)),
    ).toEqual({ code: 'DuplicateName', text: 'DuplicateName: Name taken.' });
  });

  it('validation problems: the first message with its field, and how many more', () => {
    const problem = 'application/problem+json';
    // ASP.NET Core ValidationProblemDetails.
    const aspnet = {
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      errors: { Name: ['The Name field is required.', 'Too short.'], Description: ['Too long.'] },
      traceId: '00-abc-01',
    };
    expect(platformErrorOf(response(JSON.stringify(aspnet), problem)).text).toBe(
      'One or more validation errors occurred. Name: The Name field is required. (and 2 more)',
    );
    // RFC 9457 §3's example extension: a list of {detail, pointer}.
    const rfc = {
      title: 'Your request is not valid.',
      errors: [
        { detail: 'must be a positive integer', pointer: '#/age' },
        { detail: 'must be red or blue', pointer: '#/profile/color' },
      ],
    };
    expect(platformErrorOf(response(JSON.stringify(rfc), problem)).text).toBe(
      'Your request is not valid. age: must be a positive integer (and 1 more)',
    );
    // {message, errors} as many web frameworks send; a blank key names no field.
    expect(
      platformErrorOf(
        response(JSON.stringify({ message: 'The given data was invalid', errors: { email: 'is not an email' } })),
      ).text,
    ).toBe('The given data was invalid: email: is not an email');
    expect(
      platformErrorOf(response(JSON.stringify({ errors: { '': ['A non-empty request body is required.'] } }))).text,
    ).toBe('A non-empty request body is required.');
    expect(platformErrorOf(response(JSON.stringify({ errors: ['name is required'] }))).text).toBe('name is required');
  });

  it('SCIM errors (RFC 7644 §3.12) with scimType alone; a nested {error: {code, message}}', () => {
    const scim = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"invalidValue","status":"400"}';
    expect(platformErrorOf(response(scim, 'application/scim+json'))).toEqual({
      code: 'invalidValue',
      text: 'invalidValue',
    });
    expect(platformErrorOf(response('{"error":{"code":"Forbidden","message":"Insufficient privileges."}}'))).toEqual({
      code: 'Forbidden',
      text: 'Forbidden: Insufficient privileges.',
    });
  });

  it('a byte-order mark before the body, and a JSON error labelled text/plain, are read', () => {
    expect(platformErrorOf(response('\uFEFF{"message":"Nope."}'))).toEqual({ code: undefined, text: 'Nope.' });
    expect(platformErrorOf(response('\uFEFF{"error":"invalid_client"}', 'text/plain'))).toEqual({
      code: 'invalid_client',
      text: 'invalid_client',
    });
  });

  it('validation text is redacted and flattened like any other server text', () => {
    const body = JSON.stringify({
      title: 'Invalid.',
      errors: { 'na\nme': [`bad SECRET-1\n::stop-commands::x ${'y'.repeat(400)}`] },
    });
    const { text } = platformErrorOf(response(body), (t) => t.split('SECRET-1').join('***'));
    expect(text).not.toContain('SECRET-1');
    expect(text).not.toContain('\n');
    expect(text?.startsWith('Invalid. na me: bad *** ::stop-commands::x')).toBe(true);
    expect(text?.length).toBeLessThanOrEqual(300);
  });

  it('non-JSON or malformed bodies give nothing', () => {
    expect(platformErrorOf(response('<html>', 'text/html'))).toEqual({ code: undefined, text: undefined });
    expect(platformErrorOf(response('{"message":'))).toEqual({ code: undefined, text: undefined });
  });
});
