// Node smoke test: starts a provider-dev and a consumer-dev node as child processes on free ports,
// and with an unmodified @polkadot/api client on each chain
//   - reads the metadata (pallets present) and storage (Aura authorities, balances),
//   - checks the validator runs with the right consensus key (the consumer's own key on the
//     consumer, DESIGN §2), by the author_hasKey RPC,
//   - waits for a finalized block >= 3,
//   - submits a balance transfer and sees it included, with Bob's balance up by the amount,
//   - reads pallet-ibc through the node's `ibc_*` RPC (pallet-ibc-rpc): the host record of the
//     finalized block equals the `ibc0` digest of its header; `ibc_proveState` returns the values
//     `childstate_getStorage` reads and the proof nodes `state_getChildReadProof` returns, at the
//     same block; bad identifiers are refused with error code 2,
// then stops both nodes with SIGINT and requires a clean exit. Exits 1 on any failure, printing
// the failing node's log tail. Prints block/finality figures.
//
// Usage: node e2e/smoke.mjs   (node binary: $FRAME_ICS_NODE or $CARGO_TARGET_DIR/release)

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { stringToHex, u8aToBigInt, u8aToHex } from '@polkadot/util';
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

/** pallet-ibc's provable child trie, as the `childstate_*` RPCs name it. */
const IBC_CHILD_KEY = stringToHex(':child_storage:default:ibc');

/** A raw JSON-RPC call (methods @polkadot/api has no decoration for). */
function rpcCall(api, method, params) {
  return api._rpcCore.provider.send(method, params);
}

/**
 * The `ibc_*` RPC on a live node, checked against the header digest and the standard
 * child-storage RPCs at the same finalized block. Returns what it saw, for the summary line.
 */
async function checkIbcRpc(api, label) {
  const methods = (await rpcCall(api, 'rpc_methods', [])).methods;
  for (const m of ['ibc_state', 'ibc_proveState', 'ibc_pendingPackets', 'ibc_writtenAck', 'ibc_hostRecord']) {
    check(methods.includes(m), `${label}: RPC method ${m} missing`);
  }
  const at = (await api.rpc.chain.getFinalizedHead()).toHex();
  const header = await api.rpc.chain.getHeader(at);
  const height = header.number.toNumber();

  // The host record pallet-ibc keeps of this block equals the ibc0 digest its header carries.
  const digest = header.digest.logs
    .filter((log) => log.isConsensus)
    .map((log) => log.asConsensus)
    .find(([engine]) => engine.toU8a().every((b, i) => b === 'ibc0'.charCodeAt(i)));
  check(digest, `${label}: header #${height} has no ibc0 digest`);
  const data = digest[1].toU8a(true);
  const digestTimestamp = u8aToBigInt(data.subarray(0, 8), { isLe: true }).toString();
  const digestRoot = u8aToHex(data.subarray(8, 40));
  const record = await rpcCall(api, 'ibc_hostRecord', [height, at]);
  check(
    record && record.height === height && record.ibcRoot === digestRoot && record.timestampNs === digestTimestamp,
    `${label}: ibc_hostRecord(${height}) = ${JSON.stringify(record)}, header digest root ${digestRoot} time ${digestTimestamp}`,
  );
  check((await rpcCall(api, 'ibc_hostRecord', [height + 1_000_000, at])) === null, `${label}: a future host record is not null`);

  // Proofs: one present path (if the trie has any) and one absent, against the standard RPCs.
  const keys = await rpcCall(api, 'childstate_getKeysPaged', [IBC_CHILD_KEY, '0x', 1, null, at]);
  const paths = [...keys.map((k) => Buffer.from(k.slice(2), 'hex').toString('utf8')), 'connections/connection-999'];
  const proven = await rpcCall(api, 'ibc_proveState', [paths, at]);
  check(proven.at === at && proven.height === height, `${label}: ibc_proveState answered for ${proven.at} #${proven.height}, asked ${at} #${height}`);
  for (const [i, path] of paths.entries()) {
    const expected = await rpcCall(api, 'childstate_getStorage', [IBC_CHILD_KEY, stringToHex(path), at]);
    check(proven.values[i] === expected, `${label}: ibc_proveState value of ${path} = ${proven.values[i]}, childstate_getStorage = ${expected}`);
    const read = await rpcCall(api, 'ibc_state', [path, at]);
    check(read === expected, `${label}: ibc_state(${path}) = ${read}, childstate_getStorage = ${expected}`);
  }
  const standard = await rpcCall(api, 'state_getChildReadProof', [IBC_CHILD_KEY, paths.map(stringToHex), at]);
  const sorted = (nodes) => [...nodes].sort().join(',');
  check(proven.proof.length > 0 && sorted(proven.proof) === sorted(standard.proof), `${label}: ibc_proveState proof differs from state_getChildReadProof`);

  // No packets on a channel that does not exist; malformed identifiers are refused (code 2).
  const pending = await rpcCall(api, 'ibc_pendingPackets', ['transfer', 'channel-0', 1, 10, at]);
  check(Array.isArray(pending) && pending.length === 0, `${label}: pending packets on no channel: ${JSON.stringify(pending)}`);
  const refused = await rpcCall(api, 'ibc_writtenAck', ['x', 'channel-0', 1, at]).then(
    () => null,
    (error) => error,
  );
  check(refused && /^2:/.test(refused.message), `${label}: a 1-byte port was not refused with code 2: ${refused?.message}`);
  return { height, provenPaths: paths.length, proofNodes: proven.proof.length };
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

    const ibc = await checkIbcRpc(api, spec.label);

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
      ibc,
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
            `ibc_* RPC checked at #${r.ibc.height} (${r.ibc.provenPaths} paths, ${r.ibc.proofNodes} proof nodes); ` +
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
