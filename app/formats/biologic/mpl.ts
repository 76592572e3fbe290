/**
 * EC-Lab / BT-Lab log files (.mpl) hold the settings and the acquisition log of a run, but no data
 * points. They are recognised so a technician gets a specific answer instead of "unknown format".
 */
import { ElyteError } from '../../errors';
import type { FormatReader } from '../../measurement';
import { headText } from '../text';
import { readHeaderLines } from './header';

const MAGIC = /^\uFEFF?(EC-Lab|BT-Lab) LOG FILE\s*$/i;

export const biologicMplReader: FormatReader = {
  id: 'biologic-mpl',
  label: 'BioLogic EC-Lab / BT-Lab log (.mpl, settings only)',
  extensions: ['mpl'],
  sniff(head) {
    const firstLine = headText(head, 256).split(/\r\n|\n|\r/, 1)[0] ?? '';
    return MAGIC.test(firstLine) ? 1 : 0;
  },
  parse(bytes, fileName) {
    // Read what the log says so the message can name the run's technique.
    const lines = headText(bytes, 65536).split(/\r\n|\n|\r/);
    const technique = readHeaderLines(lines.slice(1)).technique?.name;
    const what = technique ? `the ${technique} run's settings and log` : 'settings and a log';
    throw new ElyteError(
      'unsupported',
      `this is an EC-Lab/BT-Lab log file (.mpl): it holds ${what} but no data points. ` +
        'Open the .mpr file of the same run (same name, .mpr) or its .mpt text export instead.',
      { file: fileName },
    );
  },
};
