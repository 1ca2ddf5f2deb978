export const ROLES = ['admin', 'commander', 'notifier', 'investigator', 'postmortem', 'support'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the bearer token by the auth guard, recorded on every change. */
export interface Actor {
  staffMemberId: string;
  name: string;
  tokenId: string;
  roles: Role[];
}

export function isAdmin(actor: Actor): boolean {
  return actor.roles.includes('admin');
}
