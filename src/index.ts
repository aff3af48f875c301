/** Entry point: wires the real collaborators into the run (see main.ts) and the runner's cancel signals to it. */
import * as core from '@actions/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpTransport } from './net/http.ts';
import { startRun } from './main.ts';

const action = startRun({
  core,
  env: process.env,
  createTransport: createHttpTransport,
  sleep: async (ms) => {
    await sleep(ms);
  },
  random: Math.random,
  now: () => new Date(),
  userAgent: 'invicti-scim-credentials/1',
});
// The runner cancels with SIGINT, then SIGTERM: write what is known, fail, and exit once stdout is flushed.
const onSignal = (signal: NodeJS.Signals): void => {
  void action.cancel(signal).finally(() => process.stdout.write('', () => process.exit()));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
await action.done;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
