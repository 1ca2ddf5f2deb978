import { formValues, parseSupportRequest, SUPPORT_FIELDS, validateEscalation } from './portal-forms';

const NOW = new Date('2026-03-02T12:00:00Z');

function values(extra: Record<string, string> = {}) {
  return formValues(
    {
      contactName: ' Head of operations ',
      contactEmail: 'ops@retail.example.com',
      description: 'Blocked',
      ...extra,
    },
    SUPPORT_FIELDS,
  );
}

describe('portal forms', () => {
  it('keeps trimmed strings only, the first of a repeated field', () => {
    expect(formValues({ reason: ['  first ', 'second'], other: 'x' }, ['reason', 'missing'])).toEqual({
      reason: 'first',
      missing: '',
    });
    expect(formValues({ reason: { $ne: 1 } }, ['reason'])).toEqual({ reason: '' });
  });

  it('wants a reason to escalate, 2,000 characters at most', () => {
    expect(validateEscalation({ reason: '' })).toEqual([
      { field: 'reason', key: 'portal.error.reasonRequired' },
    ]);
    expect(validateEscalation({ reason: 'x'.repeat(2001) })).toEqual([
      { field: 'reason', key: 'portal.error.tooLong2000' },
    ]);
    expect(validateEscalation({ reason: 'Orders blocked' })).toEqual([]);
  });

  it('turns the support form into a portal request of the link’s company, the time read in the business zone', () => {
    const { errors, input } = parseSupportRequest(
      values({ eventAt: '2026-03-02T09:40', jobNumbers: 'JOB-1' }),
      'Example Retail Ltd',
      'Europe/Paris',
      NOW,
    );
    expect(errors).toEqual([]);
    expect(input).toEqual({
      company: 'Example Retail Ltd',
      contactName: 'Head of operations',
      contactEmail: 'ops@retail.example.com',
      contactPhone: undefined,
      userId: undefined,
      submissionMethod: 'portal',
      jobNumbers: 'JOB-1',
      eventAt: new Date('2026-03-02T08:40:00Z'),
      description: 'Blocked',
      errorMessages: undefined,
    });
  });

  it('names every wrong field', () => {
    const { errors, input } = parseSupportRequest(
      values({
        contactName: '',
        contactEmail: 'not-an-address',
        contactPhone: 'call me',
        eventAt: '2026-03-02T14:00',
        description: '',
      }),
      'Example Retail Ltd',
      'Europe/Paris',
      NOW,
    );
    expect(input).toBeUndefined();
    expect(errors).toEqual([
      { field: 'contactName', key: 'portal.error.nameRequired' },
      { field: 'contactEmail', key: 'portal.error.email' },
      { field: 'contactPhone', key: 'portal.error.phone' },
      { field: 'eventAt', key: 'portal.error.future' },
      { field: 'description', key: 'portal.error.descriptionRequired' },
    ]);
    expect(parseSupportRequest(values({ eventAt: 'yesterday' }), 'C', 'Europe/Paris', NOW).errors).toEqual([
      { field: 'eventAt', key: 'portal.error.date' },
    ]);
  });
});
