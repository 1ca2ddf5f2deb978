import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secrets the service generates for itself (the key that signs customers' links) live in the
 * database, not in one instance's data directory, so every instance behind a load balancer
 * signs and verifies with the same key.
 */
export class AppSecrets1764750000000 implements MigrationInterface {
  name = 'AppSecrets1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_secrets (
        name text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE app_secrets`);
  }
}
