/** Entry point: wires the real collaborators into `run` (see main.ts). */
import * as core from '@actions/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpTransport } from './http.ts';
import { run } from './main.ts';

await run({
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
