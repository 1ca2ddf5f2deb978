import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments stored once per content hash: an RCA copy is its own mail content per contact
 * (its signed link differs), but every contact of a customer gets the same PDF, so a proactive
 * send to thousands of contacts keeps one PDF per customer and language, not one per mail.
 */
export class AttachmentBlobs1764910000000 implements MigrationInterface {
  name = 'AttachmentBlobs1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_attachment_blobs (
        sha256 bytea PRIMARY KEY CHECK (octet_length(sha256) = 32),
        data bytea NOT NULL
      );
      INSERT INTO mail_attachment_blobs (sha256, data)
        SELECT DISTINCT ON (sha256(data)) sha256(data), data FROM mail_attachments;
      ALTER TABLE mail_attachments ADD COLUMN sha256 bytea REFERENCES mail_attachment_blobs(sha256);
      UPDATE mail_attachments SET sha256 = sha256(data);
      ALTER TABLE mail_attachments ALTER COLUMN sha256 SET NOT NULL, DROP COLUMN data;
      CREATE INDEX mail_attachments_sha256 ON mail_attachments (sha256);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE mail_attachments ADD COLUMN data bytea;
      UPDATE mail_attachments a SET data = b.data FROM mail_attachment_blobs b WHERE b.sha256 = a.sha256;
      ALTER TABLE mail_attachments ALTER COLUMN data SET NOT NULL, DROP COLUMN sha256;
      DROP TABLE mail_attachment_blobs;
    `);
  }
}
