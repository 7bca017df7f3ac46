import type { EventName, Events } from '../../shared/api/contract';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** Fans events from services out to whichever transport is attached (IPC, the HTTP host). */
export interface EventHub {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const l of listeners) l(event, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
