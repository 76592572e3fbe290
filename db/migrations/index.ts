/**
 * Every migration, in order. To change the schema add `000N_what.ts` exporting the next version and
 * list it here; never edit a shipped one (tests/db/migrations.test.ts checks the numbering).
 */
import { migration0001 } from './0001_initial';
import type { Migration } from './types';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [migration0001];

export const LATEST_VERSION = MIGRATIONS.length === 0 ? 0 : MIGRATIONS[MIGRATIONS.length - 1]!.version;
