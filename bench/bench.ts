/**
 * The benchmark of issue 5 (a benchmark, not a test: it never fails on timing).
 *
 *   npm run bench                 # 20 runs per program and mode
 *   npm run bench -- --runs 50    # or BENCH_RUNS=50 npm run bench
 *   npm run bench -- --with-undici   # also the action bundled with undici, as before issue 10
 *   npm run bench -- --ncc-variants  # also the action bundled with other ncc options
 *
 * Starts the platform simulator over HTTPS on 127.0.0.1 (a run-time
 * self-signed certificate, trusted through NODE_EXTRA_CA_CERTS) and runs, as
 * fresh Node 24 processes with a runner's environment, round-robin:
 *   - bare node          `node -e ''`: start-up alone, no request;
 *   - floor node:https   bench/floor-https.mjs: the same requests with node:https only;
 *   - floor libs (ncc)   bench/floor-libs.mjs bundled by scripts/bundle.ts as dist/index.js
 *                        is: the same requests, masks and outputs through
 *                        @actions/core + @actions/http-client. The "same-libraries floor" of
 *                        issue 5 (target ≤ 1.1×);
 *   - floor libs (node_modules)  the same script unbundled, loaded from node_modules (for reference);
 *   - action             dist/index.js.
 * in mode `provision` (verify on: 4 requests) and mode `token` (1 request).
 * It prints medians, min and max of wall time (spawn to exit), of the time to
 * the first request and from the last response to exit, and of peak RSS
 * (`/usr/bin/time -f %M` when present, else process.resourceUsage().maxRSS in
 * the child), the connections and requests per run, and the ratios; then a
 * summary table of action / floor node:https, wall and peak RSS in both modes,
 * with the floor's peak RSS and the size of dist/index.js (issue 10's targets:
 * ≤ 1.05× and ≤ 350 KB). Wall ratios come three ways: of the medians, paired
 * by round, and of the fastest runs (least disturbed by other load); the
 * machine's load average is printed at start and end.
 * It exits 1 only when a program fails (non-zero exit), never on timing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, NODE24, parseOutputFile, ROOT, runnerEnv } from '../harness/runner.ts';
import { OWNER, PlatformSimulator } from '../harness/simulator.ts';
import { makeLoopbackCertificate } from '../harness/tls.ts';
import { bundle, type BundleOptions } from '../scripts/bundle.ts';

const TIME = '/usr/bin/time';
const FLOOR_HTTPS = join(ROOT, 'bench', 'floor-https.mjs');
const FLOOR_LIBS = join(ROOT, 'bench', 'floor-libs.mjs');
/** Fallback RSS probe when /usr/bin/time is missing: the child writes its own maxRSS (KiB) at exit. */
const RSS_PROBE =
  'data:text/javascript,import{writeFileSync}from"node:fs";' +
  'process.on("exit",()=>writeFileSync(process.env.BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))';

/** `--ncc-variants`: also bundle src/index.ts with these ncc options (as scripts/bundle.ts does otherwise) and time each bundle. */
const NCC_VARIANTS: { name: string; options: BundleOptions }[] = [
  { name: 'minify', options: { minify: true } },
  { name: 'source map', options: { sourceMap: true } },
  { name: 'source map, no register', options: { sourceMap: true, sourceMapRegister: false } },
  { name: 'minify, source map, no register', options: { minify: true, sourceMap: true, sourceMapRegister: false } },
  { name: 'target es2022', options: { target: 'es2022' } },
];

/** `--with-undici`: the action bundled as before issue 10, for comparison. */
const WITH_UNDICI = 'action, undici bundled';

/** Issue 10's targets: action / floor node:https, and the size of dist/index.js. */
const TARGET_RATIO = 1.05;
const TARGET_DIST_BYTES = 350 * 1000;

