/**
 * Starts the platform simulator (`harness/simulator.ts`) and the Microsoft
 * side (`harness/microsoft.ts`: GitHub's OIDC token service, Entra ID's token
 * endpoint, Microsoft Graph's synchronization calls) on 127.0.0.1 and keeps
 * them running until Ctrl-C, so `npm run local` can be tried against them
 * without a tenant or a directory. The simulated enterprise application starts
 * with a working registration saved in its provisioning (as a person would have
 * pasted it), so a hand-off visibly replaces it. Prints the base URLs, the
 * simulated Owner account, the variables for a hand-off and, as they are
 * answered, the requests both sides received.
 *
 *   npm run simulator
 */
import { startWithPlatform } from '../harness/microsoft.ts';
import { OWNER, PlatformSimulator } from '../harness/simulator.ts';

const sim = await PlatformSimulator.start();
const { ms, previous } = await startWithPlatform(sim);
const shell = (value: string): string => `'${value.replace(/'/gu, `'\\''`)}'`;
console.log(`Platform simulator listening at ${sim.baseUrl} (Ctrl-C to stop)`);
console.log(`Microsoft simulator (OIDC, Entra ID, Graph) listening at ${ms.baseUrl}`);
console.log('In another terminal, for example:');
console.log(`  export INVICTI_BASE_URL=${sim.baseUrl}`);
console.log(`  MODE=provision INVICTI_API_KEY='${OWNER.apiKey ?? ''}' INVICTI_SCIM_CHECK=true npm run local`);
console.log(
  `  MODE=provision INVICTI_EMAIL=${OWNER.email} INVICTI_PASSWORD='${OWNER.password}' INVICTI_SCIM_CHECK=true npm run local`,
);
console.log('Hand the new credentials to the simulated Entra ID (add these to the provision command above):');
for (const [name, value] of Object.entries(ms.env())) console.log(`  export ${name}=${shell(value)}`);
for (const [name, value] of Object.entries(ms.inputs()))
  console.log(`  export INVICTI_${name.toUpperCase().replace(/-/gu, '_')}=${value}`);
console.log('Then check what Entra ID uses: MODE=entra-check npm run local');

/** Prints each request of `requests` once answered (its status is set then), in order, from `seen` on. */
function printAnswered(
  label: string,
  requests: ReadonlyArray<{ method: string; url: string; status: number }>,
  seen: number,
): number {
  let next = seen;
  for (let request = requests[next]; request && request.status !== 0; request = requests[next]) {
    console.log(`  ${label} ${request.method} ${request.url.split('?')[0]} → ${request.status}`);
    next += 1;
  }
  return next;
}

let seenPlatform = 0;
let seenMicrosoft = 0;
const printNew = (): void => {
  seenPlatform = printAnswered('platform ', sim.requests, seenPlatform);
  seenMicrosoft = printAnswered('microsoft', ms.requests, seenMicrosoft);
};
const timer = setInterval(printNew, 200);

const stop = async (): Promise<void> => {
  clearInterval(timer);
  printNew();
  await Promise.all([sim.close(), ms.close()]);
  const saved = ms.savedCredentials().clientId;
  console.log(
    `Stopped: ${sim.requests.length} platform requests, ${sim.registrations.size} registration(s), ${sim.accessTokens.size} bearer token(s); ` +
      `${ms.requests.length} Microsoft requests, Entra ID holds client id ${saved}` +
      `${saved === previous.clientId ? ' (the one it started with)' : ' (a new one)'}.`,
  );
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
