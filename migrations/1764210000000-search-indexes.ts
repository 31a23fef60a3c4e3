import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * IF NOT EXISTS: an operator with many events creates the indexes beforehand with CREATE INDEX
 * CONCURRENTLY (README, "Searching events and deliveries"), and the migration keeps them. Built here,
 * in the migration's transaction, an index blocks every INSERT into its table until it is done:
 * 75 s for the full-text index on a million events (bench:search). CONCURRENTLY is not used here
 * because it waits for every open snapshot, among them those of the other Caravan processes waiting
 * for the migration lock: it would never finish when the api and agents start together.
 */
async function createIndex(db: QueryRunner, name: string, definition: string): Promise<void> {
  await db.query(`CREATE INDEX IF NOT EXISTS ${name} ON ${definition}`);
}

/**
 * Indexes for searching events and deliveries (GET .../events and .../deliveries filters).
 * Every one leads with the project (or with an endpoint, which belongs to one project), so a search
 * never reads another tenant's rows, and ends with the id, so a filtered page is read in id order.
 *
 * - owner_id, source_id, endpoint_id: partial b-trees; events without the field cost nothing.
 * - event_deliveries (endpoint_id, event_id): events that have a delivery to an endpoint, newest
 *   event first.
 * - `?data=`: JSON containment through a jsonb_path_ops GIN index. `payload::jsonb` raises on
 *   JSON that is valid for Caravan but not for jsonb (`\u0000`, a lone surrogate, a number out of
 *   numeric's range), which would fail the INSERT: caravan_payload_jsonb() answers NULL for those
 *   instead, so such an event is stored and delivered but never matches `data=` or `q=`.
 *   PostgreSQL 15 has no error-free cast (pg_input_is_valid came in 16), hence the PL/pgSQL
 *   exception block (about 2 µs a row on top of the 9 µs of the cast, measured). An exception block
 *   is a subtransaction, which a parallel worker cannot start: the functions are PARALLEL
 *   RESTRICTED, or a parallel plan would fail the search.
 * - `?q=`: full text over the payload's string and number values (not its keys), with the
 *   'simple' configuration (no stemming, no stop words). jsonb_to_tsvector over the parsed payload
 *   costs about 30 µs a row where to_tsvector over the JSON text costs 77 µs (600-byte payloads,
 *   measured by bench:search), and keys in every payload would be words matching every event. A
 *   tsvector holds at most 1 MB of words: caravan_payload_words() answers NULL rather than fail the
 *   INSERT of a huge payload. It casts the payload itself rather than call caravan_payload_jsonb():
 *   a function an index depends on must not rely on the search_path (pg_restore empties it).
 * - Both functions declare their real cost (COST 1000 and 5000, against 100 by default): with the
 *   default the planner reads the newest rows in id order and evaluates the function on each, which
 *   took 11 s for a word found in 0.02 % of a million events, instead of asking the GIN index (10 ms).
 *
 * The expressions here must stay identical to the ones the events repository queries with, or the
 * planner will not use the indexes.
 */
export class SearchIndexes1764210000000 implements MigrationInterface {
  name = 'SearchIndexes1764210000000';

  async up(db: QueryRunner): Promise<void> {
    await createIndex(db, 'events_project_owner', `events (project_id, owner_id, id) WHERE owner_id IS NOT NULL`);
    await createIndex(db, 'events_project_source', `events (project_id, source_id, id) WHERE source_id IS NOT NULL`);
    await createIndex(db, 'events_project_endpoint', `events (project_id, endpoint_id, id) WHERE endpoint_id IS NOT NULL`);
    await createIndex(db, 'event_deliveries_endpoint_event', `event_deliveries (endpoint_id, event_id)`);
    await db.query(`
      CREATE OR REPLACE FUNCTION caravan_payload_jsonb(payload text) RETURNS jsonb
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL RESTRICTED COST 1000 AS $$
      BEGIN
        RETURN payload::jsonb;
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END
      $$`);
    await db.query(`
      CREATE OR REPLACE FUNCTION caravan_payload_words(payload text) RETURNS tsvector
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL RESTRICTED COST 5000 AS $$
      BEGIN
        RETURN jsonb_to_tsvector('simple'::regconfig, payload::jsonb, '["string", "numeric"]');
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END
      $$`);
    await createIndex(db, 'events_payload_json', `events USING gin (caravan_payload_jsonb(payload) jsonb_path_ops)`);
    await createIndex(db, 'events_payload_words', `events USING gin (caravan_payload_words(payload))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS events_payload_words`);
    await db.query(`DROP INDEX IF EXISTS events_payload_json`);
    await db.query(`DROP FUNCTION IF EXISTS caravan_payload_words(text)`);
    await db.query(`DROP FUNCTION IF EXISTS caravan_payload_jsonb(text)`);
    await db.query(`DROP INDEX IF EXISTS event_deliveries_endpoint_event`);
    await db.query(`DROP INDEX IF EXISTS events_project_endpoint`);
    await db.query(`DROP INDEX IF EXISTS events_project_source`);
    await db.query(`DROP INDEX IF EXISTS events_project_owner`);
  }
}