function argRuns(): number {
  const at = process.argv.indexOf('--runs');
  const text = at >= 0 ? process.argv[at + 1] : process.env['BENCH_RUNS'];
  const runs = Number(text ?? '20');
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${text}`);
  return runs;
}

interface Program {
  name: string;
  /** Node arguments; the script last. */
  args: string[];
  /** Sends requests (bare node does not). */
  requests: boolean;
}

interface Sample {
  wallMs: number;
  /** Spawn to the first request's arrival at the simulator. */
  firstRequestMs: number | undefined;
  /** Last response sent by the simulator to process exit. */
  tailMs: number | undefined;
  rssKiB: number | undefined;
  connections: number;
  requests: number;
  exitCode: number | null;
  stderr: string;
}

type Inputs = Record<string, string>;

async function main(): Promise<void> {
  const runs = argRuns();
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  const cert = makeLoopbackCertificate();
  const sim = await PlatformSimulator.start({ tls: { key: cert.key, cert: cert.cert } });
  let firstRequestAt: number | undefined;
  let lastResponseAt: number | undefined;
  sim.server.on('request', (_req, res) => {
    firstRequestAt ??= performance.now();
    res.on('finish', () => (lastResponseAt = performance.now()));
  });
  const useTime = existsSync(TIME);
  const outputFile = join(work, 'output');
  const summaryFile = join(work, 'summary');
  const rssFile = join(work, 'rss');

  async function runOnce(program: Program, inputs: Inputs): Promise<Sample> {
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    rmSync(rssFile, { force: true });
    const env = { ...runnerEnv(work, outputFile, summaryFile, inputs), ...cert.env, BENCH_RSS_FILE: rssFile };
    const [command, args] = useTime
      ? [TIME, ['-f', '%M', '-o', rssFile, NODE24, ...program.args]]
      : [NODE24, ['--import', RSS_PROBE, ...program.args]];
    const connectionsBefore = sim.connections;
    const requestsBefore = sim.requests.length;
    firstRequestAt = undefined;
    lastResponseAt = undefined;
    const started = performance.now();
    const child = spawn(command, args, { env, cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ended = performance.now();
    await new Promise((resolve) => setImmediate(resolve));
    const rssLines = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n') : [];
    const rss = Number(rssLines.at(-1));
    return {
      wallMs: ended - started,
      firstRequestMs: firstRequestAt === undefined ? undefined : firstRequestAt - started,
      tailMs: lastResponseAt === undefined ? undefined : ended - lastResponseAt,
      rssKiB: Number.isFinite(rss) && rss > 0 ? rss : undefined,
      connections: sim.connections - connectionsBefore,
      requests: sim.requests.length - requestsBefore,
      exitCode,
      stderr,
    };
  }

  try {
    console.log('Bundling the libs floor with scripts/bundle.ts, as dist/index.js is bundled');
    const floorBundle = await bundle(FLOOR_LIBS, join(work, 'floor-libs'));
    const programs: Program[] = [
      { name: "bare node (node -e '')", args: ['-e', ''], requests: false },
      { name: 'floor node:https', args: [FLOOR_HTTPS], requests: true },
      { name: 'floor libs (ncc)', args: [floorBundle], requests: true },
      { name: 'floor libs (node_modules)', args: [FLOOR_LIBS], requests: true },
      { name: 'action dist/index.js', args: [DIST], requests: true },
    ];
    const [bare, floorHttps, floorLibs, , action] = programs as [Program, Program, Program, Program, Program];
    if (process.argv.includes('--with-undici')) {
      const file = await bundle(join(ROOT, 'src', 'index.ts'), join(work, 'with-undici'), { withUndici: true });
      console.log(`action with undici bundled (as before issue 10): ${kib(statSync(file).size)}`);
      programs.push({ name: WITH_UNDICI, args: [file], requests: true });
    }
    if (process.argv.includes('--ncc-variants')) {
      for (const [i, variant] of NCC_VARIANTS.entries()) {
        const file = await bundle(join(ROOT, 'src', 'index.ts'), join(work, `variant-${i}`), variant.options);
        console.log(`variant ${i}: ncc ${JSON.stringify(variant.options)} → ${kib(statSync(file).size)}`);
        programs.push({ name: `action, ${variant.name}`, args: [file], requests: true });
      }
    }

    // Credentials for mode token, made once by the action itself.
    const setup = await runOnce(action, {
      mode: 'provision',
      'base-url': sim.baseUrl,
      email: OWNER.email,
      password: OWNER.password,
      verify: 'false',
    });
    if (setup.exitCode !== 0)
      throw new Error(`the action failed to provision credentials for mode token:\n${setup.stderr}`);
    const credentials = parseOutputFile(readFileSync(outputFile, 'utf8'));
    const modes: { name: string; inputs: Inputs }[] = [
      {
        name: 'provision (login, create, authorize, token)',
        inputs: { mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: OWNER.password },
      },
      {
        name: 'token (client-credentials grant)',
        inputs: {
          mode: 'token',
          'base-url': sim.baseUrl,
          'client-id': credentials['client-id'] ?? '',
          'client-secret': credentials['client-secret'] ?? '',
        },
      },
    ];

    console.log(
      `Node ${spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim()}, simulator at ${sim.baseUrl} (HTTPS, TLS 1.3), ${runs} runs per program and mode (+1 warm-up), round-robin`,
    );
    console.log(
      `Peak RSS from ${useTime ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS in the child'}; load average at start ${load()}`,
    );
    console.log(`dist/index.js ${kib(statSync(DIST).size)}; libs floor bundle ${kib(statSync(floorBundle).size)}`);

    let failed = false;
    const summary: {
      mode: string;
      wall: number;
      pairedWall: number;
      minWall: number;
      rss: number;
      floorRssMiB: number;
      actionRssMiB: number;
    }[] = [];
    for (const mode of modes) {
      const samples = new Map<Program, Sample[]>(programs.map((p) => [p, []]));
      for (let round = 0; round <= runs; round += 1) {
        for (let k = 0; k < programs.length; k += 1) {
          const program = programs[(round + k) % programs.length] as Program;
          const sample = await runOnce(program, mode.inputs);
          if (sample.exitCode !== 0) {
            failed = true;
            console.error(
              `${program.name} exited ${sample.exitCode} in mode ${mode.inputs['mode']}: ${sample.stderr.trim().slice(0, 500)}`,
            );
          }
          if (round > 0) samples.get(program)?.push(sample);
        }
      }
      const width = Math.max(...programs.map((p) => p.name.length));
      console.log(`\nmode ${mode.name}`);
      console.log(
        `  ${'program'.padEnd(width)} ${'wall ms: median'.padStart(15)} ${'min'.padStart(5)} ${'max'.padStart(5)}` +
          ` | ${'to 1st req'.padStart(11)} | ${'exit after last response'.padStart(24)}` +
          ` | ${'peak RSS MiB: median'.padStart(20)} ${'min'.padStart(5)} ${'max'.padStart(5)} | conns/run reqs/run`,
      );
      for (const program of programs) {
        const list = samples.get(program) ?? [];
        const wall = stats(list.map((s) => s.wallMs));
        const rss = stats(list.flatMap((s) => (s.rssKiB === undefined ? [] : [s.rssKiB / 1024])));
        const first = stats(list.flatMap((s) => (s.firstRequestMs === undefined ? [] : [s.firstRequestMs])));
        const tail = stats(list.flatMap((s) => (s.tailMs === undefined ? [] : [s.tailMs])));
        console.log(
          `  ${program.name.padEnd(width)} ${fmt(wall.median).padStart(15)} ${fmt(wall.min).padStart(5)} ${fmt(wall.max).padStart(5)}` +
            ` | ${(program.requests ? fmt(first.median) : '-').padStart(11)} | ${(program.requests ? fmt(tail.median) : '-').padStart(24)}` +
            ` | ${fmt(rss.median, 1).padStart(20)} ${fmt(rss.min, 1).padStart(5)} ${fmt(rss.max, 1).padStart(5)}` +
            ` | ${perRun(list.map((s) => s.connections)).padStart(9)} ${perRun(list.map((s) => s.requests)).padStart(8)}`,
        );
      }
      const median = (program: Program, pick: (s: Sample) => number | undefined): number =>
        stats(
          (samples.get(program) ?? []).flatMap((s) => {
            const value = pick(s);
            return value === undefined ? [] : [value];
          }),
        ).median;
      const ratio = (floor: Program, pick: (s: Sample) => number | undefined, subject = action): number =>
        median(subject, pick) / median(floor, pick);
      // Paired: the median of subject/floor within each round (the two ran back to back), which
      // cancels most of the drift of a shared machine's load between rounds.
      const paired = (floor: Program, subject = action): number => {
        const mine = samples.get(subject) ?? [];
        const theirs = samples.get(floor) ?? [];
        return stats(mine.map((s, i) => s.wallMs / (theirs[i]?.wallMs ?? Number.NaN))).median;
      };
      const fastest = (program: Program): number => stats((samples.get(program) ?? []).map((s) => s.wallMs)).min;
      const overBare = (program: Program): number => median(program, (s) => s.wallMs) - median(bare, (s) => s.wallMs);
      console.log(
        `  action / floor libs (ncc):  wall ${times(ratio(floorLibs, (s) => s.wallMs))} (paired by round ${times(paired(floorLibs))}), ` +
          `peak RSS ${times(ratio(floorLibs, (s) => s.rssKiB))}   (target ≤ 1.10×)`,
      );
      console.log(
        `  action / floor node:https:  wall ${times(ratio(floorHttps, (s) => s.wallMs))} (paired by round ${times(paired(floorHttps))}), ` +
          `peak RSS ${times(ratio(floorHttps, (s) => s.rssKiB))}   (target ≤ ${TARGET_RATIO.toFixed(2)}×)`,
      );
      const mib = (program: Program): number => median(program, (s) => s.rssKiB) / 1024;
      for (const subject of [action, ...programs.filter((p) => p.name === WITH_UNDICI)]) {
        summary.push({
          mode: `\`${mode.inputs['mode'] ?? ''}\`${subject === action ? '' : ` (${subject.name})`}`,
          wall: ratio(floorHttps, (s) => s.wallMs, subject),
          pairedWall: paired(floorHttps, subject),
          minWall: fastest(subject) / fastest(floorHttps),
          rss: ratio(floorHttps, (s) => s.rssKiB, subject),
          floorRssMiB: mib(floorHttps),
          actionRssMiB: mib(subject),
        });
      }
      console.log(
        `  above bare node (median wall): floor node:https +${fmt(overBare(floorHttps))} ms, floor libs (ncc) +${fmt(overBare(floorLibs))} ms, action +${fmt(overBare(action))} ms`,
      );
    }
    const distBytes = statSync(DIST).size;
    const mark = (value: number, target: number): string => (value <= target ? '' : ' (over target)');
    console.log(
      `\nSummary: action / floor node:https, ${runs} runs each (targets: ≤ ${TARGET_RATIO.toFixed(2)}×; dist/index.js ≤ ${TARGET_DIST_BYTES / 1000} KB); ` +
        `load average at end ${load()}\n`,
    );
    console.log(
      '| mode | wall, medians | wall, paired by round | wall, fastest runs | peak RSS, medians | peak RSS: action / floor |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const row of summary) {
      console.log(
        `| ${row.mode} | ${times(row.wall)}${mark(row.wall, TARGET_RATIO)} | ${times(row.pairedWall)} | ${times(row.minWall)} | ${times(row.rss)}${mark(row.rss, TARGET_RATIO)}` +
          ` | ${fmt(row.actionRssMiB, 1)} / ${fmt(row.floorRssMiB, 1)} MiB |`,
      );
    }
    console.log(`\ndist/index.js: ${kib(distBytes)}${mark(distBytes, TARGET_DIST_BYTES)}`);
    console.log(
      '\nA benchmark, not a test: timings vary with the machine and its load; compare the ratios, not the milliseconds.',
    );
    if (failed) process.exitCode = 1;
  } finally {
    await sim.close();
    cert.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

function stats(values: number[]): { median: number; min: number; max: number } {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number };
}

function fmt(value: number, digits = 0): string {
  return Number.isNaN(value) ? '-' : value.toFixed(digits);
}

/** "1" when every run gave the same count, else "min–max". */
function perRun(values: number[]): string {
  const { min, max } = stats(values);
  return min === max ? String(min) : `${min}–${max}`;
}

/** The machine's 1, 5 and 15 minute load averages (the benchmark shares the machine). */
function load(): string {
  return loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
}

function times(ratio: number): string {
  return `${fmt(ratio, 2)}×`;
}

function kib(bytes: number): string {
  return `${bytes} bytes (${(bytes / 1024).toFixed(0)} KiB)`;
}

await main();
