import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { uuidv7 } from 'uuidv7';
import { CaravanProcess } from './support/caravan-process';
import { sendEvent } from './support/fixtures';
import { ExternalTestCaravan, externalOnly, TestCaravan, TestProject } from './support/test-caravan';

/**
 * The "replica" is a second database that Caravan itself migrates, holding other rows than the
 * primary: a lagging replica, frozen. What a request answers shows which database it read.
 */
describe('a read replica (DATABASE_REPLICA_URL): lists and searches read it, all else the primary', { skip: externalOnly('the embedded mode has one database') }, () => {
  let caravan: ExternalTestCaravan;
  let project: TestProject;
  let replicaName: string;
  let replicaUrl: string;

  const admin = async <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const adminUrl = (): string => Object.assign(new URL(caravan.databaseUrl), { pathname: '/postgres' }).toString();

  before(async () => {
    caravan = (await TestCaravan.create()) as ExternalTestCaravan;
    replicaName = `${caravan.databaseName}_replica`;
    replicaUrl = Object.assign(new URL(caravan.databaseUrl), { pathname: `/${replicaName}` }).toString();
    await admin(adminUrl(), (client) => client.query(`CREATE DATABASE "${replicaName}"`));
    const migrator = await CaravanProcess.start('api', caravan.environment({ DATABASE_URL: replicaUrl }));
    await migrator.stop();
    await caravan.startApi({ DATABASE_REPLICA_URL: replicaUrl });
    project = await caravan.createProject();
  });

  after(async () => {
    await caravan?.destroy();
    if (replicaName) await admin(adminUrl(), (client) => client.query(`DROP DATABASE IF EXISTS "${replicaName}" WITH (FORCE)`));
  });

  it('reads an event just sent from the primary, while the lists and searches come from the replica', async () => {
    const sent = await sendEvent(project.client, project.id, { event_type: 'invoice.paid', data: { from: 'primary' } });

    const one = await project.client.get(`/api/v1/projects/${project.id}/events/${sent.id}`);
    assert.equal(one.status, 200, 'read-after-write: a single event is read from the primary');
    assert.deepEqual(one.body.data, { from: 'primary' });
    const listed = await project.client.get(`/api/v1/projects/${project.id}/events`);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.data, [], 'the replica has not got the event');

    // A row only the replica has: the project first (events reference it), then an event.
    const [projectRow] = (await caravan.query('SELECT row_to_json(p) AS row FROM projects p WHERE id = $1', [project.id])).rows;
    const replicaOnly = uuidv7();
    await admin(replicaUrl, async (client) => {
      await client.query('INSERT INTO projects SELECT * FROM json_populate_record(NULL::projects, $1)', [projectRow.row]);
      await client.query(`INSERT INTO events (id, project_id, event_type, payload) VALUES ($1, $2, 'invoice.paid', '{"from":"replica"}')`, [
        replicaOnly,
        project.id,
      ]);
    });
    const fromReplica = await project.client.get(`/api/v1/projects/${project.id}/events`);
    assert.deepEqual(fromReplica.body.data.map((event: { id: string }) => event.id), [replicaOnly]);
    const searched = await project.client.get(`/api/v1/projects/${project.id}/events?q=replica`);
    assert.deepEqual(searched.body.data.map((event: { id: string }) => event.id), [replicaOnly]);
    const replicaEvent = await project.client.get(`/api/v1/projects/${project.id}/events/${replicaOnly}`);
    assert.equal(replicaEvent.status, 404, 'reads by id never go to the replica');

    const deliveries = await project.client.get(`/api/v1/projects/${project.id}/deliveries`);
    assert.equal(deliveries.status, 200);
    assert.deepEqual(deliveries.body.data, []);
  });

  it('refuses a replica URL that is not PostgreSQL, naming the variable', async () => {
    const started = CaravanProcess.start('api', caravan.environment({ DATABASE_REPLICA_URL: 'redis://127.0.0.1:6379' }), 10_000);
    await assert.rejects(started, /DATABASE_REPLICA_URL must use postgres: or postgresql:/);
  });
});
