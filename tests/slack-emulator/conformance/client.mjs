// Slack's official Node client (@slack/socket-mode + @slack/web-api, pinned in package-lock.json) against the
// emulator. Each step states the Slack behaviour it checks; the first failure ends the run with exit code 1.
import assert from 'node:assert/strict';
import { SocketModeClient, LogLevel } from '@slack/socket-mode';
import { WebClient } from '@slack/web-api';

const api = process.env.EMU_API;
const control = process.env.EMU_CONTROL;
const botToken = process.env.EMU_BOT_TOKEN;
const appToken = process.env.EMU_APP_TOKEN;
const BOT = 'U0BOT0001';

async function ctl(op, args = {}) {
  // Node's fetch trusts NODE_EXTRA_CA_CERTS like the SDKs do.
  const res = await fetch(control + op, { method: 'POST', body: JSON.stringify(args),
                                          headers: { 'content-type': 'application/json' } });
  const body = await res.json();
  if (!body.ok) throw new Error(`control ${op} failed: ${JSON.stringify(body)}`);
  return body;
}

function waitFor(emitter, name, predicate = () => true, ms = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { emitter.off(name, on); reject(new Error(`timeout waiting for '${name}'`)); }, ms);
    function on(arg) {
      if (!predicate(arg)) return;
      clearTimeout(timer);
      emitter.off(name, on);
      resolve(arg);
    }
    emitter.on(name, on);
  });
}

