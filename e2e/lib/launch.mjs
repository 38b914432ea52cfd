// The launch of a provider + consumer network with the CCV link open (see e2e/ccv-network.mjs
// for the steps). Shared by the launch command and the e2e scenarios.

import path from 'node:path';
import {
  apiOf,
  assignConsumerKeys,
  buildConsumerSpec,
  consumerNetworkConfig,
  createConsumer,
  devKeys,
  elapsed,
  phaseOf,
  relayerConfig,
  relayerOnce,
  say,
  spawnNetwork,
  startRelayer,
  stopNetwork,
  stopRelayer,
  submit,
  waitFor,
} from './ccv.mjs';
import { waitFinalized } from './node.mjs';

/** The provider's validators; each validates the consumer with key `//<Name>//consumer`. */
export const VALIDATORS = ['Alice', 'Bob', 'Charlie'];
/** The consumer's chain id. */
export const CONSUMER_CHAIN_ID = 'consumer-1';
/** Consumer blocks per session (a VSC applies at the next session boundary). */
export const BLOCKS_PER_SESSION = 10;
/** How far ahead of the provider's time the consumer spawns (room for the key assignments). */
const SPAWN_IN_MS = 40_000;
/** Alice's extra bond (10% of her stake): the stake change that makes the first VSC. */
export const BOND_EXTRA = 10_000n * 10n ** 12n;
/** Relayer metrics address. */
export const RELAYER_METRICS = '127.0.0.1:9615';
const MINUTE = 60_000;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/**
 * A running network: `provider` and `consumer` (zombienet networks with `nodes`), APIs `p` and
 * `c` on their first nodes, the `relayer` process, `consumerId`, the connection and channel
 * ids, and `stop()` to shut everything down.
 */
export class CcvNetwork {
  constructor(runDir) {
    this.runDir = runDir;
    this.networks = [];
    this.apis = [];
    this.relayer = null;
    this.figures = {};
  }

  /** Stops the relayer, the APIs and both networks (each step best effort). */
  async stop() {
    await stopRelayer(this.relayer);
    this.relayer = null;
    for (const api of this.apis) await api.disconnect().catch(() => {});
    this.apis = [];
    for (const network of this.networks.reverse()) await stopNetwork(network);
    this.networks = [];
  }

  /** Restarts `frame-ics-relayer start` (after a stop or a kill). */
  restartRelayer() {
    this.relayer = startRelayer(this.relayerToml, this.relayerLog);
    return this.relayer;
  }
}

/**
 * Launches the provider, the consumer and the relayer into `runDir` and waits until the
 * consumer has applied its first VSC. `net` is filled as it goes, so a failure can still stop
 * what was started.
 */
