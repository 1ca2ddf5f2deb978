import type { EntityManager } from 'typeorm';
import { ValidationError } from '../common/domain-error';
import { StaffMember } from './staff-member.entity';

/** The active staff member `id`, or a 400 naming `field` (e.g. `commanderId`). */
export async function requireActiveStaff(em: EntityManager, id: string, field: string): Promise<StaffMember> {
  const staff = await em.getRepository(StaffMember).findOneBy({ id });
  if (!staff?.active)
    throw ValidationError.field(field, 'exists', `${field} ${id} is not an active staff member`);
  return staff;
}
