import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

/**
 * jsdom lacks pieces antd relies on: matchMedia (responsive observers), ResizeObserver (tables,
 * overflow) and getComputedStyle for pseudo-elements (scrollbar measurement).
 */

if (typeof window.matchMedia !== 'function') {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    writable: true,
    value: (query: string): MediaQueryList => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });
}

if (typeof window.ResizeObserver !== 'function') {
  class ResizeObserverStub implements ResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.defineProperty(window, 'ResizeObserver', {
    configurable: true,
    writable: true,
    value: ResizeObserverStub,
  });
  Object.defineProperty(globalThis, 'ResizeObserver', {
    configurable: true,
    writable: true,
    value: ResizeObserverStub,
  });
}

// jsdom throws "Not implemented" for a pseudo-element argument; answer with the element's style.
const computedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element, _pseudoElement?: string | null) =>
  computedStyle(element);

if (typeof Element.prototype.scrollIntoView !== 'function') {
  Element.prototype.scrollIntoView = () => undefined;
}

// @testing-library/react cleans up by itself only when test globals are on; they are not here.
afterEach(() => {
  cleanup();
});

// antd's first render in jsdom (CSS-in-JS) is slow; give UI tests room on a busy machine.
vi.setConfig({ testTimeout: 20_000 });
