/**
 * The main job, locally: starts the platform simulator, runs the bundled
 * action (dist/index.js) under Node 24 as a runner would, first in
 * `provision` mode with the simulated Owner's API key (the recommended way),
 * then in `token` mode with the credentials it got, then once more in
 * `provision` mode as a scheduled rotation does: with the Entra inputs, handing
 * the new credentials to the simulated Microsoft Entra ID (harness/microsoft.ts),
 * which tests them against the platform simulator before and after saving. It prints what the
 * runner would show: the masked log, the outputs, and the step summary as a
 * user reads it on the run's page (Markdown rendered as plain text: headings,
 * aligned tables, no code marks).
 *
 *   npm run demo
 */
import { runAction, type ActionRun } from '../harness/runner.ts';
import { startWithPlatform } from '../harness/microsoft.ts';
import { OWNER, PlatformSimulator } from '../harness/simulator.ts';
import { renderSummary } from './render-summary.ts';

const SECRET_OUTPUTS = new Set(['client-secret', 'access-token']);

function show(title: string, run: ActionRun): void {
  console.log(`\n=== ${title} (exit code ${run.exitCode}) ===`);
  console.log('--- log, as the runner shows it ---');
  for (const line of run.log.lines) if (line !== '') console.log(`  ${line}`);
  console.log('--- outputs (masked values shown as ***) ---');
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`  ${name.padEnd(16)} ${SECRET_OUTPUTS.has(name) || run.log.masks.includes(value) ? '***' : value}`);
  }
  console.log("--- step summary, as the run's page shows it ---");
  console.log(renderSummary(run.summary).replace(/^(?=.)/gmu, '  '));
}

const sim = await PlatformSimulator.start();
try {
  console.log(`Platform simulator listening at ${sim.baseUrl}`);
  const provisioned = await runAction({
    mode: 'provision',
    'base-url': sim.baseUrl,
    'api-key': OWNER.apiKey ?? '',
    'scim-check': 'true',
  });
  show('mode: provision', provisioned);
  if (provisioned.exitCode !== 0) process.exit(1);

  const token = await runAction({
    mode: 'token',
    'base-url': sim.baseUrl,
    'client-id': provisioned.outputs['client-id'] ?? '',
    'client-secret': provisioned.outputs['client-secret'] ?? '',
    'scim-check': 'true',
  });
  show('mode: token', token);
  console.log(
    `\nSimulator saw ${sim.requests.length} requests on ${sim.connections} connections; ` +
      `${sim.registrations.size} registration(s), ${sim.accessTokens.size} bearer token(s) issued.`,
  );
  if (token.exitCode !== 0) process.exit(1);

  // Entra holds a working registration, as if a person had pasted it; the rotation replaces it.
  const { ms } = await startWithPlatform(sim);
  try {
    const before = ms.savedCredentials().clientId;
    const rotated = await runAction(
      { mode: 'provision', 'base-url': sim.baseUrl, 'api-key': OWNER.apiKey ?? '', ...ms.inputs() },
      { env: ms.env() },
    );
    show('mode: provision with the Entra ID hand-off (a scheduled rotation)', rotated);
    console.log(
      `\nSimulated Entra ID held client id ${before}, now holds ${ms.savedCredentials().clientId}; ` +
        `its tests: ${ms.tests.map((t) => `${t.useSavedCredentials ? 'saved' : 'new'} set ${t.passed ? 'passed' : 'failed'}`).join(', ')}.`,
    );
    if (rotated.exitCode !== 0) process.exit(1);
  } finally {
    await ms.close();
  }
} finally {
  await sim.close();
}
