import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';

import { DateField } from '../../renderer/src/components/DateField';
import { Providers } from '../../renderer/src/Providers';

/** A DateField holding its value as the forms do: a 'YYYY-MM-DD' string or null. */
function Harness({ initial, seen }: { initial: string | null; seen: (string | null)[] }) {
  const [value, setValue] = useState(initial);
  return (
    <DateField
      aria-label="完成期限"
      value={value}
      onChange={(v) => {
        seen.push(v);
        setValue(v);
      }}
    />
  );
}

function renderField(initial: string | null) {
  const seen: (string | null)[] = [];
  render(
    <Providers>
      <Harness initial={initial} seen={seen} />
    </Providers>,
  );
  return { input: screen.getByLabelText<HTMLInputElement>('完成期限'), seen };
}

describe('DateField', () => {
  it('shows a stored date as YYYY-MM-DD', () => {
    expect(renderField('2027-06-30').input.value).toBe('2027-06-30');
  });

  it('shows an empty box with a Chinese hint when there is no date', () => {
    const { input } = renderField(null);
    expect(input.value).toBe('');
    expect(input.placeholder).toBe('年-月-日');
  });

  it('ignores a stored value that is not a YYYY-MM-DD date', () => {
    expect(renderField('06/30/2027').input.value).toBe('');
  });

  it('hands a typed date on as the YYYY-MM-DD string the API takes', async () => {
    const { input, seen } = renderField('2026-11-18');
    fireEvent.mouseDown(input);
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: '2027-01-15' } });
    fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' });
    await waitFor(() => expect(seen).toEqual(['2027-01-15']));
    expect(input.value).toBe('2027-01-15');
  });

  it('opens a calendar in Chinese: weeks from Monday', async () => {
    const { input } = renderField('2026-11-18');
    fireEvent.mouseDown(input);
    fireEvent.click(input);
    const head = await waitFor(() => {
      const th = document.querySelector('.ant-picker-dropdown .ant-picker-content thead');
      if (!th) throw new Error('no calendar');
      return th;
    });
    expect(head.textContent).toBe('一二三四五六日');
    expect(document.querySelector('.ant-picker-header-view')?.textContent).toBe('2026年11月');
  });
});
