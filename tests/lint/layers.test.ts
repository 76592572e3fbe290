/**
 * The layer rule fails the build: a file in app/ that imports electron or node:fs (or climbs into
 * db/), or a renderer file that imports node:*, is reported by scripts/check-layers.mjs and by Biome.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

const probeDir = join(REPO_ROOT, 'app', '__layer_probe__');
const rendererProbeDir = join(REPO_ROOT, 'renderer', '__layer_probe__');

function checkLayers(): { status: number; output: string } {
  const run = spawnSync('node', ['scripts/check-layers.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

function biome(path: string): { status: number; output: string } {
  const run = spawnSync('npx', ['biome', 'lint', path], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

afterEach(() => {
  rmSync(probeDir, { recursive: true, force: true });
  rmSync(rendererProbeDir, { recursive: true, force: true });
});

describe('layer rule', () => {
  it('passes on the tree as it is', () => {
    expect(() => execFileSync('node', ['scripts/check-layers.mjs'], { cwd: REPO_ROOT })).not.toThrow();
  });

  it.each([
    ["import { app } from 'electron';", 'electron'],
    ["import { readFileSync } from 'node:fs';", 'node:fs'],
    ["import { readFileSync } from 'fs';", 'fs'],
    ["const fs = await import('node:fs');", 'node:fs'],
    ["import { openLibrary } from '../../db/library';", 'db/'],
  ])('fails when app/ has %s', (source, culprit) => {
    mkdirSync(probeDir, { recursive: true });
    const file = join(probeDir, 'probe.ts');
    writeFileSync(file, `${source}\nexport const probe = 1;\n`);
    const result = checkLayers();
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(culprit);
    if (!source.includes('db/')) expect(biome(file).status).not.toBe(0);
  });

  it('fails when renderer/ imports node:path', () => {
    mkdirSync(rendererProbeDir, { recursive: true });
    writeFileSync(
      join(rendererProbeDir, 'probe.ts'),
      "import { join } from 'node:path';\nexport const probe = join;\n",
    );
    const result = checkLayers();
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('node:path');
  });
});
