/** Every command of shared/docs/cli.md is registered, and `elyte` alone says how to use it (exit 2). */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, elyte } from './support';

const CONTRACT = [
  'inspect',
  'fit',
  'conductivity',
  'arrhenius',
  'transference',
  'lsv',
  'ccd',
  'symmetric',
  'cycling',
  'import',
  'demo',
  'kk',
  'drt',
  'samples',
  'report',
  'backup',
  'restore',
  'export',
  'import-folder',
];

describe('elyte usage', () => {
  let help: CliRun;
  let bare: CliRun;
  beforeAll(async () => {
    [help, bare] = await Promise.all([elyte(['--help']), elyte([])]);
  });

  it('--help lists every command of the contract, exit 0', () => {
    expect(help.code).toBe(0);
    const listed = /commands: (.*)/.exec(help.stdout)?.[1]?.split(', ') ?? [];
    expect(listed).toEqual(expect.arrayContaining(CONTRACT));
  });

  it('no command at all is bad input (exit 2) and prints the usage', () => {
    expect(bare.code).toBe(2);
    expect(bare.stdout).toMatch(/^usage: elyte <command>/);
  });
});
