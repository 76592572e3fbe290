/**
 * Date-time strings as cycler software writes them, turned into ISO 8601 local time
 * ("2020-12-11T12:22:12"). Files rarely say their time zone, so none is invented.
 * Numeric dates are month-first (US software: Maccor, PEC) unless told otherwise.
 */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function monthIndex(name: string): number {
  const lower = name.toLowerCase();
  return MONTHS.findIndex((m) => m.startsWith(lower.slice(0, 3)));
}

/** Time of day "16:05:31", "12:22:12 PM", "15:58" → seconds since midnight, or undefined. */
export function parseTimeOfDay(text: string): number | undefined {
  const m = /(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(AM|PM)?/i.exec(text);
  if (!m) return undefined;
  let hours = Number(m[1]);
  const minutes = Number(m[2]);
  const seconds = m[3] ? Number(m[3]) + (m[4] ? Number(m[4]) : 0) : 0;
  const meridian = m[5]?.toUpperCase();
  if (meridian === 'PM' && hours < 12) hours += 12;
  if (meridian === 'AM' && hours === 12) hours = 0;
  if (hours > 23 || minutes > 59 || seconds >= 61) return undefined;
  return hours * 3600 + minutes * 60 + seconds;
}

/** Calendar date in the text → [year, month 1-12, day], or undefined. */
export function parseCalendarDate(
  text: string,
  order: 'mdy' | 'dmy' = 'mdy',
): [number, number, number] | undefined {
  let m = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /(\d{1,2})[/.](\d{1,2})[/.](\d{4})/.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    return order === 'mdy' ? valid(Number(m[3]), a, b) : valid(Number(m[3]), b, a);
  }
  // "11 December 2020" or "November 2, 2016"
  m = /(\d{1,2})\s+([A-Za-z]{3,})\.?,?\s+(\d{4})/.exec(text);
  if (m && monthIndex(m[2]!) >= 0) return valid(Number(m[3]), monthIndex(m[2]!) + 1, Number(m[1]));
  m = /([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})/.exec(text);
  if (m && monthIndex(m[1]!) >= 0) return valid(Number(m[3]), monthIndex(m[1]!) + 1, Number(m[2]));
  return undefined;
}

function valid(year: number, month: number, day: number): [number, number, number] | undefined {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return [year, month, day];
}

/** ISO local date-time from a date and a time of day in seconds. */
export function isoLocal(date: [number, number, number], secondsOfDay = 0): string {
  const whole = Math.floor(secondsOfDay);
  const hh = Math.floor(whole / 3600);
  const mm = Math.floor((whole % 3600) / 60);
  const ss = whole % 60;
  return `${pad(date[0], 4)}-${pad(date[1])}-${pad(date[2])}T${pad(hh)}:${pad(mm)}:${pad(ss)}`;
}

/**
 * "03/31/2016 16:05:31", "11 December 2020, 12:22:12 PM", "2022-04-11 10:58:07 AM" → ISO local, or
 * undefined when the text holds no plausible date.
 */
export function parseDateTime(text: string, order: 'mdy' | 'dmy' = 'mdy'): string | undefined {
  const date = parseCalendarDate(text, order);
  if (!date) return undefined;
  // Look for the time after the date so "2022-04-11" is not read as a time.
  const time = parseTimeOfDay(text.replace(/\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}/, ' '));
  return isoLocal(date, time ?? 0);
}
