import { MigrationInterface, QueryRunner } from 'typeorm';

/** An endpoint may present a client certificate (mTLS); its private key is stored sealed. */
export class EndpointClientCertificates1764050000000 implements MigrationInterface {
  name = 'EndpointClientCertificates1764050000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints ADD COLUMN tls jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints DROP COLUMN tls`);
  }
}
