import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffMember } from '../staff/staff-member.entity';
import type { Role } from './roles';

/** A bearer token: only its SHA-256 is stored; the secret is shown once at creation. */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'staff_member_id' })
  staffMemberId: string;

  @ManyToOne(() => StaffMember)
  @JoinColumn({ name: 'staff_member_id' })
  staffMember?: StaffMember;

  @Column('text')
  name: string;

  @Column('text', { name: 'token_hash', select: false })
  tokenHash: string;

  /** The first characters of the secret, so people can tell their tokens apart. */
  @Column('text')
  prefix: string;

  @Column('text', { array: true })
  roles: Role[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
