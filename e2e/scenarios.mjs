// The end-to-end scenarios on real nodes: one launch (e2e/lib/launch.mjs), then each scenario in
// turn against it, each asserting on chain state. Prints one line per scenario with its wall
// time and figures, and exits 1 on the first failure (logs stay in the run dir).
//
// Usage: node e2e/scenarios.mjs <run dir> [scenario ...]   (default: all, in order)
//
// Scenarios (zombienet/README.md describes each):
//   launch        consumer launched from the provider, CCV channel and transfer channel open,
//                 first VSC applied (Alice's stake change), consumer GRANDPA set = provider's set
//                 for it with weights = power
//   key-rotation  Bob assigns a new consumer key on the provider; at the next era the consumer's
//                 Aura and GRANDPA sets switch to it (his node signs with it) and finality goes on
//   downtime      Charlie's consumer node is killed -> downtime slash packet -> the provider jails
//                 him (bond untouched) -> he leaves the provider's active set and the consumer's
//                 set; consumer finality goes on

import path from 'node:path';
import { apiOf, devKeys, elapsed, ensureDir, killNode, say, submit, waitFor } from './lib/ccv.mjs';
import {
  CcvNetwork,
  consumerKeyHex,
  consumerSetMatchesProvider,
  describeSet,
  grandpaWeights,
  launchCcvNetwork,
} from './lib/launch.mjs';

const MINUTE = 60_000;

/** Alice's raised stake shows as the largest consumer weight, and the sets agree. */
async function launch(net) {
  await launchCcvNetwork(net);
  const set = await consumerSetMatchesProvider(net);
  const alice = set.get(await consumerKeyHex('Alice'));
  if (![...set.values()].filter((w) => w !== alice).every((w) => alice > w)) {
    throw new Error(`Alice's consumer weight does not show her raised stake: {${describeSet(set)}}`);
  }
  return `first VSC ${net.figures.launchToFirstVscSecs.toFixed(0)} s after launch; set {${describeSet(set)}}`;
}

/**
 * Bob's consumer node gets the new key (`//Bob//consumer//2`, aura + gran) in its keystore, then
 * Bob assigns it on the provider. Waits for the next provider era and for the consumer's GRANDPA
 * set to name the new key instead of the old one; measures era change -> set change.
 */
async function keyRotation(net) {
  const { p, c, consumerId } = net;
  const suri = '//Bob//consumer//2';
  const { account: bob } = await devKeys('Bob');
  const { Keyring } = await import('@polkadot/keyring');
  const fresh = new Keyring({ type: 'ed25519' }).addFromUri(suri);
  const freshHex = `0x${Buffer.from(fresh.publicKey).toString('hex')}`;
  const oldHex = await consumerKeyHex('Bob');

  const bobNode = net.consumer.nodes.find((n) => n.name === 'bob');
  const b = await apiOf(bobNode.wsUri);
  try {
    for (const type of ['aura', 'gran']) await b.rpc.author.insertKey(type, suri, freshHex);
    if (!(await b.rpc.author.hasKey(freshHex, 'gran')).isTrue) throw new Error('new key not in the keystore of Bob\'s consumer node');
  } finally {
    await b.disconnect();
  }
  const eraBefore = (await p.query.staking.activeEra()).unwrap().index.toNumber();
  await submit(p, p.tx.ccvProvider.assignConsumerKey(consumerId, freshHex), bob, 'assignConsumerKey Bob (rotation)');
  const assigned = await p.query.ccvProvider.consumerKeys(consumerId, bob.address);
  if (assigned.isNone || assigned.unwrap().toHex() !== freshHex) throw new Error(`provider names ${assigned.toString()} as Bob's consumer key`);
  say(`key-rotation: Bob assigned ${freshHex.slice(0, 10)}… in era ${eraBefore}`);

  const era = await waitFor(p, 'next provider era', async () => (await p.query.staking.activeEra()).unwrap().index.toNumber(), (e) => e > eraBefore, 8 * MINUTE);
  const eraAt = elapsed();
  const eraBlock = (await c.rpc.chain.getHeader()).number.toNumber();
  say(`key-rotation: provider era ${era} began (consumer at #${eraBlock})`);
  const set = await waitFor(c, 'consumer GRANDPA set switches to Bob\'s new key', () => grandpaWeights(c), (s) => s.has(freshHex) && !s.has(oldHex), 8 * MINUTE);
  const switchSecs = elapsed() - eraAt;
  const switchBlock = (await c.rpc.chain.getHeader()).number.toNumber();
  const aura = (await c.query.aura.authorities()).map((k) => k.toHex());
  if (!aura.includes(freshHex) || aura.includes(oldHex)) throw new Error(`consumer Aura set ${aura} does not have Bob's new key only`);
  await consumerSetMatchesProvider(net);
  // Finality goes on with Bob signing under the new key.
  const finalized = (await c.rpc.chain.getHeader(await c.rpc.chain.getFinalizedHead())).number.toNumber();
  await waitFor(c, 'consumer finality after the key switch', async () => (await c.rpc.chain.getHeader(await c.rpc.chain.getFinalizedHead())).number.toNumber(), (n) => n >= switchBlock + 2, 3 * MINUTE);
  net.figures.eraToSetChange = { secs: switchSecs, blocks: switchBlock - eraBlock };
  return `era ${era} -> consumer set change in ${switchSecs.toFixed(0)} s / ${switchBlock - eraBlock} consumer blocks; finalized past #${finalized}; set {${describeSet(set)}}`;
}

