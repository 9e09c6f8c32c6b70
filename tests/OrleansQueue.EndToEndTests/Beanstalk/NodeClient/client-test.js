'use strict';
// Drives a beanstalkd server with fivebeans, a client library we did not write: put, reserve, touch, release, bury,
// kick, kick-job, delete, stats and stats-job. Usage: node client-test.js PORT TUBE. Prints "ok" and exits 0 when
// every step gave what beanstalkd's protocol says; otherwise prints the step that did not and exits 1.
const assert = require('node:assert/strict');
const fivebeans = require('fivebeans');

const [port, tube] = [Number(process.argv[2]), process.argv[3]];

function connect() {
  return new Promise((resolve, reject) => {
    const client = new fivebeans.client('127.0.0.1', port);
    client.on('connect', () => resolve(client)).on('error', reject);
    client.connect();
  });
}

/** Calls a fivebeans command; resolves with its results, rejects with the server's error reply. */
function call(client, command, ...args) {
  return new Promise((resolve, reject) =>
    client[command](...args, (err, ...results) => (err ? reject(new Error(String(err))) : resolve(results))));
}

/** The server's error reply to a command that must fail. */
async function refusal(client, command, ...args) {
  try {
    await call(client, command, ...args);
  } catch (err) {
    return err.message;
  }
  throw new Error(`${command} ${args.join(' ')} succeeded; a refusal was expected`);
}

async function reserve(client) {
  const [id, payload] = await call(client, 'reserve_with_timeout', 5);
  return [String(id), payload.toString()];
}

async function main() {
  const client = await connect();
  try {
    await call(client, 'use', tube);
    await call(client, 'watch', tube);
    await call(client, 'ignore', 'default');

    const [hello] = await call(client, 'put', 10, 0, 60, 'hello');
    const [urgent] = await call(client, 'put', 5, 0, 60, 'urgent');
    assert.deepEqual(await reserve(client), [String(urgent), 'urgent'], 'reserve takes the smaller priority first');
    await call(client, 'touch', urgent);
    await call(client, 'release', urgent, 7, 0);
    assert.deepEqual(await reserve(client), [String(urgent), 'urgent'], 'released with priority 7, it is still first');
    await call(client, 'bury', urgent, 3);

    assert.deepEqual(await reserve(client), [String(hello), 'hello'], 'a buried job is not reserved');
    await call(client, 'destroy', hello);
    assert.equal(await refusal(client, 'destroy', hello), 'NOT_FOUND', 'a deleted job is gone');
    assert.equal(await refusal(client, 'reserve_with_timeout', 0), 'TIMED_OUT', 'nothing ready');

    const [kicked] = await call(client, 'kick', 5);
    assert.equal(Number(kicked), 1, 'kick kicks the buried job');
    assert.deepEqual(await reserve(client), [String(urgent), 'urgent']);
    const [job] = await call(client, 'stats_job', urgent);
    assert.equal(job.state, 'reserved');
    assert.equal(Number(job.pri), 3, 'buried with priority 3');
    assert.equal(Number(job.reserves), 3);
    assert.equal(Number(job.releases), 1);
    assert.equal(Number(job.buries), 1);
    assert.equal(Number(job.kicks), 1);
    assert.equal(Number(job.ttr), 60);
    await call(client, 'bury', urgent, 3);
    await call(client, 'kick_job', urgent);
    assert.deepEqual(await reserve(client), [String(urgent), 'urgent'], 'kick-job kicks that job');
    await call(client, 'destroy', urgent);

    const [stats] = await call(client, 'stats');
    for (const field of ['current-jobs-ready', 'current-jobs-reserved', 'current-jobs-delayed', 'current-jobs-buried', 'total-jobs']) {
      assert.equal(typeof stats[field], 'number', `stats has ${field}`);
    }
    assert.ok(stats['total-jobs'] >= 2, 'stats counts the jobs put');
    console.log('ok');
  } finally {
    client.end();
  }
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
