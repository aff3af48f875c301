/**
 * Step 2's answer when the platform made a registration but its credentials are
 * malformed (issue 16 §5): refused, the registration named, nothing lost.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { UnusableRegistrationError } from '../../src/client/identity.ts';
import { loginCredential } from '../../src/client/owner.ts';
import { MAX_SECRET_LENGTH } from '../../src/client/request.ts';
import { JSON_TYPE, BASE, makeClient, caught, withNock } from '../support/nock-platform.ts';

withNock();

const REGISTRATION_ID = '3f2b7c1e-9a4d-4e8f-b6a5-0c1d2e3f4a5b';

function created(credentials: Record<string, unknown>): void {
  nock(BASE)
    .post('/api/identity/v1/clients')
    .query({ expand: 'credentials' })
    .reply(201, { clientId: REGISTRATION_ID, name: 'My reg', credentials }, JSON_TYPE);
}

async function unusable(made: ReturnType<typeof makeClient>): Promise<UnusableRegistrationError> {
  const error = await caught(made.client.identity.createRegistration(loginCredential('login-tok'), 'My reg', 'd'));
  expect(error).toBeInstanceOf(UnusableRegistrationError);
  return error as UnusableRegistrationError;
}

describe('a client secret of one to three characters', () => {
  it.each(['S', 'St', 'Ste'])(
    '%j is refused as malformed, never masked; the registration is named and its client-id kept',
    async (secret) => {
      created({ clientId: 'm2m-6f1e2d3c4b5a6978', clientSecret: secret });
      const made = makeClient();
      const error = await unusable(made);
      expect(error.reason).toBe(
        `the response's credentials.clientSecret is malformed: ${secret.length} character${secret.length === 1 ? '' : 's'}, too short to be a secret (at least 4); it was not masked or used`,
      );
      expect(error.why).toContain(`registration ${REGISTRATION_ID} ("My reg") was created but cannot be used`);
      expect(error.fix).toContain(`remove registration ${REGISTRATION_ID}`);
      expect(error.registrationId).toBe(REGISTRATION_ID);
      expect(error.clientId).toBe('m2m-6f1e2d3c4b5a6978');
      expect(error.clientSecret).toBeUndefined();
      expect(made.mask.mock.calls.map(([secret]) => secret)).not.toContain(secret);
    },
  );
});

describe('credentials.clientId', () => {
  it('is bounded like the secrets: 2 MB is refused, and never reaches the log or the outputs', async () => {
    const huge = `m2m-${'a'.repeat(2 * 1024 * 1024)}`;
    created({ clientId: huge, clientSecret: 'S3cr3t-value' });
    const made = makeClient();
    const error = await unusable(made);
    expect(error.reason).toContain(
      `no valid credentials.clientId (a non-empty string of printable ASCII, at most ${MAX_SECRET_LENGTH} characters)`,
    );
    expect(error.clientId).toBeUndefined();
    expect(error.registrationId).toBe(REGISTRATION_ID);
    expect(error.message.length).toBeLessThan(2000);
    expect(made.log.warning.mock.calls.map(([message]) => message).join('').length).toBeLessThan(2000);
  });

  it(`of exactly ${MAX_SECRET_LENGTH} characters is kept`, async () => {
    const long = `m2m-${'a'.repeat(MAX_SECRET_LENGTH - 4)}`;
    created({ clientId: long, clientSecret: 'S3cr3t-value' });
    const registration = await makeClient().client.identity.createRegistration(
      loginCredential('login-tok'),
      'My reg',
      'd',
    );
    expect(registration.credentials.clientId).toBe(long);
  });
});
