import type { FormatReader } from '../../../measurement';
import { maccorRawReader, maccorTextReader } from './cycling';
import { maccorEisReader } from './eis';

/** Maccor raw data, text export and FRA impedance export. */
export const maccorReaders: FormatReader[] = [maccorRawReader, maccorTextReader, maccorEisReader];
