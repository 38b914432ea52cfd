// Helpers to run frame-ics-node processes and talk to them with @polkadot/api.
// Shared by the smoke test and, later, the end-to-end tests.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';

/** Path of the release node binary under the shared cargo target dir (or $FRAME_ICS_NODE). */
export function nodeBinary() {
  if (process.env.FRAME_ICS_NODE) return process.env.FRAME_ICS_NODE;
  const target =
    process.env.CARGO_TARGET_DIR || path.join(process.env.HOME, '.cache/frame-ics/target');
  return path.join(target, 'release', 'frame-ics-node');
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Rejects with `what` if `promise` has not settled within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000}s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts `frame-ics-node --chain <chain> --<validator> --tmp` on free loopback ports, logging to
 * `<logDir>/<label>.log`. Returns { label, child, rpcUrl, logPath, exited }.
 */
export async function startNode({ label, chain, validator = 'alice', logDir, extraArgs = [] }) {
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, `${label}.log`);
  const log = createWriteStream(logPath);
  const args = [
    '--chain', chain,
    `--${validator}`,
    '--tmp',
    // A validator's network key is never generated implicitly outside `--dev`.
    '--node-key', randomBytes(32).toString('hex'),
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--no-prometheus',
    '--no-telemetry',
    '--no-mdns',
    ...extraArgs,
  ];
  const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
  });
  return { label, child, rpcUrl: `ws://127.0.0.1:${rpcPort}`, logPath, exited };
}

/** Resolves once something accepts TCP connections on `port` of 127.0.0.1. */
async function portOpen(port) {
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Connects @polkadot/api to a node once its RPC port is open. Fails at once, naming the exit
 * status, if the node process ends first.
 */
export async function connect(node, timeoutMs = 60_000) {
  const died = node.exited.then(({ code, signal, error }) => {
    throw new Error(
      `${node.label}: node exited before its RPC opened (code ${code}, signal ${signal}${error ? `, ${error.message}` : ''})`,
    );
  });
  const port = Number(new URL(node.rpcUrl).port);
  await withTimeout(Promise.race([portOpen(port), died]), timeoutMs, `${node.label}: RPC at ${node.rpcUrl}`);
  const provider = new WsProvider(node.rpcUrl);
  return withTimeout(ApiPromise.create({ provider, noInitWarn: true }), timeoutMs,
    `${node.label}: API over ${node.rpcUrl}`);
}

/** Resolves with the first finalized block number >= `target`. */
export function waitFinalized(api, target, timeoutMs, label) {
  let unsubscribe = () => {};
  const reached = new Promise((resolve, reject) => {
    api.rpc.chain
      .subscribeFinalizedHeads((header) => {
        const number = header.number.toNumber();
        if (number >= target) resolve(number);
      })
      .then((unsub) => {
        unsubscribe = unsub;
      }, reject);
  });
  return withTimeout(reached, timeoutMs, `${label}: finalized block >= ${target}`).finally(() =>
    unsubscribe(),
  );
}

/**
 * Sends `tx` signed by `signer` and resolves once it is in a block:
 * { blockHash, success, events } where `success` is whether System.ExtrinsicSuccess was emitted.
 * `options` are polkadot.js signer options (e.g. `{ nonce }` for transactions sent back to back).
 */
export function sendAndWaitInBlock(api, tx, signer, timeoutMs, label, options = {}) {
  let unsubscribe = () => {};
  const included = new Promise((resolve, reject) => {
    tx.signAndSend(signer, options, (result) => {
      if (result.dispatchError) {
        resolve({ blockHash: result.status.asInBlock?.toHex(), success: false, events: result.events });
      } else if (result.status.isInBlock) {
        const success = result.events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event));
        resolve({ blockHash: result.status.asInBlock.toHex(), success, events: result.events });
      } else if (result.isError) {
        reject(new Error(`${label}: transaction ${result.status.type}`));
      }
    }).then((unsub) => {
      unsubscribe = unsub;
    }, reject);
  });
  return withTimeout(included, timeoutMs, `${label}: transaction included`).finally(() =>
    unsubscribe(),
  );
}

/** Stops a node with SIGINT (a clean shutdown) and returns its exit status. */
export async function stopNode(node, timeoutMs = 30_000) {
  node.child.kill('SIGINT');
  try {
    return await withTimeout(node.exited, timeoutMs, `${node.label}: clean shutdown`);
  } catch (error) {
    node.child.kill('SIGKILL');
    throw error;
  }
}

/** The last `lines` lines of a node's log, for failure reports. */
export function logTail(node, lines = 40) {
  try {
    return readFileSync(node.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