export async function launchCcvNetwork(net) {
  const { runDir } = net;
  const provider = await spawnNetwork({
    label: 'provider',
    config: path.join(ROOT, 'zombienet/provider.toml'),
    dir: path.join(runDir, 'provider'),
  });
  net.networks.push(provider);
  net.provider = provider;
  const providerWs = provider.nodes[0].wsUri;
  const p = await apiOf(providerWs);
  net.apis.push(p);
  net.p = p;
  await waitFinalized(p, 1, 3 * MINUTE, 'provider');
  say(`provider up at ${providerWs}, finalizing`);

  const { account: alice } = await devKeys('Alice');
  const { consumerId, spawnTimeMs } = await createConsumer(p, alice, {
    chainId: CONSUMER_CHAIN_ID,
    spawnInMs: SPAWN_IN_MS,
    blocksPerSession: BLOCKS_PER_SESSION,
  });
  net.consumerId = consumerId;
  say(`consumer ${consumerId} (${CONSUMER_CHAIN_ID}) created; spawn time ${new Date(spawnTimeMs).toISOString()}`);
  await assignConsumerKeys(p, consumerId, VALIDATORS);
  say(`consumer keys assigned: ${VALIDATORS.map((n) => `//${n}//consumer`).join(', ')}`);

  await waitFor(p, `consumer ${consumerId} launched`, () => phaseOf(p, consumerId), (ph) => ph === 'Launched', 3 * MINUTE);
  const launchedAt = elapsed();
  // build-consumer-spec reads the provider's finalized state.
  const launchBlock = (await p.rpc.chain.getHeader()).number.toNumber();
  await waitFinalized(p, launchBlock, 2 * MINUTE, 'provider');
  const consumerClient = (await p.query.ccvProvider.consumerClient(consumerId)).unwrap().toUtf8();
  say(`consumer ${consumerId} launched; the provider's client of it: ${consumerClient}`);

  // A stake change, so that the next era has a VSC to send (an unchanged set sends none).
  await submit(p, p.tx.staking.bondExtra(BOND_EXTRA), alice, 'staking.bondExtra');
  say('Alice bonded 10% more: her consumer power changes at the next era');

  const specPath = path.join(runDir, `${CONSUMER_CHAIN_ID}.json`);
  const specId = await buildConsumerSpec(providerWs, consumerId, specPath);
  say(`consumer chain spec ${specId} built from the provider: ${specPath}`);
  const consumerConfig = consumerNetworkConfig({
    chainId: CONSUMER_CHAIN_ID,
    specPath,
    names: VALIDATORS,
    configPath: path.join(runDir, `${CONSUMER_CHAIN_ID}.toml`),
  });
  const consumer = await spawnNetwork({ label: 'consumer', config: consumerConfig, dir: path.join(runDir, 'consumer') });
  net.networks.push(consumer);
  net.consumer = consumer;
  const consumerWs = consumer.nodes[0].wsUri;
  const c = await apiOf(consumerWs);
  net.apis.push(c);
  net.c = c;
  await waitFinalized(c, 1, 3 * MINUTE, 'consumer');
  say(`consumer up at ${consumerWs}, finalizing`);

  const providerClient = (await c.query.ccvConsumer.providerClientId()).unwrap().toUtf8();
  net.relayerToml = relayerConfig({
    configPath: path.join(runDir, 'relayer.toml'),
    providerWs,
    consumerWs,
    signer: 'Ferdie',
    metrics: RELAYER_METRICS,
  });
  net.relayerLog = path.join(runDir, 'relayer.log');
  const [connOnConsumer, connOnProvider] = await relayerOnce(
    net.relayerToml,
    ['create', 'connection', '--a', 'consumer', '--b', 'provider', '--a-client', providerClient, '--b-client', consumerClient],
    net.relayerLog,
  );
  say(`connection open: ${connOnConsumer} on the consumer, ${connOnProvider} on the provider`);
  const [chanOnConsumer, chanOnProvider] = await relayerOnce(
    net.relayerToml,
    ['create', 'channel', '--a', 'consumer', '--b', 'provider', '--a-connection', connOnConsumer,
      '--a-port', 'consumer', '--b-port', 'provider', '--order', 'ordered', '--version', '1'],
    net.relayerLog,
  );
  net.ccvChannel = { consumer: chanOnConsumer, provider: chanOnProvider };
  say(`CCV channel open: ${chanOnConsumer} on the consumer, ${chanOnProvider} on the provider`);
  net.restartRelayer();
  say(`relayer running (log ${net.relayerLog}, metrics http://${RELAYER_METRICS}/metrics)`);

  const established = await waitFor(p, 'CCV channel established on the provider', () => p.query.ccvProvider.consumerChannel(consumerId), (ch) => ch.isSome, 5 * MINUTE);
  say(`provider: CCV channel of consumer ${consumerId} is ${established.unwrap().toUtf8()}`);
  const transfer = await waitFor(c, 'consumer transfer channel started', () => c.query.ccvConsumer.transferChannel(), (t) => t.isSome, 5 * MINUTE);
  net.transferChannel = transfer.unwrap().toUtf8();
  say(`consumer: ICS-20 transfer channel ${net.transferChannel} started (the relayer completes its handshake)`);
  const applied = await waitFor(c, 'first VSC applied on the consumer', () => c.query.ccvConsumer.appliedVscId(), (id) => id.toNumber() >= 1, 10 * MINUTE);
  net.figures.launchToFirstVscSecs = elapsed() - launchedAt;
  say(`first VSC applied on the consumer: vsc_id ${applied.toNumber()}, ${net.figures.launchToFirstVscSecs.toFixed(0)} s after launch`);
  return net;
}

/**
 * Checks that the consumer's GRANDPA authorities (key -> weight) are the provider's sent set for
 * the consumer (consumer key -> power); returns them as text.
 */
export async function consumerSetMatchesProvider(net) {
  const { p, c, consumerId } = net;
  const grandpa = await grandpaWeights(c);
  const sent = new Map((await p.query.ccvProvider.sentValidators(consumerId)).map((v) => [v.key.toHex(), v.power.toBigInt()]));
  if (grandpa.size !== sent.size || [...sent].some(([k, w]) => grandpa.get(k) !== w)) {
    throw new Error(`consumer GRANDPA set {${describeSet(grandpa)}} differs from the provider's {${describeSet(sent)}}`);
  }
  return grandpa;
}

/** The consumer's GRANDPA authorities: key (hex) -> weight. */
export async function grandpaWeights(c) {
  return new Map((await c.query.grandpa.authorities()).map(([key, weight]) => [key.toHex(), weight.toBigInt()]));
}

/** `0x1234abcd…=weight, ...` */
export function describeSet(set) {
  return [...set].map(([k, w]) => `${k.slice(0, 10)}…=${w}`).join(', ');
}

/** The hex public key of `//<name>//consumer`. */
export async function consumerKeyHex(name) {
  const { consumerKey } = await devKeys(name);
  return `0x${Buffer.from(consumerKey.publicKey).toString('hex')}`;
}

export { stopNetwork, stopRelayer };
