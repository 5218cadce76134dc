import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Global setup of the integration project: scripts/bootstrap-test-env.sh installs what the
 * integration tests need (as root on Debian/Ubuntu) or prints the one command to run, and
 * the run stops there instead of tests failing one by one or skipping.
 */
export default function setup(): void {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bootstrap-test-env.sh');
  const r = spawnSync('bash', [script], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`the integration tests cannot run on this machine yet:\n${r.stderr.trim() || `bootstrap-test-env.sh exited with ${r.status}`}`);
  }
}
