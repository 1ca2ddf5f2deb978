import { simpleParser } from 'mailparser';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../config/app-config';
import { MailCatcher } from './mail-catcher';

/**
 * `npm run mail:list [-- --last N]`: what the built-in mail catcher received (embedded default),
 * newest last: time, recipient, subject and the .eml file to open.
 */
async function list(): Promise<void> {
  const dir = join(loadConfig().dataDir, 'mail');
  const lastFlag = process.argv.indexOf('--last');
  const last = lastFlag > 0 ? Number(process.argv[lastFlag + 1]) : 50;
  const files = (await MailCatcher.list(dir)).slice(-last);
  if (files.length === 0) {
    console.log(`No mail in ${dir} yet.`);
    return;
  }
  for (const { file } of files) {
    const mail = await simpleParser(await readFile(join(dir, file)));
    const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
    console.log(
      `${mail.date?.toISOString() ?? '?'}  ${to.padEnd(40)}  ${mail.subject ?? ''}\n    ${join(dir, file)}`,
    );
  }
  console.log(`${files.length} message(s) shown from ${dir}`);
}

list().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
