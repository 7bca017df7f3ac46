import type { AuthUser } from '../../auth/tokens';

/**
 * What the steps of a push share: who pushes (PushContext), why an op is parked (Park) and a
 * conflict a merge recorded (ConflictRecord).
 */

export interface Park {
  code:
    | 'forbidden'
    | 'role'
    | 'immutable'
    | 'invalid'
    | 'unknown_table'
    | 'parent_missing'
    | 'clock'
    /** A second decision of one review step, or a second edition number: the first is kept. */
    | 'duplicate';
  reason: string;
}

export interface ConflictRecord {
  table: string;
  rowId: string;
  field: string;
  losingValue: unknown;
  losingClock: string;
  winningClock: string;
  deviceId: string;
}

export interface PushContext {
  user: AuthUser;
  now: number;
  newId: () => string;
  /**
   * The ops are another device's, carried here on a USB bundle and relayed by this user's
   * device: accepted for a device the store has not met (it becomes this user's) or one of this
   * user's own, never for another account's device (its sequence is not ours to fill).
   */
  relay?: boolean;
}
