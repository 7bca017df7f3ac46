/**
 * The visit's own information (date, type and note) at the top of the visit page; editable while
 * the visit is a draft.
 */
import { App, Input, Radio, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';

import {
  INSPECTION_TYPES,
  type InspectionDetail,
  type InspectionType,
} from '../../../../shared/domain/inspection';
import { api } from '../../api';
import { errorText } from '../../errors';
import { useVisitStore } from '../../stores/visit';
import { DateField } from '../DateField';
import { FoldCard } from '../FoldCard';

/** Date, type and note of the visit; editable while it is a draft. */
export function VisitInfo({ detail }: { detail: InspectionDetail }) {
  const { message } = App.useApp();
  const apply = useVisitStore((s) => s.apply);
  const typeNote = useVisitStore((s) => s.typeNote);
  const { inspection } = detail;
  const disabled = inspection.status !== 'draft';
  const [note, setNote] = useState(inspection.note ?? '');
  const noteFocused = useRef(false);
  // A note from elsewhere (restored from drafts, reloaded) shows unless the box is being typed in.
  useEffect(() => {
    if (!noteFocused.current) setNote(inspection.note ?? '');
  }, [inspection.note]);

  async function update(fields: { date?: string; type?: InspectionType; note?: string | null }) {
    try {
      await apply(() => api.call('inspection.update', { id: inspection.id, ...fields }));
    } catch (e) {
      void message.error(errorText(e));
    }
  }

  const summary = [
    inspection.date,
    inspection.type,
    inspection.note ? `备注：${inspection.note}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  // A finalized visit's date and type are in its header: folded to one line.
  return (
    <FoldCard
      title="检查信息"
      className="visit-info"
      summary={<span title={summary}>{summary}</span>}
      defaultFolded={disabled}
    >
      <Space wrap size={16}>
        <label>
          检查日期{' '}
          <DateField
            aria-label="检查日期"
            value={inspection.date}
            disabled={disabled}
            allowClear={false}
            onChange={(date) => date && date !== inspection.date && void update({ date })}
            style={{ width: 140 }}
          />
        </label>
        <Radio.Group
          aria-label="检查类型"
          optionType="button"
          value={inspection.type}
          disabled={disabled}
          onChange={(e) => void update({ type: e.target.value as InspectionType })}
          options={INSPECTION_TYPES.map((t) => ({ value: t, label: t }))}
        />
      </Space>
      <Input.TextArea
        aria-label="检查备注"
        className="visit-note"
        placeholder="备注（自动保存）"
        value={note}
        disabled={disabled}
        autoSize={{ minRows: 1, maxRows: 4 }}
        maxLength={2000}
        onFocus={() => (noteFocused.current = true)}
        onBlur={() => (noteFocused.current = false)}
        onChange={(e) => {
          setNote(e.target.value);
          typeNote(e.target.value);
        }}
      />
    </FoldCard>
  );
}
