import { customerEdition, redactNames } from './customer-edition';
import { sampleModel, SECRETS } from './rca-model.fixture';

describe('redactNames', () => {
  it('replaces whole names, any case and spacing, and keeps the recipient', () => {
    expect(
      redactNames(
        'Example Retail  Ltd and example retail ltd; Acme too',
        ['Example Retail Ltd'],
        'Acme',
        'X',
      ),
    ).toBe('X and X; Acme too');
  });

  it('takes the longest name first so a recipient inside another name stays only on its own', () => {
    expect(redactNames('Acme Logistics called Acme', ['Acme Logistics'], 'Acme', 'another customer')).toBe(
      'another customer called Acme',
    );
    expect(redactNames('Acme called Acme Logistics', ['Acme'], 'Acme Logistics', 'X')).toBe(
      'X called Acme Logistics',
    );
  });

  it('does not touch a name inside a longer word, handles accents and regex characters', () => {
    expect(redactNames('Orangeade from Orange', ['Orange'], null, 'X')).toBe('Orangeade from X');
    expect(redactNames('Œuvres Lumière et œuvres lumière', ['Œuvres Lumière'], null, 'X')).toBe('X et X');
    expect(redactNames('A+B (Europe) said', ['A+B (Europe)'], null, 'X')).toBe('X said');
  });

  it('leaves the text alone without names', () => {
    expect(redactNames('nothing to hide', [], null, 'X')).toBe('nothing to hide');
    expect(redactNames('', ['Acme'], null, 'X')).toBe('');
  });
});

describe('customerEdition', () => {
  const model = sampleModel();
  const edition = customerEdition(model, {
    recipient: { id: 'c1', name: 'Transports Exemple SA' },
    otherCustomerNames: ['Unimpacted Partner GmbH'],
    language: 'fr',
  });
  const json = JSON.stringify(edition);

  it('gives a breach the kind as its title, and keeps the title of a disruption', () => {
    expect(edition.incident.title).toBe('Incident de sécurité');
    const disruption = customerEdition(sampleModel('service_disruption'), {
      recipient: { id: 'c1', name: 'Transports Exemple SA' },
      otherCustomerNames: [],
      language: 'en',
    });
    expect(disruption.incident.title).toBe('Défaillance à l’arrêt — équipe AS2 & <script>alert(1)</script>');
  });

  it('drops every internal field', () => {
    expect(edition.internal).toBeNull();
    expect(edition.resolutionSummary).toBeNull();
    expect(edition.incident.summary).toBe('');
    for (const secret of Object.values(SECRETS)) expect(json).not.toContain(secret);
    for (const m of [...edition.measuresTaken, ...edition.measuresPlanned]) {
      expect(m.owner).toBe('');
      expect(m.trackerUrl).toBeNull();
    }
  });

  it('names no other customer anywhere, keeps the recipient and the count', () => {
    expect(json).not.toMatch(/Example Retail Ltd/i);
    expect(json).not.toMatch(/Œuvres Lumière/i);
    expect(edition.impactedCustomers).toEqual([{ id: 'c1', name: 'Transports Exemple SA' }]);
    expect(edition.impactedCustomerCount).toBe(3);
    expect(edition.rootCauses).toContain(
      'A certificate renewal for un autre client replaced the shared chain',
    );
    expect(edition.contributingFactors).toContain('un autre client and Transports Exemple SA');
    expect(edition.measuresTaken[0].title).toBe('Restore the chain for un autre client');
  });

  it('redacts the names it is given besides the impacted ones, and does not change the model', () => {
    const other = customerEdition(
      { ...model, rootCauses: 'Unimpacted Partner GmbH saw it too' },
      {
        recipient: { id: 'zz', name: 'Granted Customer' },
        otherCustomerNames: ['Unimpacted Partner GmbH'],
        language: 'en',
      },
    );
    expect(other.rootCauses).toBe('another customer saw it too');
    expect(other.impactedCustomers).toEqual([]);
    expect(model.internal?.internalNotes).toBe(SECRETS.internalNote);
  });
});
