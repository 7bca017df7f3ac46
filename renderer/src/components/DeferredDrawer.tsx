import {
  Alert,
  Drawer,
  Empty,
  Space,
  Table,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';

import type { DeferredRowInfo, DeferredValueInfo } from '../../../shared/sync/status';
import {
  clockTime,
  deferReasonText,
  localTimeText,
  syncFieldName,
  syncSourceDevice,
  syncSourceText,
  syncTableName,
  syncValueText,
} from '../../../shared/sync/wording';
import { useDeferred } from '../queries';

/** Rows per page of the list. */
export const DEFERRED_PAGE_SIZE = 50;
/** A value longer than this shows shortened, whole in its tooltip. */
const SHORT_VALUE = 40;
/** A tooltip shows at most this much of a value (a ruleset's JSON runs to many pages). */
const TOOLTIP_VALUE = 2000;

/** A field's value as a cell shows it: shortened when long, with the whole of it in a tooltip. */
export function ShortValue({ field, value }: { field: string; value: unknown }) {
  const text = syncValueText(field, value);
  const chars = [...text];
  if (chars.length <= SHORT_VALUE) return <span className="deferred-value">{text}</span>;
  const full =
    chars.length <= TOOLTIP_VALUE
      ? text
      : `${chars.slice(0, TOOLTIP_VALUE).join('')}…（共 ${chars.length} 字）`;
  return (
    <Tooltip title={<span className="deferred-tooltip">{full}</span>}>
      <span className="deferred-value" tabIndex={0}>
        {chars.slice(0, SHORT_VALUE).join('')}…
      </span>
    </Tooltip>
  );
}

/** The first block of an id (enough to tell rows apart on one screen), whole in a tooltip. */
function ShortId({ id }: { id: string }) {
  const short = id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
  return (
    <Tooltip title={id}>
      <Typography.Text type="secondary" className="deferred-id">
        {short}
      </Typography.Text>
    </Tooltip>
  );
}

function SourceText({ source }: { source: string }) {
  const device = syncSourceDevice(source);
  const text = syncSourceText(source);
  return device ? (
    <Tooltip title={`来自设备 ${device}`}>
      <span>{text}</span>
    </Tooltip>
  ) : (
    <span>{text}</span>
  );
}

/** A field by its Chinese name, its code name in a tooltip. */
export function FieldName({ table, field }: { table: string; field: string }) {
  const name = syncFieldName(table, field);
  return name === field ? (
    <span>{field}</span>
  ) : (
    <Tooltip title={field}>
      <span>{name}</span>
    </Tooltip>
  );
}

function FieldList({ table, fields }: { table: string; fields: readonly DeferredValueInfo[] }) {
  return (
    <ul className="deferred-fields">
      {fields.map((f) => (
        <li key={f.field}>
          <Typography.Text type="secondary">
            <FieldName table={table} field={f.field} />：
          </Typography.Text>
          <ShortValue field={f.field} value={f.value} />
        </li>
      ))}
    </ul>
  );
}

export interface DeferredDrawerProps {
  open: boolean;
  onClose: () => void;
  /** Changes whenever what is set aside may have changed (the status' counts): the list reloads. */
  version: string;
}

/** 暂未应用的数据: the remote values this device keeps until they can apply, by record. */
export function DeferredDrawer({ open, onClose, version }: DeferredDrawerProps) {
  const [page, setPage] = useState(1);
  const { data, error, loading } = useDeferred(open, page, DEFERRED_PAGE_SIZE, version);

  // Values applied while the list was open: a page past the end goes back to the last one
  // (adjusted while rendering, as React advises for state that follows an answer).
  const lastPage = Math.max(1, Math.ceil((data?.total ?? 0) / DEFERRED_PAGE_SIZE));
  if (data && page > lastPage) setPage(lastPage);

  const columns: TableColumnsType<DeferredRowInfo> = [
    {
      title: '记录',
      key: 'record',
      width: 190,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <span className="deferred-label">{r.label ?? syncTableName(r.table)}</span>
          <ShortId id={r.rowId} />
        </Space>
      ),
    },
    { title: '内容', key: 'table', width: 96, render: (_, r) => syncTableName(r.table) },
    {
      title: '原因',
      key: 'reasons',
      width: 180,
      render: (_, r) => (
        <Space orientation="vertical" size={2}>
          {r.reasons.map((reason) => (
            <span key={reason}>{deferReasonText(reason)}</span>
          ))}
        </Space>
      ),
    },
    {
      title: '字段与值',
      key: 'fields',
      render: (_, r) => <FieldList table={r.table} fields={r.fields} />,
    },
    {
      title: '修改时间',
      key: 'clock',
      width: 150,
      render: (_, r) => (
        <Tooltip title={`本机收到：${localTimeText(r.createdAt)}`}>
          <span>{localTimeText(clockTime(r.clock))}</span>
        </Tooltip>
      ),
    },
    {
      title: '来源',
      key: 'source',
      width: 96,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          {r.sources.map((s) => (
            <SourceText key={s} source={s} />
          ))}
        </Space>
      ),
    },
  ];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={1200}
      className="deferred-drawer"
      title={
        data && data.total > 0
          ? `暂未应用的数据（${data.total} 条记录，${data.values} 项）`
          : '暂未应用的数据'
      }
    >
      <Typography.Paragraph type="secondary">
        {'这些数据来自中心服务器或其他设备的同步包，本机暂时不能应用，已完整保存在本机，不会丢失；' +
          '等到原因消除（升级 Uplift、所属记录到达等）后自动生效。'}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<DeferredRowInfo>
        rowKey={(r) => `${r.table}\u0000${r.rowId}`}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.rows ?? []}
        pagination={{
          current: page,
          pageSize: DEFERRED_PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => `共 ${total} 条记录`,
          onChange: setPage,
        }}
        locale={{ emptyText: <Empty description="没有暂未应用的数据" /> }}
      />
    </Drawer>
  );
}
