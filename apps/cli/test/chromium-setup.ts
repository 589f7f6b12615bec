/**
 * vitest globalSetup: make sure Debian's `chromium` is installed for the browser test
 * (test/browser.test.ts). No tool downloads a browser: `playwright-core` ships none, so when
 * /usr/bin/chromium is missing and we run as root, install the distribution package with apt-get
 * (as CI does on a fresh machine). Failures do not abort the other tests: the reason is handed to
 * the browser test, which then fails with it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  const fail = (why: string) => {
    process.env.NAPLAB_CHROMIUM_ERROR = `${CHROMIUM} is missing and could not be installed: ${why}`;
  };
  if (process.getuid?.() !== 0) {
    fail("not running as root; install it with 'apt-get install -y chromium'");
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    process.stderr.write('browser test: installing chromium (apt-get)...\n');
    execFileSync('apt-get', ['update'], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 900_000,
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    fail(`${err.message.split('\n')[0]}${err.stderr ? `: ${err.stderr.toString().trim().slice(-400)}` : ''}`);
    return;
  }
  if (!existsSync(CHROMIUM)) fail('apt-get finished but the binary is not there');
}
