import { Foundation1764300000000 } from './1764300000000-foundation';

/** In order. Add each new migration here; the service runs pending ones at start-up. */
export const MIGRATIONS = [Foundation1764300000000];
