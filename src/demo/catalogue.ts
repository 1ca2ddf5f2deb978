/**
 * The demo catalogue: a business-messaging provider's services and a dozen fictional
 * customers across the handbook's languages. Names are invented; addresses are example.com/.net.
 */
export const DEMO_SERVICES = [
  { key: 'as2-gateway', name: 'AS2 gateway', description: 'Inbound and outbound AS2 messaging' },
  { key: 'sftp', name: 'SFTP file transfer', description: 'Managed SFTP mailboxes' },
  { key: 'email-relay', name: 'E-mail relay', description: 'Transactional e-mail relay' },
  { key: 'fax', name: 'Fax gateway', description: 'Fax to e-mail and e-mail to fax' },
  { key: 'portal', name: 'Customer portal', description: 'Web portal for document tracking' },
  { key: 'edi-translator', name: 'EDI translator', description: 'EDIFACT / X12 translation' },
  { key: 'notification-api', name: 'Notification API', description: 'SMS and push notification API' },
];

export const DEMO_STAFF = [
  { name: 'Duty incident commander', email: 'commander@example.com', roles: ['commander'] },
  { name: 'Customer-notification lead', email: 'notifications@example.com', roles: ['notifier'] },
  { name: 'Investigation lead', email: 'investigation@example.com', roles: ['investigator'] },
  { name: 'Post-mortem facilitator', email: 'postmortem@example.com', roles: ['postmortem'] },
  { name: 'Customer support desk agent', email: 'support-desk@example.com', roles: ['support'] },
] as const;

type Lang = 'fr' | 'en' | 'de' | 'it' | 'es';

function customer(
  name: string,
  language: Lang,
  domain: string,
  services: string[],
  contacts: [string, string][],
) {
  return {
    name,
    language,
    services,
    contacts: contacts.map(([title, local]) => ({ name: title, email: `${local}@${domain}` })),
  };
}

export const DEMO_CUSTOMERS = [
  customer(
    'Transports Exemple SA',
    'fr',
    'transports.example.com',
    ['as2-gateway', 'edi-translator'],
    [
      ['Responsable exploitation informatique', 'exploitation'],
      ['Coordinateur EDI', 'edi'],
    ],
  ),
  customer(
    'Pharmacie Centrale Exemple',
    'fr',
    'pharma.example.net',
    ['fax', 'email-relay'],
    [['Directrice des systèmes d’information', 'dsi']],
  ),
  customer(
    'Grande Distribution Exemple',
    'fr',
    'distribution.example.com',
    ['as2-gateway', 'sftp', 'portal'],
    [
      ['Chef de projet EDI', 'projet-edi'],
      ['Support applicatif', 'support'],
    ],
  ),
  customer(
    'Example Retail Ltd',
    'en',
    'retail.example.com',
    ['as2-gateway', 'portal'],
    [
      ['Head of IT operations', 'it-ops'],
      ['Supply chain systems manager', 'supply-chain'],
    ],
  ),
  customer(
    'Example Insurance plc',
    'en',
    'insurance.example.net',
    ['email-relay', 'notification-api'],
    [['Service desk manager', 'service-desk']],
  ),
  customer(
    'Example Components Ltd',
    'en',
    'components.example.com',
    ['sftp', 'edi-translator'],
    [['Integration lead', 'integration']],
  ),
  customer(
    'Beispiel Logistik GmbH',
    'de',
    'logistik.example.com',
    ['as2-gateway', 'sftp'],
    [
      ['Leiter IT-Betrieb', 'it-betrieb'],
      ['EDI-Koordinatorin', 'edi'],
    ],
  ),
  customer(
    'Beispiel Maschinenbau AG',
    'de',
    'maschinenbau.example.net',
    ['edi-translator', 'portal'],
    [['Leiterin Anwendungsbetreuung', 'anwendungen']],
  ),
  customer(
    'Esempio Trasporti SpA',
    'it',
    'trasporti.example.com',
    ['as2-gateway', 'fax'],
    [['Responsabile sistemi informativi', 'sistemi']],
  ),
  customer(
    'Esempio Moda Srl',
    'it',
    'moda.example.net',
    ['portal', 'email-relay'],
    [['Coordinatore EDI', 'edi']],
  ),
  customer(
    'Ejemplo Distribución SL',
    'es',
    'distribucion.example.com',
    ['sftp', 'as2-gateway'],
    [['Jefa de operaciones TI', 'operaciones']],
  ),
  customer(
    'Ejemplo Salud SA',
    'es',
    'salud.example.net',
    ['fax', 'notification-api'],
    [['Responsable de soporte', 'soporte']],
  ),
];
