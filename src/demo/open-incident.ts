import { simpleParser } from 'mailparser';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MailCatcher } from '../delivery/smtp/mail-catcher';
import { declareAndNotify, IncidentBody, ScenarioApi } from './scenario-api';

const TITLE = 'SFTP uploads time out for part of the mailboxes';

/**
 * An incident left open, so the demo's pages have something live to show: the status page
 * marks SFTP degraded, the board runs its clocks, and the first notice (approved at once) puts
 * a portal link in every impacted contact's mail. Run twice, it reuses the incident.
 */
export async function seedOpenIncident(api: ScenarioApi): Promise<IncidentBody> {
  const existing = (await api.find<IncidentBody>('/incidents')).find(
    (i) => i.title === TITLE && !['resolved', 'closed'].includes(i.status),
  );
  if (existing) return existing;
  return declareAndNotify(api, {
    title: TITLE,
    summary: 'One storage node of the SFTP cluster answers slowly; uploads to its mailboxes time out.',
    serviceKey: 'sftp',
    actions: 'Our engineers are moving the affected mailboxes to a healthy storage node.',
  });
}

/**
 * The portal link from the newest notice about `reference` caught by the built-in mail catcher
 * (embedded default, same data folder), waiting up to `timeoutMs` for the worker to send it.
 * Undefined when mail goes to a real relay: the link is then in the recipients' mailboxes.
 */
export async function portalLinkFromCaughtMail(
  dataDir: string,
  reference: string,
  timeoutMs = 15_000,
): Promise<{ to: string; url: string } | undefined> {
  const dir = join(dataDir, 'mail');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const files = (await MailCatcher.list(dir)).reverse();
    for (const { file } of files) {
      const mail = await simpleParser(await readFile(join(dir, file)));
      if (!mail.subject?.includes(reference)) continue;
      const url = /https?:\/\/\S+\/portal\/[A-Za-z0-9_.-]+/.exec(mail.text ?? '')?.[0];
      const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text;
      if (url) return { to: to ?? '', url };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return undefined;
}
