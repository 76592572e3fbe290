/**
 * electron-builder configuration (`npm run dist`): AppImage and deb for Linux, NSIS for Windows,
 * dmg for macOS. Native modules are rebuilt for Electron's ABI, and better-sqlite3's .node binary is
 * unpacked from the asar (a native addon cannot be loaded from inside an archive).
 */
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'org.elyte.workbench',
  productName: 'Elyte',
  copyright: 'Elyte contributors',
  directories: { output: 'release', buildResources: 'build' },
  // dist/electron/node_modules is the `npm start` development copy; packages get electron-builder's own rebuild.
  files: [
    'dist/**/*',
    'package.json',
    '!**/*.map',
    '!**/*.ts',
    '!dist/electron/node_modules/**',
    '!dist/electron/package.json',
  ],
  extraResources: [{ from: 'examples/reference-study', to: 'examples/reference-study' }],
  asar: true,
  asarUnpack: ['**/node_modules/better-sqlite3/**/*.node'],
  npmRebuild: true,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  fileAssociations: [
    { ext: 'mpt', name: 'BioLogic EC-Lab text', role: 'Viewer' },
    { ext: 'mpr', name: 'BioLogic EC-Lab data', role: 'Viewer' },
    { ext: 'DTA', name: 'Gamry data', role: 'Viewer' },
    { ext: 'nda', name: 'Neware data', role: 'Viewer' },
    { ext: 'res', name: 'Arbin data', role: 'Viewer' },
  ],
  linux: { target: ['AppImage', 'deb'], category: 'Science', maintainer: 'Elyte contributors' },
  deb: { depends: ['libnss3', 'libgtk-3-0'] },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.education', hardenedRuntime: true },
};

export default config;
