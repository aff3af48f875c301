/**
 * A `--import` preload that resolves one host name to 127.0.0.1 in the
 * action's process, as /etc/hosts would on a runner: for runs against a
 * platform named like a real one (`invicti.test`), which the HTTP client does
 * not treat as loopback (so proxy settings apply to it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The preload file and how to remove it. */
export interface HostsPreload {
  /** For `NODE_OPTIONS`: `--import=<file>`. */
  nodeOptions: string;
  cleanup(): void;
}

/** Writes a preload mapping `host` to 127.0.0.1 (`dns.lookup`) into a temporary folder. */
export function writeHostsPreload(host: string): HostsPreload {
  const dir = mkdtempSync(join(tmpdir(), 'hosts-'));
  const file = join(dir, 'hosts.mjs');
  writeFileSync(
    file,
    "import dns from 'node:dns';\nconst lookup = dns.lookup;\n" +
      `dns.lookup = function (host, ...rest) { return lookup.call(this, host === ${JSON.stringify(host)} ? '127.0.0.1' : host, ...rest); };\n`,
  );
  return { nodeOptions: `--import=${file}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
