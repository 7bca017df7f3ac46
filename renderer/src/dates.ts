import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import 'dayjs/locale/zh-cn';

dayjs.extend(customParseFormat);
// The calendars (antd's DatePicker) speak Chinese: weeks start on Monday, 一二三四五六日.
dayjs.locale('zh-cn');

/** How every date is typed, stored, sent and shown. */
export const DATE_FORMAT = 'YYYY-MM-DD';

/** A stored 'YYYY-MM-DD' as a day the picker holds; null when empty or not such a date. */
export function parseDate(text: string | null | undefined): Dayjs | null {
  if (!text) return null;
  const day = dayjs(text, DATE_FORMAT, true);
  return day.isValid() ? day : null;
}

/** A picked day as the 'YYYY-MM-DD' the API takes. */
export function dateText(day: Dayjs): string {
  return day.format(DATE_FORMAT);
}

/** Today on this device, 'YYYY-MM-DD'. */
export function todayText(): string {
  return dayjs().format(DATE_FORMAT);
}

/** A moment (ms since the epoch) as 'YYYY-MM-DD HH:mm', local time. */
export function dateTimeText(ms: number): string {
  return dayjs(ms).format(`${DATE_FORMAT} HH:mm`);
}

/** A moment (ms since the epoch) as 'YYYY-MM-DD HH:mm:ss', local time. */
export function dateTimeSecondsText(ms: number): string {
  return dayjs(ms).format(`${DATE_FORMAT} HH:mm:ss`);
}

/** A moment (ms since the epoch) as 'HH:mm:ss', local time (e.g. when a save landed). */
export function timeText(ms: number): string {
  return dayjs(ms).format('HH:mm:ss');
}