async function until(what, fn, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const steps = [];
const step = (name, fn) => steps.push({ name, fn });

const socket = new SocketModeClient({
  appToken,
  clientOptions: { slackApiUrl: api },
  logLevel: process.env.SLACK_CONFORMANCE_DEBUG ? LogLevel.DEBUG : LogLevel.INFO,
});
const web = new WebClient(botToken, { slackApiUrl: api, retryConfig: { retries: 2, factor: 1, minTimeout: 100 } });
let user, channel;

step('apps.connections.open + WSS upgrade + hello: start() resolves on hello', async () => {
  ({ user } = await ctl('create_user', { name: 'rainer' }));
  ({ channel } = await ctl('create_channel', { name: 'general', members: [user] }));
  const connected = waitFor(socket, 'connected');
  await socket.start();
  await connected;
  const c = await ctl('connections');
  assert.equal(c.open, 1);
});

step('app_mention and message events (distinct event_ids) are delivered and acked', async () => {
  const mention = waitFor(socket, 'app_mention');
  const message = waitFor(socket, 'message', (e) => e.event.user === user);
  await ctl('post_message', { user, channel, text: `<@${BOT}> how do I configure X?` });
  const [m1, m2] = await Promise.all([mention, message]);
  assert.equal(m1.retry_num, 0);
  assert.equal(m1.body.type, 'event_callback');
  assert.equal(m1.event.channel, channel);
  assert.ok(m2.event.client_msg_id, 'human messages carry client_msg_id');
  assert.notEqual(m1.body.event_id, m2.body.event_id);
  await m1.ack();
  await m2.ack();
  await until('both acks recorded', async () => (await ctl('counters')).envelopes_acked >= 2);
  const { envelopes } = await ctl('envelopes');
  for (const e of envelopes) assert.equal(e.ack_payload && typeof e.ack_payload, 'object', 'Node acks with payload {}');
});

step('slash command answered through the ack payload becomes an ephemeral message', async () => {
  const got = waitFor(socket, 'slash_commands');
  await ctl('slash_command', { user, channel, command: '/docs', text: 'search build flags' });
  const { body, ack } = await got;
  assert.equal(body.command, '/docs');
  assert.equal(body.text, 'search build flags');
  assert.match(body.response_url, /\/hooks\/commands\//);
  await ack({ response_type: 'ephemeral', text: 'Searching…' });
  await until('ephemeral visible to the user', async () =>
    (await ctl('ephemerals', { channel, user })).messages.some((m) => m.text === 'Searching…'));
});

step('a withheld ack gets a redelivery with retry_attempt 1 and retry_reason "timeout"', async () => {
  const deliveries = [];
  const second = new Promise((resolve) => {
    socket.on('message', async function on(e) {
      if (e.event.text !== 'redeliver me') return;
      deliveries.push(e);
      if (deliveries.length === 1) return;  // withhold the first ack on purpose
      socket.off('message', on);
      await e.ack();
      resolve();
    });
  });
  await ctl('post_message', { user, channel, text: 'redeliver me' });
  await Promise.race([second, new Promise((_, rej) => setTimeout(() => rej(new Error('no redelivery')), 10000))]);
  assert.equal(deliveries[0].retry_num, 0);
  assert.equal(deliveries[1].retry_num, 1);
  assert.equal(deliveries[1].retry_reason, 'timeout');
  assert.equal(deliveries[1].body.event_id, deliveries[0].body.event_id, 'same event_id across retries');
});

step('chat.postMessage stores the message and echoes it as a message event with bot_id', async () => {
  const echo = waitFor(socket, 'message', (e) => e.event.bot_id === 'B0BOT0001' && e.event.text === 'Found 3 pages');
  const res = await web.chat.postMessage({ channel, text: 'Found 3 pages',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Found *3* pages' } }] });
  assert.equal(res.ok, true);
  assert.match(res.ts, /^\d+\.\d{6}$/);
  assert.ok(res.message.blocks[0].block_id, 'Slack assigns a block_id');
  const e = await echo;
  assert.equal(e.event.subtype, undefined, 'own posts come back without subtype');
  assert.equal(e.event.user, BOT);
  await e.ack();
  const { messages } = await ctl('history', { channel });
  assert.ok(messages.some((m) => m.ts === res.ts));
  const invalid = await web.chat.postMessage({ channel, text: 'x',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }] }).catch((err) => err);
  assert.equal(invalid.data?.error, 'invalid_blocks');
});

step('HTTP 429 with Retry-After: the WebClient waits and retries', async () => {
  await ctl('inject_failure', { method: 'chat.postMessage', status: 429, count: 1, retry_after: 1 });
  let rateLimitedEvent = false;
  web.once('rate_limited', () => { rateLimitedEvent = true; });
  const before = (await ctl('counters')).api_calls_by_method['chat.postMessage'] ?? 0;
  const t0 = Date.now();
  const res = await web.chat.postMessage({ channel, text: 'after a 429' });
  const elapsed = Date.now() - t0;
  assert.equal(res.ok, true);
  assert.ok(rateLimitedEvent, 'WebClient emitted rate_limited');
  assert.ok(elapsed >= 900, `retried after Retry-After (took ${elapsed} ms)`);
  const c = await ctl('counters');
  assert.equal(c.api_calls_by_method['chat.postMessage'] - before, 2);
  assert.ok(c.rate_limited >= 1);
});

step('refresh_requested: the client closes, calls apps.connections.open again and reconnects', async () => {
  const opensBefore = (await ctl('counters')).api_calls_by_method['apps.connections.open'];
  const reconnected = waitFor(socket, 'connected', () => true, 20000);
  await ctl('force_disconnect', { reason: 'refresh_requested' });
  await reconnected;
  const c = await ctl('counters');
  assert.equal(c.api_calls_by_method['apps.connections.open'], opensBefore + 1);
  assert.equal(c.connections_opened, 2);
  await until('one open connection', async () => (await ctl('connections')).open === 1);
  // Envelopes flow over the new socket.
  const ev = waitFor(socket, 'message', (e) => e.event.text === 'after refresh');
  await ctl('post_message', { user, channel, text: 'after refresh' });
  await (await ev).ack();
});

step('ping/pong: the client pinged and the server answered (no stale-connection reconnect)', async () => {
  const c = await ctl('counters');
  assert.ok(c.pings_received > 0, 'Node pings the server');
  assert.equal(c.connections_opened, 2, 'no watchdog-triggered reconnect');
});

let failed = false;
for (const { name, fn } of steps) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   - ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed = true;
    console.log(`FAIL - ${name}\n       ${e.stack}`);
    break;
  }
}
await socket.disconnect().catch(() => {});
console.log(failed ? 'slack conformance: FAILED' : `slack conformance: all ${steps.length} steps passed`);
process.exit(failed ? 1 : 0);
