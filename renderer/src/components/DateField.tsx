import { DatePicker, type DatePickerProps } from 'antd';

import { DATE_FORMAT, dateText, parseDate } from '../dates';

export interface DateFieldProps extends Omit<
  DatePickerProps,
  'value' | 'defaultValue' | 'onChange' | 'onOk' | 'format' | 'picker' | 'multiple'
> {
  /** The date as the API stores it, 'YYYY-MM-DD'; empty or null for none. */
  value?: string | null;
  /** The picked date as 'YYYY-MM-DD', or null when cleared. */
  onChange?: (value: string | null) => void;
}

/**
 * A date picked in antd's Chinese calendar and shown as YYYY-MM-DD (never the browser's
 * mm/dd/yyyy). A person may also type the date and press Enter. Values stay 'YYYY-MM-DD' strings,
 * as the API takes them; inside a Form.Item it is a plain controlled field.
 */
export function DateField({ value, onChange, ...rest }: DateFieldProps) {
  return (
    <DatePicker
      placeholder="年-月-日"
      {...rest}
      format={DATE_FORMAT}
      value={parseDate(value)}
      onChange={(day) => onChange?.(day ? dateText(day) : null)}
    />
  );
}
