import {
  fireEvent,
  render,
  screen,
  waitFor,
  within,
  type BoundFunctions,
  type queries,
} from '@testing-library/react';

import { setTransport } from '../../renderer/src/api';
import { LibraryPage } from '../../renderer/src/pages/LibraryPage';
import { RegistryPage } from '../../renderer/src/pages/RegistryPage';
import { Providers } from '../../renderer/src/Providers';

import type { fakeTransport } from './fake-transport';

/** Queries bound to a part of the page. */
export type Scope = BoundFunctions<typeof queries>;

/** Renders 企业台账 the way the app does (antd locale, App hooks) over a fake Node side. */
export function renderRegistry(fake: ReturnType<typeof fakeTransport>) {
  setTransport(fake.transport);
  return render(
    <Providers>
      <RegistryPage />
    </Providers>,
  );
}

/** Renders 分级指标库 the same way. */
export function renderLibrary(fake: ReturnType<typeof fakeTransport>) {
  setTransport(fake.transport);
  return render(
    <Providers>
      <LibraryPage />
    </Providers>,
  );
}

/** Queries bound to the open drawer (the toolbar has selects with the same labels). */
export async function openDrawer(buttonName: RegExp | string) {
  fireEvent.click(await screen.findByRole('button', { name: buttonName }));
  return within(await screen.findByRole('dialog'));
}

/** Picks `option` in the antd Select labelled `label`, once it is enabled. */
export async function choose(scope: Scope, label: string, option: string) {
  const input = scope.getByLabelText(label);
  await waitFor(() => {
    if (input.closest('.ant-select')?.classList.contains('ant-select-disabled')) {
      throw new Error(`${label} is still disabled`);
    }
  });
  fireEvent.mouseDown(input);
  const item = await waitFor(() => {
    // The select's own dropdown where its id tells it (two selects may offer the same option);
    // selects without an id of their own all get rc-select's test id, so search everywhere.
    const listId = input.getAttribute('aria-controls');
    const lists = listId ? document.querySelectorAll(`[id="${listId}"]`) : [];
    const own = lists.length === 1 ? lists[0]?.closest('.ant-select-dropdown') : null;
    const found = [
      ...(own ?? document).querySelectorAll<HTMLElement>('.ant-select-item-option'),
    ].find((el) => el.getAttribute('title') === option);
    if (!found) throw new Error(`no option ${option} in ${label}`);
    return found;
  });
  fireEvent.click(item);
}

/** The error text antd shows under a field of the enterprise form (or another form). */
export function fieldHelp(field: string, form = 'enterprise'): string {
  return document.getElementById(`${form}_${field}_help`)?.textContent ?? '';
}
