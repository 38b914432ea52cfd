// The main job: a provider network, a consumer chain launched from it, and the relayer between
// them, on loopback, with the CCV link open and validator-set changes flowing.
//
// Usage: node e2e/ccv-network.mjs <run dir> [--check]
//   1. spawns zombienet/provider.toml (3 validators: Alice, Bob, Charlie);
//   2. creates a consumer through sudo (top N 100, spawn time ~40 s ahead, 10-block sessions);
//      each validator assigns its consumer key //<Name>//consumer before the spawn time (a
//      consumer key never equals a provider key);
//   3. waits for the launch, then raises Alice's bond so the next era changes her power;
//   4. builds the consumer chain spec from the provider (`frame-ics-node build-consumer-spec`)
//      and spawns the consumer network from it (the same three validators, consumer keys);
//   5. the relayer (//Ferdie) opens a connection between the consumer's client of the provider
//      (from its genesis) and the provider's client of the consumer (made at launch), opens the
//      CCV channel (ordered, consumer port `consumer`, provider port `provider`, version 1),
//      then relays; the consumer opens its ICS-20 transfer channel by itself;
//   6. waits until the consumer has applied the first VSC, and checks that the consumer's
//      GRANDPA set is the provider's set for it, Alice's raised stake included.
// Prints every endpoint with a polkadot.js apps link, then runs until Ctrl-C (with --check it
// stops everything once the first VSC is applied). Everything is read from chain state.

import path from 'node:path';
import { appsLink, ensureDir, say } from './lib/ccv.mjs';
import {
  CcvNetwork,
  consumerKeyHex,
  consumerSetMatchesProvider,
  describeSet,
  launchCcvNetwork,
  RELAYER_METRICS,
} from './lib/launch.mjs';

const runDir = ensureDir(path.resolve(process.argv[2] ?? '/tmp/frame-ics-network'));
const checkOnly = process.argv.includes('--check');
const net = new CcvNetwork(runDir);

async function main() {
  say(`run dir ${runDir}`);
  await launchCcvNetwork(net);
  const set = await consumerSetMatchesProvider(net);
  const alice = set.get(await consumerKeyHex('Alice'));
  const others = [...set.values()].filter((w) => w !== alice);
  if (!others.every((w) => alice > w)) {
    throw new Error(`Alice's consumer weight does not show her raised stake: {${describeSet(set)}}`);
  }
  say(`consumer GRANDPA set = the provider's set for it (weights = power): ${describeSet(set)}`);

  console.log('');
  for (const network of [net.provider, net.consumer]) {
    say(`${network.label} RPC endpoints:`);
    for (const node of network.nodes) say(`  ${node.name.padEnd(8)} ${node.wsUri}  ${appsLink(node.wsUri)}`);
  }
  say(`relayer: log ${net.relayerLog}, metrics http://${RELAYER_METRICS}/metrics`);
  say(`logs: ${runDir}/{provider,consumer}/, ${runDir}/*.log`);
  if (checkOnly) {
    say('--check: the CCV link works; stopping');
    return;
  }
  say('running; Ctrl-C stops the relayer and both networks');
  await new Promise(() => {});
}

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await net.stop();
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));

main().then(
  () => shutdown(0),
  (error) => {
    console.error(`[ccv] FAILED: ${error.stack ?? error}`);
    shutdown(1);
  },
);
