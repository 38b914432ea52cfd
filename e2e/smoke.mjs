// Node smoke test: starts a provider-dev and a consumer-dev node as child processes on free ports,
// and with an unmodified @polkadot/api client on each chain
//   - reads the metadata (pallets present) and storage (Aura authorities, balances),
//   - checks the validator runs with the right consensus key (the consumer's own key on the
//     consumer, DESIGN §2), by the author_hasKey RPC,
//   - waits for a finalized block >= 3,
//   - submits a balance transfer and sees it included, with Bob's balance up by the amount,
// then stops both nodes with SIGINT and requires a clean exit. Exits 1 on any failure, printing
// the failing node's log tail. Prints block/finality figures.
//
// Usage: node e2e/smoke.mjs   (node binary: $FRAME_ICS_NODE or $CARGO_TARGET_DIR/release)

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import {
  connect,
  logTail,
  nodeBinary,
  sendAndWaitInBlock,
  startNode,
  stopNode,
  waitFinalized,
  withTimeout,
} from './lib/node.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const logDir = path.join(here, 'logs', 'smoke');
const FINALIZED_TARGET = 3;
const FINALITY_TIMEOUT_MS = 180_000;
const TRANSFER_TIMEOUT_MS = 120_000;
const TRANSFER_AMOUNT = 1_000_000_000_000n; // 1 UNIT (12 decimals)

const CHAINS = [
  {
    label: 'provider-dev',
    chain: 'provider-dev',
    pallets: ['system', 'balances', 'staking', 'session', 'offences', 'aura', 'grandpa'],
    // Provider validators run their provider keys.
    authoritySeed: '//Alice',
    foreignSeed: '//Alice//consumer',
  },
  {
    label: 'consumer-dev',
    chain: 'consumer-dev',
    pallets: ['system', 'balances', 'assets', 'aura', 'grandpa', 'ccvConsumer'],
    // `--alice` on a consumer chain inserts the consumer key, never the provider key.
    authoritySeed: '//Alice//consumer',
    foreignSeed: '//Alice',
  },
];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function smoke(spec, node) {
  const started = Date.now();
  const api = await connect(node);
  try {
    const sr = new Keyring({ type: 'sr25519' });
    const ed = new Keyring({ type: 'ed25519' });
    const alice = sr.addFromUri('//Alice');
    const bob = sr.addFromUri('//Bob');
    const authority = u8aToHex(ed.addFromUri(spec.authoritySeed).publicKey);
    const foreign = u8aToHex(ed.addFromUri(spec.foreignSeed).publicKey);

    // Metadata: the runtime's pallets, as any ecosystem client sees them.
    const metadataVersion = api.runtimeMetadata.version;
    for (const pallet of spec.pallets) {
      check(api.query[pallet] || api.tx[pallet], `${spec.label}: pallet ${pallet} missing from metadata`);
    }
    const runtime = api.runtimeVersion.specName.toString();

    // Storage: the Aura authority set is the expected validator key.
    const authorities = (await api.query.aura.authorities()).map((key) => key.toHex());
    check(
      authorities.length === 1 && authorities[0] === authority,
      `${spec.label}: Aura authorities ${JSON.stringify(authorities)}, expected [${authority}] (${spec.authoritySeed})`,
    );
    // Keystore: the node signs with that key, and holds no key of the other chain.
    const hasOwn = (await api.rpc.author.hasKey(authority, 'aura')).isTrue;
    const hasGran = (await api.rpc.author.hasKey(authority, 'gran')).isTrue;
    const hasForeign = (await api.rpc.author.hasKey(foreign, 'aura')).isTrue;
    check(hasOwn && hasGran, `${spec.label}: keystore lacks ${spec.authoritySeed} under aura/gran`);
    check(!hasForeign, `${spec.label}: keystore holds ${spec.foreignSeed}, the other chain's key`);

    const finalized = await waitFinalized(api, FINALIZED_TARGET, FINALITY_TIMEOUT_MS, spec.label);
    const finalizedAfterS = (Date.now() - started) / 1000;

    // A balance transfer, signed and encoded by @polkadot/api against the live metadata.
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const tx = api.tx.balances.transferKeepAlive(bob.address, TRANSFER_AMOUNT);
    const { blockHash, success } = await sendAndWaitInBlock(api, tx, alice, TRANSFER_TIMEOUT_MS, spec.label);
    check(success, `${spec.label}: transfer failed in block ${blockHash}`);
    const after = (await api.query.system.account.at(blockHash, bob.address)).data.free.toBigInt();
    check(after - before === TRANSFER_AMOUNT, `${spec.label}: Bob's balance moved by ${after - before}, expected ${TRANSFER_AMOUNT}`);
    const inBlock = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();

    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const fin = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    const elapsedS = (Date.now() - started) / 1000;
    return {
      runtime,
      metadataVersion,
      finalized,
      finalizedAfterS,
      transferBlock: inBlock,
      best,
      fin,
      elapsedS,
    };
  } finally {
    await api.disconnect();
  }
}

async function main() {
  await cryptoWaitReady();
  console.log(`[smoke] node binary: ${nodeBinary()}`);
  const nodes = [];
  let failed = false;
  try {
    for (const spec of CHAINS) nodes.push(await startNode({ label: spec.label, chain: spec.chain, logDir }));
    const results = await Promise.allSettled(CHAINS.map((spec, i) => smoke(spec, nodes[i])));
    results.forEach((result, i) => {
      const spec = CHAINS[i];
      if (result.status === 'fulfilled') {
        const r = result.value;
        console.log(
          `[smoke] ${spec.label}: ok: runtime ${r.runtime}, metadata V${r.metadataVersion}; ` +
            `finalized #${r.finalized} after ${r.finalizedAfterS.toFixed(1)}s; transfer in #${r.transferBlock}; ` +
            `at the end best #${r.best}, finalized #${r.fin} after ${r.elapsedS.toFixed(1)}s`,
        );
      } else {
        failed = true;
        console.error(`[smoke] ${spec.label}: FAILED: ${result.reason?.message ?? result.reason}`);
        console.error(`[smoke] ${spec.label} log tail (${nodes[i].logPath}):\n${logTail(nodes[i])}`);
      }
    });
  } finally {
    for (const node of nodes) {
      try {
        const { code, signal, error } = await stopNode(node);
        if (error || code !== 0) {
          failed = true;
          console.error(`[smoke] ${node.label}: unclean exit (code ${code}, signal ${signal}${error ? `, ${error.message}` : ''})`);
          console.error(logTail(node));
        } else {
          console.log(`[smoke] ${node.label}: stopped cleanly`);
        }
      } catch (error) {
        failed = true;
        console.error(`[smoke] ${node.label}: ${error.message}`);
      }
    }
  }
  if (failed) process.exit(1);
  console.log('[smoke] passed');
  process.exit(0);
}

withTimeout(main(), 600_000, 'smoke test').catch((error) => {
  console.error(`[smoke] FAILED: ${error.stack ?? error}`);
  process.exit(1);
});
