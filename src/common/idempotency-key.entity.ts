import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A POST replayed with the same Idempotency-Key gets the stored response instead of acting twice. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('uuid', { name: 'token_id' })
  tokenId: string;

  @PrimaryColumn('text')
  key: string;

  @Column('text')
  method: string;

  @Column('text')
  path: string;

  @Column('text', { name: 'request_hash' })
  requestHash: string;

  /** Null while the first request is still being served. */
  @Column('integer', { name: 'status_code', nullable: true })
  statusCode: number | null;

  @Column('jsonb', { nullable: true })
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
