import { rm } from 'node:fs/promises';
import type { RunningEmbeddedPostgres } from '../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __tocsinTestPg?: { server: RunningEmbeddedPostgres; root: string } })
    .__tocsinTestPg;
  if (!state) return;
  await state.server.stop();
  await rm(state.root, { recursive: true, force: true });
}
