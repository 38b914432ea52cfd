// Prints the RPC endpoints of zombienet networks and waits until each chain finalizes blocks.
//
// Usage: node e2e/network-status.mjs <label>=<zombienet dir> ...
// Reads <dir>/zombie.json (written by `zombienet spawn` once the network is up), prints each
// node's ws:// endpoint, then connects to the first node of each network with @polkadot/api and
// waits for a finalized block >= 2. Exits 1 if a network does not finalize within 3 minutes.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { waitFinalized } from './lib/node.mjs';

const FINALIZED_TARGET = 2;
const TIMEOUT_MS = 180_000;

function nodesOf(dir) {
  const network = JSON.parse(readFileSync(path.join(dir, 'zombie.json'), 'utf8'));
  return network.relay.map((node) => ({ name: node.name, wsUri: node.wsUri }));
}

async function finality(label, wsUri) {
  const started = Date.now();
  const api = await ApiPromise.create({ provider: new WsProvider(wsUri), noInitWarn: true });
  try {
    const chain = (await api.rpc.system.chain()).toString();
    const finalized = await waitFinalized(api, FINALIZED_TARGET, TIMEOUT_MS, label);
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const validators = (await api.query.aura.authorities()).length;
    return `${label} (${chain}): ${validators} Aura authorities; best #${best}, finalized #${finalized} (${((Date.now() - started) / 1000).toFixed(0)}s after connecting)`;
  } finally {
    await api.disconnect();
  }
}

async function main() {
  const networks = process.argv.slice(2).map((arg) => {
    const [label, dir] = arg.split('=');
    return { label, nodes: nodesOf(dir) };
  });
  for (const { label, nodes } of networks) {
    console.log(`[launch] ${label} RPC endpoints:`);
    for (const node of nodes) console.log(`[launch]   ${node.name.padEnd(8)} ${node.wsUri}`);
  }
  const results = await Promise.allSettled(networks.map(({ label, nodes }) => finality(label, nodes[0].wsUri)));
  let failed = false;
  for (const result of results) {
    if (result.status === 'fulfilled') console.log(`[launch] ${result.value}`);
    else {
      failed = true;
      console.error(`[launch] FAILED: ${result.reason?.message ?? result.reason}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`[launch] FAILED: ${error.stack ?? error}`);
  process.exit(1);
});
