import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change to a project, an endpoint or a subscription is announced on the
 * `caravan_config_changes` channel as `<table>:<project id>:<row id>`, whichever process or
 * statement made it (cascaded deletes too). Agents keep what deliveries read of them in memory
 * and drop an entry when its row is announced (ConfigChanges).
 */
export class ConfigChangeNotifications1764240000000 implements MigrationInterface {
  name = 'ConfigChangeNotifications1764240000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION caravan_announce_config_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed jsonb := to_jsonb(COALESCE(NEW, OLD));
      BEGIN
        -- TG_ARGV[0]: the column holding the row's project id.
        PERFORM pg_notify('caravan_config_changes',
          TG_TABLE_NAME || ':' || (changed ->> TG_ARGV[0]) || ':' || (changed ->> 'id'));
        RETURN NULL;
      END $$`);
    for (const [table, projectColumn] of Object.entries(PROJECT_COLUMNS)) {
      await db.query(`
        CREATE TRIGGER ${table}_announce_change AFTER INSERT OR UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION caravan_announce_config_change('${projectColumn}')`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of Object.keys(PROJECT_COLUMNS)) await db.query(`DROP TRIGGER ${table}_announce_change ON ${table}`);
    await db.query(`DROP FUNCTION caravan_announce_config_change()`);
  }
}

const PROJECT_COLUMNS = { projects: 'id', endpoints: 'project_id', subscriptions: 'project_id' };
