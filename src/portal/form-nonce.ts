import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { Clock } from '../common/clock';
import { SignedLinks } from '../links/signed-links';

/** How long a portal form may stay open before it is submitted (a working day). */
export const FORM_NONCE_TTL_MS = 12 * 3600_000;

export type NonceCheck = { ok: true; issuedAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * The portal's CSRF defence beside the link token in the path (README, "Customer portal"): each
 * form carries `<issued-at>.<HMAC(link token, form, issued-at)>`. Without cookies there is no
 * session to ride on; a page that does not hold the link cannot build a nonce, a nonce made for
 * one link or one form fails for any other, and it expires. Its issue time also tells a second
 * submission of the same rendered form (a double click, a reload) from a new one.
 */
@Injectable()
export class FormNonces {
  constructor(
    private readonly links: SignedLinks,
    private readonly clock: Clock,
  ) {}

  issue(token: string, form: string): string {
    const issued = this.clock.now().getTime().toString(36);
    return `${issued}.${this.tag(token, form, issued)}`;
  }

  check(token: string, form: string, nonce: unknown): NonceCheck {
    const [issued, tag, extra] = typeof nonce === 'string' ? nonce.split('.') : [];
    if (!issued || !tag || extra !== undefined || !/^[0-9a-z]{1,12}$/.test(issued)) {
      return { ok: false, reason: 'invalid' };
    }
    const expected = Buffer.from(this.tag(token, form, issued));
    const given = Buffer.from(tag);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'invalid' };
    }
    const issuedAt = new Date(parseInt(issued, 36));
    const age = this.clock.now().getTime() - issuedAt.getTime();
    if (age > FORM_NONCE_TTL_MS || age < -60_000) return { ok: false, reason: 'expired' };
    return { ok: true, issuedAt };
  }

  private tag(token: string, form: string, issued: string): string {
    return this.links.tag('portal-form', `${token}|${form}|${issued}`);
  }
}
