// Building blocks of a provider + consumer network with the CCV link between them: zombienet
// networks, consumer creation and launch on the provider, the consumer chain spec from the
// provider, and the relayer. Used by e2e/ccv-network.mjs (the launch) and the e2e scenarios.

import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { nodeBinary, sendAndWaitInBlock, withTimeout } from './node.mjs';

const run = promisify(execFile);

/** Path of the release relayer binary under the shared cargo target dir (or $FRAME_ICS_RELAYER). */
export function relayerBinary() {
  if (process.env.FRAME_ICS_RELAYER) return process.env.FRAME_ICS_RELAYER;
  return path.join(path.dirname(nodeBinary()), 'frame-ics-relayer');
}

/** Prints a line prefixed with the orchestrator's tag and the seconds since it started. */
const started = Date.now();
export function say(line) {
  console.log(`[ccv ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);
}

/** Seconds since the orchestrator started. */
export function elapsed() {
  return (Date.now() - started) / 1000;
}

/**
 * The sr25519 dev account `//<Name>` and the ed25519 consumer key pair `//<Name>//<keyPath>`
 * (`//<Name>//consumer` by default: what `frame-ics-node --<name>` inserts on a consumer).
 */
export async function devKeys(name, keyPath = 'consumer') {
  await cryptoWaitReady();
  const sr = new Keyring({ type: 'sr25519' });
  const ed = new Keyring({ type: 'ed25519' });
  return { account: sr.addFromUri(`//${name}`), consumerKey: ed.addFromUri(`//${name}//${keyPath}`) };
}

/**
 * Spawns `zombienet spawn --provider native <config>` into `dir`, logging to `<dir>.log`, and
 * resolves once zombie.json exists: { child, exited, nodes: [{ name, wsUri }] }.
 */
export async function spawnNetwork({ label, config, dir, timeoutMs = 300_000 }) {
  const logPath = `${dir}.log`;
  const log = createWriteStream(logPath);
  const child = spawn('zombienet', ['spawn', '--provider', 'native', '--dir', dir, config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const file = path.join(dir, 'zombie.json');
  const up = (async () => {
    while (!existsSync(file)) await sleep(1000);
    // zombie.json is written in one go once every node is up; re-read until it parses.
    for (;;) {
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        await sleep(500);
      }
    }
  })();
  const died = exited.then(({ code, signal }) => {
    throw new Error(`${label}: zombienet exited (code ${code}, signal ${signal}); log ${logPath}`);
  });
  const network = await withTimeout(Promise.race([up, died]), timeoutMs, `${label}: network up`);
  const nodes = network.relay.map((node) => ({ name: node.name, wsUri: node.wsUri }));
  return { label, child, exited, logPath, dir, nodes };
}

/** Stops a zombienet network (SIGINT: zombienet stops its nodes) and waits for it. */
export async function stopNetwork(network, timeoutMs = 30_000) {
  if (!network) return;
  network.child.kill('SIGINT');
  try {
    await withTimeout(network.exited, timeoutMs, `${network.label}: zombienet stop`);
  } catch {
    network.child.kill('SIGKILL');
  }
}

/**
 * Pids of the node processes of `network` named `name`: frame-ics-node processes whose command
 * line names the network's directory and the node (zombienet runs each node with its own base
 * path under the network directory).
 */
export function nodePids(network, name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const isNode = cmdline[0] && path.basename(cmdline[0]) === 'frame-ics-node';
    const ours = cmdline.some((arg) => arg.startsWith(network.dir));
    const named = cmdline.some((arg, i) => (arg === '--name' && cmdline[i + 1] === name) || arg.startsWith(path.join(network.dir, name)));
    if (isNode && ours && named) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Stops node `name` of `network` (SIGKILL: a crashed validator); returns the command lines of
 * the processes killed (for `restartNode`).
 */
export function killNode(network, name) {
  const pids = nodePids(network, name);
  const cmdlines = pids.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a.length));
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return cmdlines;
}

/** A TCP port free on loopback right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts node `name` of a running zombienet `network` as a copy of node `template`'s command
 * line: same chain spec (the template's file) and bootnodes, with `--<template>` replaced by `--<name>` (dev keys), its
 * own base path under `dir`, a new node key and free ports. Returns { child, exited, logPath,
 * wsUri } (stop it with `stopProcess`).
 */
export async function startNodeLike(network, template, name, dir, logPath) {
  const [pid] = nodePids(network, template);
  if (!pid) throw new Error(`no running node ${template} in ${network.dir}`);
  const source = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a.length);
  const templateDir = path.join(network.dir, template);
  const [rpc, p2p, prometheus] = [await freePort(), await freePort(), await freePort()];
  const nodeKey = randomBytes(32).toString('hex');
  const values = { '--name': name, '--rpc-port': rpc, '--port': p2p, '--prometheus-port': prometheus, '--node-key': nodeKey, '--base-path': dir, '-d': dir };
  const cmdline = [];
  for (let i = 0; i < source.length; i += 1) {
    const arg = source[i];
    if (arg in values && i + 1 < source.length) {
      cmdline.push(arg, String(values[arg]));
      i += 1;
    } else if (arg === '--chain' && i + 1 < source.length) {
      cmdline.push(arg, source[i + 1]);
      i += 1;
    } else if (arg === `--${template}`) {
      cmdline.push(`--${name}`);
    } else if (arg === '--listen-addr' && i + 1 < source.length) {
      cmdline.push(arg, source[i + 1].replace(/\/tcp\/\d+/, `/tcp/${p2p}`));
      i += 1;
    } else {
      cmdline.push(arg.startsWith(templateDir) ? dir + arg.slice(templateDir.length) : arg);
    }
  }
  mkdirSync(dir, { recursive: true });
  const proc = restartNode(cmdline, logPath);
  return { ...proc, wsUri: `ws://127.0.0.1:${rpc}` };
}

/**
 * Starts a killed node again with its old command line (same base path, keys and ports),
 * logging to `logPath`; returns { child, exited }. Zombienet does not know about it: stop it
 * with `stopProcess`.
 */
export function restartNode(cmdline, logPath) {
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(cmdline[0], cmdline.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, logPath };
}

/** Stops a process started here (SIGINT, then SIGKILL after `timeoutMs`) and waits for it. */
export async function stopProcess(proc, timeoutMs = 20_000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGINT');
  try {
    await withTimeout(proc.exited, timeoutMs, 'process stop');
  } catch {
    proc.child.kill('SIGKILL');
  }
}

/** An @polkadot/api connection to `wsUri`. */
export function apiOf(wsUri, timeoutMs = 60_000) {
  return withTimeout(
    ApiPromise.create({ provider: new WsProvider(wsUri), noInitWarn: true }),
    timeoutMs,
    `API over ${wsUri}`,
  );
}

/** Polls `read()` on every new best block until `done(value)`; resolves with that value. */
export async function waitFor(api, what, read, done, timeoutMs) {
  let unsubscribe = () => {};
  const reached = new Promise((resolve, reject) => {
    let busy = false;
    const check = async () => {
      if (busy) return;
      busy = true;
      try {
        const value = await read();
        if (done(value)) resolve(value);
      } catch (error) {
        reject(error);
      } finally {
        busy = false;
      }
    };
    check();
    api.rpc.chain.subscribeNewHeads(check).then((unsub) => {
      unsubscribe = unsub;
    }, reject);
  });
  return withTimeout(reached, timeoutMs, what).finally(() => unsubscribe());
}

/** Sends `tx` from `signer`, requiring success; returns the events of its block. */
export async function submit(api, tx, signer, label, timeoutMs = 120_000) {
  const result = await sendAndWaitInBlock(api, tx, signer, timeoutMs, label);
  if (!result.success) {
    const failed = result.events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
    let reason = 'no ExtrinsicSuccess';
    if (failed) {
      const [error] = failed.event.data;
      reason = error.isModule ? JSON.stringify(api.registry.findMetaError(error.asModule)) : error.toString();
    }
    throw new Error(`${label} failed: ${reason}`);
  }
  return result.events;
}

/** Whether `events` carry a `Sudo.Sudid` whose call failed; returns the error text or null. */
function sudoError(api, events) {
  for (const { event } of events) {
    if (api.events.sudo.Sudid.is(event)) {
      const [result] = event.data;
      if (result.isErr) {
        const error = result.asErr;
        return error.isModule ? JSON.stringify(api.registry.findMetaError(error.asModule)) : error.toString();
      }
    }
  }
  return null;
}

/** Perbill of the double-sign slash every consumer created here gets (5%). */
export const DOUBLE_SIGN_SLASH_PERBILL = 50_000_000n;

/**
 * Creates a consumer through sudo (root is the provider's consumer admin): top-N `topN`,
 * spawning `spawnInMs` from the provider's current time, `blocksPerSession` consumer blocks per
 * session, consumer unbonding `unbondingMs`, and a downtime rule short enough for a test (more
 * than `downtimeMaxMissedSlots` of a validator's last `downtimeWindowSlots` Aura slots missed;
 * `downtimeJailMs` of jail, no slash), the consumer's `stake` allowlisted as reward denom and
 * sent to the provider every 10 consumer blocks. Other parameters are ICS defaults. Returns
 * { consumerId, spawnTimeMs }.
 */
export async function createConsumer(api, sudo, {
  chainId,
  spawnInMs,
  topN = 100,
  blocksPerSession = 10,
  unbondingMs = 600_000,
  downtimeWindowSlots = 20,
  downtimeMaxMissedSlots = 10,
  downtimeJailMs = 120_000,
}) {
  const now = (await api.query.timestamp.now()).toNumber();
  const spawnTimeMs = now + spawnInMs;
  const params = {
    consumerId: 0,
    enabled: true,
    blocksPerDistributionTransmission: 10,
    ccvTimeoutPeriodMs: 28 * 24 * 3600 * 1000,
    transferTimeoutPeriodMs: 3600 * 1000,
    consumerRedistributionFraction: 750_000_000,
    historicalEntries: 10_000,
    unbondingPeriodMs: unbondingMs,
    retryDelayPeriodMs: 60_000,
    rewardDenoms: ['stake'],
    providerRewardDenoms: [],
    blocksPerSession,
    downtimeWindowSlots,
    downtimeMaxMissedSlots,
  };
  const powerShaping = {
    topN,
    validatorsPowerCap: 0,
    validatorSetCap: 0,
    allowlist: [],
    denylist: [],
    minStake: 0,
    prioritylist: [],
  };
  const infraction = {
    doubleSign: { slashFraction: DOUBLE_SIGN_SLASH_PERBILL, jailDurationMs: '18446744073709551615', tombstone: true },
    downtime: { slashFraction: 0, jailDurationMs: downtimeJailMs, tombstone: false },
  };
  const call = api.tx.ccvProvider.createConsumer(
    chainId,
    `frame-ics e2e consumer ${chainId}`,
    { spawnTimeMs, params },
    powerShaping,
    infraction,
  );
  const events = await submit(api, api.tx.sudo.sudo(call), sudo, `createConsumer ${chainId}`);
  const failed = sudoError(api, events);
  if (failed) throw new Error(`createConsumer ${chainId}: ${failed}`);
  const created = events.find(({ event }) => api.events.ccvProvider.ConsumerCreated.is(event));
  if (!created) throw new Error(`createConsumer ${chainId}: no ConsumerCreated event`);
  return { consumerId: created.event.data[0].toNumber(), spawnTimeMs };
}

/** Each named validator assigns its `//<Name>//<keyPath>` ed25519 key on consumer `id`. */
export async function assignConsumerKeys(api, consumerId, names, keyPath = 'consumer') {
  await Promise.all(
    names.map(async (name) => {
      const { account, consumerKey } = await devKeys(name, keyPath);
      await submit(
        api,
        api.tx.ccvProvider.assignConsumerKey(consumerId, `0x${Buffer.from(consumerKey.publicKey).toString('hex')}`),
        account,
        `assignConsumerKey ${name}`,
      );
    }),
  );
}

/** A consumer's phase on the provider (`Registered`, ..., `Launched`), or null. */
export async function phaseOf(api, consumerId) {
  const phase = await api.query.ccvProvider.phase(consumerId);
  return phase.isSome ? phase.unwrap().type : null;
}

/** Writes the consumer chain spec (raw) built from the provider's genesis of `consumerId`. */
export async function buildConsumerSpec(providerWs, consumerId, specPath) {
  const { stdout } = await run(
    nodeBinary(),
    ['build-consumer-spec', '--provider-rpc', providerWs, '--consumer-id', String(consumerId), '--raw'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(specPath, stdout);
  return JSON.parse(stdout).id;
}

/**
 * A zombienet config for a consumer network: validators `names` started with `--<name>` (the
 * node inserts their `//<Name>//consumer` keys), chain spec taken as it is from `specPath`.
 */
export function consumerNetworkConfig({ chainId, specPath, names, configPath }) {
  const nodes = names
    .map((name) => `[[relaychain.nodes]]\nname = "${name.toLowerCase()}"\nargs = ["--${name.toLowerCase()}"]\n`)
    .join('\n');
  writeFileSync(
    configPath,
    `# Generated by e2e/lib/ccv.mjs: consumer ${chainId}, spec built from the provider.
[settings]
provider = "native"
timeout = 600

[relaychain]
chain = "${chainId}"
default_command = "frame-ics-node"
chain_spec_command = "cat ${specPath}"
default_keystore_key_types = ["acco_sr"]

${nodes}`,
  );
  return configPath;
}

/** Writes a relayer config for the provider and consumer RPCs; signer `//<signer>` on both. */
export function relayerConfig({ configPath, providerWs, consumerWs, signer, metrics }) {
  writeFileSync(
    configPath,
    `${metrics ? `metrics = "${metrics}"\n` : ''}
[[chain]]
name = "provider"
rpc = "${providerWs}"
signer = "//${signer}"

[[chain]]
name = "consumer"
rpc = "${consumerWs}"
signer = "//${signer}"

[[path]]
a = "provider"
b = "consumer"
`,
  );
  return configPath;
}

/** Runs `frame-ics-relayer -c <config> <args...>` to completion; returns its stdout words. */
export async function relayerOnce(configPath, args, logPath) {
  try {
    const { stdout, stderr } = await run(relayerBinary(), ['-c', configPath, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    if (logPath) writeFileSync(logPath, stderr, { flag: 'a' });
    return stdout.trim().split(/\s+/);
  } catch (error) {
    if (logPath) writeFileSync(logPath, `${error.stderr ?? ''}`, { flag: 'a' });
    throw new Error(`frame-ics-relayer ${args.join(' ')} failed: ${error.stderr?.trim().split('\n').slice(-5).join('\n') ?? error}`);
  }
}

/** Starts `frame-ics-relayer -c <config> start`, logging to `logPath`. */
export function startRelayer(configPath, logPath) {
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(relayerBinary(), ['-c', configPath, 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, logPath };
}

/** Stops a relayer (SIGINT) and waits for it. */
export function stopRelayer(relayer, timeoutMs = 20_000) {
  return stopProcess(relayer, timeoutMs);
}

/** ICS-04 channel states, as pallet-ibc stores them (protobuf `State`). */
const CHANNEL_STATES = ['UNINITIALIZED', 'INIT', 'TRYOPEN', 'OPEN', 'CLOSED'];

/**
 * The state of channel (`port`, `channel`) on the chain behind `api` (`OPEN`, `CLOSED`, ...), or
 * null if it does not exist: the channel end read through `IbcRuntimeApi_ibc_state`.
 */
export async function channelState(api, port, channel) {
  const path = api.createType('Bytes', `channelEnds/ports/${port}/channels/${channel}`);
  // The argument is SCALE-encoded: toU8a() carries the length prefix (toHex() would not).
  const raw = await api.rpc.state.call('IbcRuntimeApi_ibc_state', `0x${Buffer.from(path.toU8a()).toString('hex')}`);
  // Decode the result's bytes (a Bytes codec passed as it is would be taken as the inner value).
  const value = api.createType('Option<Bytes>', raw.toU8a(true));
  if (value.isNone) return null;
  const bytes = value.unwrap().toU8a(true);
  // Field 1 (`state`, varint) is first in a channel end; absent means 0 (UNINITIALIZED).
  const state = bytes[0] === 0x08 ? bytes[1] : 0;
  return CHANNEL_STATES[state] ?? `state ${state}`;
}

/**
 * `holder`'s balance of the ICS-20 voucher for base denom `baseDenom` received over any
 * transfer channel (`transfer/<channel>/<baseDenom>`) on the chain behind `api`; 0n if none.
 */
export async function voucherBalance(api, baseDenom, holder) {
  let total = 0n;
  for (const [key, assetId] of await api.query.ibc.voucherAssets.entries()) {
    const trace = key.args[0].toUtf8();
    if (!/^transfer\/channel-\d+\//.test(trace) || !trace.endsWith(`/${baseDenom}`)) continue;
    const account = await api.query.assets.account(assetId.unwrap(), holder);
    if (account.isSome) total += account.unwrap().balance.toBigInt();
  }
  return total;
}

/**
 * Sends `count` ICS-20 transfers (`Ibc.transfer`, one hour timeout) from `signer` with
 * consecutive nonces, back to back, and resolves once all are in blocks and succeeded.
 */
export async function sendTransfers(api, signer, { channel, denom, amount, receiver, count }, timeoutMs = 180_000) {
  const first = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  const timeoutMsAt = (await api.query.timestamp.now()).toNumber() + 3600_000;
  const sends = [];
  for (let i = 0; i < count; i += 1) {
    const tx = api.tx.ibc.transfer(channel, denom, amount, receiver, null, timeoutMsAt, '');
    sends.push(sendAndWaitInBlock(api, tx, signer, timeoutMs, `transfer ${i}`, { nonce: first + i }));
  }
  const results = await Promise.all(sends);
  const failed = results.findIndex((r) => !r.success);
  if (failed >= 0) throw new Error(`transfer ${failed} of ${count} failed in its block`);
}

/** How many packets sent on (`port`, `channel`) are neither acknowledged nor timed out yet. */
export async function pendingPacketCount(api, port, channel) {
  const args = api.createType('(Bytes, Bytes, u64, u32)', [port, channel, 1, 1000]);
  const raw = await api.rpc.state.call('IbcRuntimeApi_pending_packets', `0x${Buffer.from(args.toU8a()).toString('hex')}`);
  // A SCALE vector starts with its compact length.
  return api.createType('Compact<u32>', raw.toU8a(true)).toNumber();
}

/** A polkadot.js apps link for an endpoint. */
export function appsLink(wsUri) {
  return `https://polkadot.js.org/apps/?rpc=${encodeURIComponent(wsUri)}#/explorer`;
}

/** Creates `dir` (and parents). */
export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Resolves after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
