/** The only two IPC channels. Method and event names come from the contract, never from here. */
export const INVOKE_CHANNEL = 'api:invoke';
export const EVENT_CHANNEL = 'api:event';
