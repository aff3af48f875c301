/**
 * The Microsoft Entra ID side of a run, as one module that `main.ts` loads with `import()` only
 * when the `entra-*` inputs are given: the hand-off (`entra-handoff.ts`), `mode: entra-check`
 * (`entra-check.ts`), the summary's Entra section and the reading of the `entra-*` inputs. One module, so the bundle holds the Entra
 * clients once, in one chunk of their own.
 */
export { newEntraReport, rotateWithEntra } from './entra-handoff.ts';
export { entraCheck } from './entra-check.ts';
export { entraSection } from '../runner/entra-summary.ts';
export { readEntraInputs } from '../runner/entra-inputs.ts';
