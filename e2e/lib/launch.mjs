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
  killNode,
  phaseOf,
  relayerConfig,
  relayerOnce,
  restartNode,
  say,
  sleep,
  spawnNetwork,
  startRelayer,
  stopNetwork,
  stopProcess,
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
    this.relayers = [];
    this.restarted = [];
    this.figures = {};
  }

  /** Stops the relayer, the APIs and both networks (each step best effort). */
  async stop() {
    await stopRelayer(this.relayer);
    this.relayer = null;
    for (const relayer of this.relayers) await stopRelayer(relayer);
    this.relayers = [];
    for (const proc of this.restarted) await stopProcess(proc);
    this.restarted = [];
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
  net.providerWs = provider.nodes[0].wsUri;
  const p = await apiOf(net.providerWs);
  net.apis.push(p);
  net.p = p;
  await waitFinalized(p, 1, 3 * MINUTE, 'provider');
  say(`provider up at ${net.providerWs}, finalizing`);

  const { account: alice } = await devKeys('Alice');
  const link = await launchConsumer(net, {
    chainId: CONSUMER_CHAIN_ID,
    validators: VALIDATORS,
    relayerSigner: 'Ferdie',
    metrics: RELAYER_METRICS,
    // A stake change, so that the next era has a VSC to send (an unchanged set sends none).
    afterLaunch: async () => {
      await submit(p, p.tx.staking.bondExtra(BOND_EXTRA), alice, 'staking.bondExtra');
      say('Alice bonded 10% more: her consumer power changes at the next era');
    },
  });
  // The first consumer's parts, by the names the scenarios use.
  Object.assign(net, {
    consumerId: link.consumerId,
    consumer: link.network,
    c: link.api,
    ccvChannel: link.ccvChannel,
    transferChannel: link.transferChannel,
    relayer: link.relayer,
    relayerToml: link.relayerToml,
    relayerLog: link.relayerLog,
  });
  net.relayers.splice(net.relayers.indexOf(link.relayer), 1);
  const applied = await waitFor(link.api, 'first VSC applied on the consumer', () => link.api.query.ccvConsumer.appliedVscId(), (id) => id.toNumber() >= 1, 10 * MINUTE);
  net.figures.launchToFirstVscSecs = elapsed() - link.launchedAt;
  say(`first VSC applied on the consumer: vsc_id ${applied.toNumber()}, ${net.figures.launchToFirstVscSecs.toFixed(0)} s after launch`);
  return net;
}

/**
 * Creates consumer `chainId` on the running provider (sudo), has `validators` assign their
 * `//<Name>//consumer` keys, waits for its launch, runs `afterLaunch`, builds its chain spec from
 * the provider, spawns its zombienet network (one node per validator), opens the connection,
 * the CCV channel and (by the consumer) the transfer channel with a relayer signing as
 * `//<relayerSigner>`, and leaves that relayer running. Returns
 * { chainId, consumerId, network, api, ccvChannel, transferChannel, relayer, relayerToml,
 * relayerLog, launchedAt }.
 */
