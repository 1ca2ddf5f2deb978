import { isEmail } from 'class-validator';
import { DateTime } from 'luxon';
import type { CreateSupportRequestDto } from '../support/support-request.dto';

/** A form field's error: the field's id and the message key (templates/pages/locales, `portal.error.*`). */
export interface FieldError {
  field: string;
  key: string;
}

export type FormValues = Record<string, string>;

const PHONE = /^\+?[0-9 ().-]{3,40}$/;
const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** Strings only (a repeated field counts as its first value), trimmed; anything else is dropped. */
export function formValues(body: unknown, fields: readonly string[]): FormValues {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values: FormValues = {};
  for (const field of fields) {
    const raw = Array.isArray(source[field]) ? (source[field] as unknown[])[0] : source[field];
    values[field] = typeof raw === 'string' ? raw.trim() : '';
  }
  return values;
}

export const ESCALATION_FIELDS = ['reason'] as const;

export function validateEscalation(values: FormValues): FieldError[] {
  if (!values.reason) return [{ field: 'reason', key: 'portal.error.reasonRequired' }];
  if (values.reason.length > 2000) return [{ field: 'reason', key: 'portal.error.tooLong2000' }];
  return [];
}

export const SUPPORT_FIELDS = [
  'contactName',
  'contactEmail',
  'contactPhone',
  'userId',
  'jobNumbers',
  'eventAt',
  'description',
  'errorMessages',
] as const;

/**
 * The handbook's fields as the portal's form sends them, checked with the API's rules and
 * turned into the use case's input. The company is the link's customer, never a form field;
 * the event time is typed in the business time zone (an `<input type="datetime-local">`).
 */
export function parseSupportRequest(
  values: FormValues,
  company: string,
  timezone: string,
  now: Date,
): { errors: FieldError[]; input?: CreateSupportRequestDto } {
  const errors: FieldError[] = [];
  const tooLong = (field: string, max: number) => {
    if (values[field].length > max) errors.push({ field, key: `portal.error.tooLong${max}` });
  };
  if (!values.contactName) errors.push({ field: 'contactName', key: 'portal.error.nameRequired' });
  else tooLong('contactName', 200);
  if (!values.contactEmail) errors.push({ field: 'contactEmail', key: 'portal.error.emailRequired' });
  else if (values.contactEmail.length > 320 || !isEmail(values.contactEmail)) {
    errors.push({ field: 'contactEmail', key: 'portal.error.email' });
  }
  if (values.contactPhone && !PHONE.test(values.contactPhone)) {
    errors.push({ field: 'contactPhone', key: 'portal.error.phone' });
  }
  tooLong('userId', 200);
  tooLong('jobNumbers', 2000);
  let eventAt: Date | undefined;
  if (values.eventAt) {
    const parsed = LOCAL_DATETIME.test(values.eventAt)
      ? DateTime.fromISO(values.eventAt, { zone: timezone })
      : undefined;
    if (!parsed?.isValid) errors.push({ field: 'eventAt', key: 'portal.error.date' });
    else if (parsed.toMillis() > now.getTime() + 5 * 60_000) {
      errors.push({ field: 'eventAt', key: 'portal.error.future' });
    } else eventAt = parsed.toJSDate();
  }
  if (!values.description) errors.push({ field: 'description', key: 'portal.error.descriptionRequired' });
  else tooLong('description', 20000);
  tooLong('errorMessages', 20000);
  if (errors.length) return { errors };
  return {
    errors,
    input: {
      company,
      contactName: values.contactName,
      contactEmail: values.contactEmail,
      contactPhone: values.contactPhone || undefined,
      userId: values.userId || undefined,
      submissionMethod: 'portal',
      jobNumbers: values.jobNumbers || undefined,
      eventAt,
      description: values.description,
      errorMessages: values.errorMessages || undefined,
    },
  };
}
