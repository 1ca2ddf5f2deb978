import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ServiceEntity } from './service.entity';

/** A company served by the provider; its subscriptions say which incidents impact it. */
@Entity('customers')
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** Default language of its contacts (ISO 639-1). */
  @Column('text')
  language: string;

  @OneToMany(() => CustomerContact, (contact) => contact.customer)
  contacts?: CustomerContact[];

  @ManyToMany(() => ServiceEntity)
  @JoinTable({
    name: 'customer_subscriptions',
    joinColumn: { name: 'customer_id' },
    inverseJoinColumn: { name: 'service_id' },
  })
  services?: ServiceEntity[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('customer_contacts')
export class CustomerContact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'customer_id' })
  customerId: string;

  @ManyToOne(() => Customer, (customer) => customer.contacts)
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column('text')
  name: string;

  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  phone: string | null;

  /** Overrides the customer's language when set. */
  @Column('text', { nullable: true })
  language: string | null;

  /** Whether this contact receives incident notices. */
  @Column('boolean', { name: 'receives_notices', default: true })
  receivesNotices: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
