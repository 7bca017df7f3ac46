import { Typography } from 'antd';

/**
 * A visit's or plan's record number (银川-2026-0012-K7Q3), as people read it aloud and type it
 * into `uplift export visit`: monospaced for the tag, copyable in one click.
 */
export function RecordNumber({ number, label = '编号' }: { number: string; label?: string }) {
  return (
    <Typography.Text
      className="record-number"
      type="secondary"
      copyable={{ text: number, tooltips: ['复制编号', '已复制'] }}
    >
      {label ? `${label} ` : ''}
      <span className="record-number-value">{number}</span>
    </Typography.Text>
  );
}
