import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { lockName } from '../common/advisory-lock';
import { ConflictError, NotFoundError } from '../common/domain-error';
import { Page } from '../common/pagination';
import { notifySessionEnd } from '../live/notify-session';
import { CreateStaffMemberDto, UpdateStaffMemberDto } from './staff.dto';
import { StaffMember } from './staff-member.entity';

@Injectable()
export class StaffService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(input: CreateStaffMemberDto): Promise<StaffMember> {
    return this.db.transaction(async (em) => {
      await this.assertEmailFree(em, input.email);
      return em
        .getRepository(StaffMember)
        .save({ name: input.name, email: input.email, phone: input.phone ?? null });
    });
  }

  async list(limit: number, offset: number): Promise<Page<StaffMember>> {
    const [items, total] = await this.db
      .getRepository(StaffMember)
      .findAndCount({ order: { name: 'ASC', id: 'ASC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }

  async get(id: string): Promise<StaffMember> {
    const staff = await this.db.getRepository(StaffMember).findOneBy({ id });
    if (!staff) throw new NotFoundError('staff_member', id);
    return staff;
  }

  async update(id: string, input: UpdateStaffMemberDto): Promise<StaffMember> {
    return this.db.transaction(async (em) => {
      const staff = await em
        .getRepository(StaffMember)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!staff) throw new NotFoundError('staff_member', id);
      if (input.email && input.email.toLowerCase() !== staff.email.toLowerCase()) {
        await this.assertEmailFree(em, input.email);
      }
      const deactivated = staff.active && input.active === false;
      Object.assign(staff, input);
      const saved = await em.getRepository(StaffMember).save(staff);
      // Their tokens stop working at commit; so do their open board streams, on every instance.
      if (deactivated) await notifySessionEnd(em, { staffMemberId: id });
      return saved;
    });
  }

  private async assertEmailFree(em: EntityManager, email: string): Promise<void> {
    await lockName(em, `staff:${email.toLowerCase()}`);
    const taken = await em
      .getRepository(StaffMember)
      .createQueryBuilder('s')
      .where('lower(s.email) = lower(:email)', { email })
      .getExists();
    if (taken)
      throw new ConflictError(
        'staff_member.email_taken',
        `A staff member with e-mail ${email} already exists`,
      );
  }
}
