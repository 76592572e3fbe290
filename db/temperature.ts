/**
 * The temperature of a measurement: the user's value wins, then the file's own record, then its
 * name (`_30C`, `-25degC`, `80 °C`, `60oC`). A bare "C" is only read as °C for whole numbers of two
 * or more digits, so C-rates like `_0.5C` or `_1C` are never taken for temperatures; a name with two
 * different temperatures gives none rather than a guess.
 */
import type { TemperatureSource } from './types';

const EXPLICIT = /(?<![A-Za-z0-9.])(\d{1,3}(?:[.,]\d+)?)\s*(?:°\s*C|º\s*C|deg\s*C|degC|oC)(?![A-Za-z])/gi;
const BARE_C = /(?<![A-Za-z0-9.,])(\d{2,3})C(?![A-Za-z0-9])/g;

/** °C found in a file name, or null when there is none or the name is ambiguous. */
export function temperatureFromFileName(fileName: string): number | null {
  const stem = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const found = new Set<number>();
  for (const match of stem.matchAll(EXPLICIT)) found.add(Number(match[1]!.replace(',', '.')));
  for (const match of stem.matchAll(BARE_C)) found.add(Number(match[1]));
  const values = [...found].filter((c) => Number.isFinite(c) && c >= -100 && c <= 400);
  return values.length === 1 ? values[0]! : null;
}

export function resolveTemperature(
  user_C: number | undefined,
  file_C: number | undefined,
  fileName: string,
): { temperature_K: number | null; source: TemperatureSource | null } {
  if (user_C !== undefined) return { temperature_K: user_C + 273.15, source: 'user' };
  if (file_C !== undefined && Number.isFinite(file_C))
    return { temperature_K: file_C + 273.15, source: 'file' };
  const fromName = temperatureFromFileName(fileName);
  if (fromName !== null) return { temperature_K: fromName + 273.15, source: 'name' };
  return { temperature_K: null, source: null };
}