/**
 * Charlie's consumer node is killed. The consumer sees him miss more than the allowed share of
 * his Aura slots and sends a downtime slash packet; the provider jails him (no slash: downtime
 * costs no stake here); at the next era he leaves the provider's active set and, with the VSC
 * that follows, the consumer's set. Finality on the consumer goes on without him (Alice's
 * raised stake keeps Alice + Bob above 2/3 of the weight).
 */
async function downtime(net) {
  const { p, c, consumerId } = net;
  const { account: charlie } = await devKeys('Charlie');
  const charlieKey = await consumerKeyHex('Charlie');
  const bondedBefore = (await p.query.staking.ledger(charlie.address)).unwrap().active.toBigInt();
  const killed = killNode(net.consumer, 'charlie');
  if (killed !== 1) throw new Error(`expected one consumer node named charlie, killed ${killed}`);
  const stoppedAt = elapsed();
  say('downtime: Charlie\'s consumer node killed');

  await waitFor(p, 'provider jails Charlie', () => p.query.ccvProvider.jailed(charlie.address), (j) => j.isSome, 12 * MINUTE);
  const jailedSecs = elapsed() - stoppedAt;
  say(`downtime: provider jailed Charlie ${jailedSecs.toFixed(0)} s after his node stopped`);
  await waitFor(p, 'Charlie leaves the provider active set', () => p.query.session.validators(), (v) => !v.map(String).includes(charlie.address), 8 * MINUTE);
  const set = await waitFor(c, 'Charlie leaves the consumer set', () => grandpaWeights(c), (s) => !s.has(charlieKey), 8 * MINUTE);
  await consumerSetMatchesProvider(net);
  const bondedAfter = (await p.query.staking.ledger(charlie.address)).unwrap().active.toBigInt();
  if (bondedAfter !== bondedBefore) throw new Error(`downtime slashed Charlie's bond: ${bondedBefore} -> ${bondedAfter}`);
  const head = (await c.rpc.chain.getHeader()).number.toNumber();
  await waitFor(c, 'consumer finality without Charlie', async () => (await c.rpc.chain.getHeader(await c.rpc.chain.getFinalizedHead())).number.toNumber(), (n) => n >= head, 3 * MINUTE);
  return `jailed ${jailedSecs.toFixed(0)} s after the stop, out of both sets ${(elapsed() - stoppedAt).toFixed(0)} s after; bond unchanged; consumer set {${describeSet(set)}}`;
}

const SCENARIOS = { launch, 'key-rotation': keyRotation, downtime };

async function main() {
  const runDir = ensureDir(path.resolve(process.argv[2] ?? '/tmp/frame-ics-e2e'));
  const chosen = process.argv.slice(3);
  const names = chosen.length ? chosen : Object.keys(SCENARIOS);
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  if (names[0] !== 'launch') names.unshift('launch');
  const net = new CcvNetwork(runDir);
  const results = [];
  try {
    for (const name of names) {
      const start = elapsed();
      say(`scenario ${name}: start`);
      const detail = await SCENARIOS[name](net);
      const line = `PASS ${name} (${(elapsed() - start).toFixed(0)} s): ${detail}`;
      results.push(line);
      say(line);
    }
  } catch (error) {
    results.push(`FAIL: ${error.message}`);
    throw error;
  } finally {
    await net.stop();
    console.log('\n[e2e] results:');
    for (const line of results) console.log(`[e2e]   ${line}`);
    console.log(`[e2e] suite wall time ${elapsed().toFixed(0)} s; logs in ${runDir}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[e2e] FAILED: ${error.stack ?? error}`);
    process.exit(1);
  },
);
