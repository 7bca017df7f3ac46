/**
 * Moments (epoch milliseconds) as people read them on this device, in its time zone: the one
 * place that pads months, days, hours and minutes for the services, the CLI and shared wording
 * (the screens format with dayjs in renderer/src/dates.ts; the PDFs print China time,
 * electron/services/pdf/format.ts).
 */

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The local calendar day, YYYY-MM-DD. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** The local day and time to the second, YYYY-MM-DD HH:mm:ss. */
export function localDateTime(ms: number): string {
  const d = new Date(ms);
  return `${localDate(ms)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** The local day and minute for a file name, YYYYMMDD-HHmm. */
export function fileStamp(ms: number): string {
  const d = new Date(ms);
  return `${localDate(ms).replaceAll('-', '')}-${pad2(d.getHours())}${pad2(d.getMinutes())}`;
}
