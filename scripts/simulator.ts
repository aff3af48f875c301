/**
 * Starts the platform simulator (`harness/simulator.ts`) on
 * 127.0.0.1 and keeps it running until Ctrl-C, so `npm run local` can be
 * tried against it without a tenant. Prints the base URL, the simulated
 * Owner account (its API key, or email and password) and, on exit, the requests it answered.
 *
 *   npm run simulator
 */
import { OWNER, PlatformSimulator } from '../harness/simulator.ts';

const sim = await PlatformSimulator.start();
console.log(`Platform simulator listening at ${sim.baseUrl} (Ctrl-C to stop)`);
console.log('In another terminal, for example:');
console.log(`  export INVICTI_BASE_URL=${sim.baseUrl}`);
console.log(`  MODE=provision INVICTI_API_KEY='${OWNER.apiKey ?? ''}' INVICTI_SCIM_CHECK=true npm run local`);
console.log(
  `  MODE=provision INVICTI_EMAIL=${OWNER.email} INVICTI_PASSWORD='${OWNER.password}' INVICTI_SCIM_CHECK=true npm run local`,
);

let seen = 0;
const timer = setInterval(() => {
  // A request's status is set when it is answered: print each once answered, in order.
  for (let request = sim.requests[seen]; request && request.status !== 0; request = sim.requests[seen]) {
    console.log(`  ${request.method} ${request.url.split('?')[0]} → ${request.status}`);
    seen += 1;
  }
}, 200);

const stop = async (): Promise<void> => {
  clearInterval(timer);
  await sim.close();
  console.log(
    `Stopped: ${sim.requests.length} requests, ${sim.registrations.size} registration(s), ${sim.accessTokens.size} bearer token(s).`,
  );
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
