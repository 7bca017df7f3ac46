import { describe, expect, it } from 'vitest';

import { statusLines } from '../../electron/cli-sync';
import { syncStatusOf } from '../helpers/sync-status';

const STATUS = syncStatusOf({ server: 'http://192.168.1.10:4791', deviceId: 'd1' });

describe('uplift sync status, as lines for a person', () => {
  it('names conflicting fields and tables in Chinese, and shows moments as times', () => {
    const lines = statusLines(
      {
        ...STATUS,
        conflicts: [
          {
            id: 'c1',
            table: 'enterprises',
            rowId: 'e1',
            field: 'contactPhone',
            localValue: '0951-1234567',
            localClock: '',
            remoteValue: null,
            remoteClock: '',
            winner: 'local',
            source: 'server',
            createdAt: 0,
          },
        ],
      },
      false,
    );
    expect(lines).toContain('  企业 e1 联系电话：本机 0951-1234567，对方 （空），采用本机的');
  });

  it('counts the values set aside by reason, in words', () => {
    const lines = statusLines(
      { ...STATUS, deferred: { unknown_field: 2, parent_missing: 1, quarantined: 1 } },
      false,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        '暂时无法应用、已保留的字段：4 个',
        '  较新版本的字段，升级后生效：2 个',
        '  等待所属记录到达：1 个',
        '  quarantined：1 个',
      ]),
    );
  });
});
