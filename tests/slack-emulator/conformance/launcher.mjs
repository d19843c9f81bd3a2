// Starts the emulator with compressed timings, then runs client.mjs in a fresh Node process that trusts the
// emulator's CA through NODE_EXTRA_CA_CERTS (it must be set before Node starts; nobody disables verification).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const exe = process.argv[2];
const here = dirname(fileURLToPath(import.meta.url));
const caFile = join(mkdtempSync(join(tmpdir(), 'slack-conformance-')), 'ca.pem');

const emulator = spawn(exe, [
  '--ca-file-out', caFile,
  '--ack-timeout-ms', '1500',          // Slack: 3000
  '--retry-delays-ms', '300,1000,1000', // Slack: ~1 s, 1 min, 5 min
  '--ping-interval-ms', '2000',        // Node's server-ping watchdog needs < 30 s
  '--close-delay-ms', '500',
], { stdio: ['ignore', 'pipe', 'inherit'] });

const facts = {};
const ready = new Promise((resolve, reject) => {
  const rl = createInterface({ input: emulator.stdout });
  rl.on('line', (line) => {
    const eq = line.indexOf('=');
    if (eq > 0) facts[line.slice(0, eq)] = line.slice(eq + 1);
    if (line === 'ready') resolve();
  });
  emulator.on('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
  setTimeout(() => reject(new Error('emulator did not print "ready" within 20 s')), 20000);
});

let code = 1;
try {
  await ready;
  console.log(`emulator ready on port ${facts.port}`);
  const client = spawn(process.execPath, [join(here, 'client.mjs')], {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: facts.ca_file,
      EMU_API: facts.api_base_url,
      EMU_CONTROL: facts.control_url,
      EMU_BOT_TOKEN: facts.bot_token,
      EMU_APP_TOKEN: facts.app_token,
    },
  });
  code = await new Promise((resolve) => client.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
} catch (e) {
  console.error(`conformance launcher: ${e.message}`);
} finally {
  emulator.kill('SIGTERM');
}
process.exit(code);