export async function launchConsumer(net, { chainId, validators, relayerSigner, metrics, afterLaunch, keyPath = 'consumer' }) {
  const { runDir, p, providerWs } = net;
  const { account: alice } = await devKeys('Alice');
  const { consumerId, spawnTimeMs } = await createConsumer(p, alice, {
    chainId,
    spawnInMs: SPAWN_IN_MS,
    blocksPerSession: BLOCKS_PER_SESSION,
  });
  say(`consumer ${consumerId} (${chainId}) created; spawn time ${new Date(spawnTimeMs).toISOString()}`);
  await assignConsumerKeys(p, consumerId, validators, keyPath);
  say(`${chainId} keys assigned: ${validators.map((n) => `//${n}//${keyPath}`).join(', ')}`);

  await waitFor(p, `consumer ${consumerId} launched`, () => phaseOf(p, consumerId), (ph) => ph === 'Launched', 3 * MINUTE);
  const launchedAt = elapsed();
  // build-consumer-spec reads the provider's finalized state.
  const launchBlock = (await p.rpc.chain.getHeader()).number.toNumber();
  await waitFinalized(p, launchBlock, 2 * MINUTE, 'provider');
  const consumerClient = (await p.query.ccvProvider.consumerClient(consumerId)).unwrap().toUtf8();
  say(`consumer ${consumerId} launched; the provider's client of it: ${consumerClient}`);
  if (afterLaunch) await afterLaunch();

  const specPath = path.join(runDir, `${chainId}.json`);
  const specId = await buildConsumerSpec(providerWs, consumerId, specPath);
  say(`consumer chain spec ${specId} built from the provider: ${specPath}`);
  const config = consumerNetworkConfig({
    chainId,
    specPath,
    names: validators,
    configPath: path.join(runDir, `${chainId}.toml`),
  });
  const network = await spawnNetwork({ label: chainId, config, dir: path.join(runDir, chainId === CONSUMER_CHAIN_ID ? 'consumer' : chainId) });
  net.networks.push(network);
  // `--<name>` inserts `//<Name>//consumer`; other consumer keys go in through the RPC, and each
  // node restarts so that its GRANDPA voter, which looks for its key when a set starts, votes.
  if (keyPath !== 'consumer') {
    await insertConsumerKeys(network, validators, keyPath);
    const stopped = validators.map((name) => [name.toLowerCase(), killNode(network, name.toLowerCase())]);
    // SIGKILL is asynchronous: let the ports and database locks go before the restart.
    await sleep(3_000);
    for (const [node, cmdlines] of stopped) {
      for (const cmdline of cmdlines) net.restarted.push(restartNode(cmdline, path.join(runDir, `${chainId}-${node}-restarted.log`)));
    }
  }
  const consumerWs = network.nodes[0].wsUri;
  const c = await apiOf(consumerWs);
  net.apis.push(c);
  await waitFinalized(c, 1, 3 * MINUTE, chainId);
  say(`${chainId} up at ${consumerWs}, finalizing`);

  const providerClient = (await c.query.ccvConsumer.providerClientId()).unwrap().toUtf8();
  const tag = chainId === CONSUMER_CHAIN_ID ? '' : `-${chainId}`;
  const relayerToml = relayerConfig({
    configPath: path.join(runDir, `relayer${tag}.toml`),
    providerWs,
    consumerWs,
    signer: relayerSigner,
    metrics,
  });
  const relayerLog = path.join(runDir, `relayer${tag}.log`);
  const [connOnConsumer, connOnProvider] = await relayerOnce(
    relayerToml,
    ['create', 'connection', '--a', 'consumer', '--b', 'provider', '--a-client', providerClient, '--b-client', consumerClient],
    relayerLog,
  );
  say(`${chainId}: connection open: ${connOnConsumer} on the consumer, ${connOnProvider} on the provider`);
  const [chanOnConsumer, chanOnProvider] = await relayerOnce(
    relayerToml,
    ['create', 'channel', '--a', 'consumer', '--b', 'provider', '--a-connection', connOnConsumer,
      '--a-port', 'consumer', '--b-port', 'provider', '--order', 'ordered', '--version', '1'],
    relayerLog,
  );
  say(`${chainId}: CCV channel open: ${chanOnConsumer} on the consumer, ${chanOnProvider} on the provider`);
  const relayer = startRelayer(relayerToml, relayerLog);
  net.relayers.push(relayer);
  say(`${chainId}: relayer running (log ${relayerLog}${metrics ? `, metrics http://${metrics}/metrics` : ''})`);

  const established = await waitFor(p, `CCV channel of ${chainId} established on the provider`, () => p.query.ccvProvider.consumerChannel(consumerId), (ch) => ch.isSome, 5 * MINUTE);
  say(`provider: CCV channel of consumer ${consumerId} is ${established.unwrap().toUtf8()}`);
  const transfer = await waitFor(c, `${chainId} transfer channel started`, () => c.query.ccvConsumer.transferChannel(), (t) => t.isSome, 5 * MINUTE);
  const transferChannel = transfer.unwrap().toUtf8();
  say(`${chainId}: ICS-20 transfer channel ${transferChannel} started (the relayer completes its handshake)`);
  return {
    chainId,
    consumerId,
    network,
    api: c,
    ccvChannel: { consumer: chanOnConsumer, provider: chanOnProvider },
    transferChannel,
    relayer,
    relayerToml,
    relayerLog,
    launchedAt,
  };
}

/** Inserts `//<Name>//<keyPath>` as the Aura and GRANDPA key of each validator's node. */
async function insertConsumerKeys(network, validators, keyPath) {
  for (const name of validators) {
    const node = network.nodes.find((n) => n.name === name.toLowerCase());
    const api = await apiOf(node.wsUri);
    try {
      const key = await consumerKeyHex(name, keyPath);
      for (const type of ['aura', 'gran']) await api.rpc.author.insertKey(type, `//${name}//${keyPath}`, key);
    } finally {
      await api.disconnect();
    }
  }
}

/**
 * Checks that the consumer's GRANDPA authorities (key -> weight) are the provider's sent set for
 * the consumer (consumer key -> power); returns them as text.
 */
export async function consumerSetMatchesProvider({ p, c, consumerId }) {
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

/** The hex public key of `//<name>//<keyPath>` (`//<name>//consumer` by default). */
export async function consumerKeyHex(name, keyPath = 'consumer') {
  const { consumerKey } = await devKeys(name, keyPath);
  return `0x${Buffer.from(consumerKey.publicKey).toString('hex')}`;
}

export { stopNetwork, stopRelayer };
