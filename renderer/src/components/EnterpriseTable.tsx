import { App, Button, Popconfirm, Space, Table, type TableColumnsType } from 'antd';

import type { Enterprise } from '../../../shared/domain/enterprise';
import { cityName, countyName } from '../../../shared/domain/regions';
import { ApiError } from '../api';
import { isFiltered, useRegistryStore } from '../stores/registry';

export interface EnterpriseTableProps {
  onEdit: (enterprise: Enterprise) => void;
  /** Opens the enterprise's 行业与工序. */
  onProcesses: (enterprise: Enterprise) => void;
}

/** The registry's table: one server-side page of enterprise.list. */
export function EnterpriseTable({ onEdit, onProcesses }: EnterpriseTableProps) {
  const { message } = App.useApp();
  const items = useRegistryStore((s) => s.items);
  const total = useRegistryStore((s) => s.total);
  const page = useRegistryStore((s) => s.page);
  const pageSize = useRegistryStore((s) => s.pageSize);
  const loading = useRegistryStore((s) => s.loading);
  const filtered = useRegistryStore(isFiltered);
  const setPage = useRegistryStore((s) => s.setPage);
  const remove = useRegistryStore((s) => s.remove);

  async function confirmDelete(enterprise: Enterprise): Promise<void> {
    try {
      await remove(enterprise.id);
      void message.success('已删除');
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : `删除失败：${String(e)}`);
    }
  }

  const columns: TableColumnsType<Enterprise> = [
    { title: '企业名称', dataIndex: 'name', key: 'name', width: 240, ellipsis: true },
    { title: '统一社会信用代码', dataIndex: 'creditCode', key: 'creditCode', width: 200 },
    {
      title: '地级市',
      key: 'city',
      width: 150,
      render: (_, e) => cityName(e.cityCode),
    },
    {
      title: '县（市、区）',
      key: 'county',
      width: 120,
      render: (_, e) => countyName(e.cityCode, e.countyCode),
    },
    { title: '地址', dataIndex: 'address', key: 'address', ellipsis: true },
    { title: '联系人', dataIndex: 'contactPerson', key: 'contactPerson', width: 100 },
    { title: '联系电话', dataIndex: 'contactPhone', key: 'contactPhone', width: 150 },
    {
      title: '操作',
      key: 'actions',
      width: 220,
      fixed: 'right',
      render: (_, e) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => onProcesses(e)}>
            行业与工序
          </Button>
          <Button type="link" size="small" onClick={() => onEdit(e)}>
            编辑
          </Button>
          <Popconfirm
            title="确定删除该企业？"
            okText="删除"
            cancelText="取消"
            okButtonProps={{ danger: true }}
            onConfirm={() => void confirmDelete(e)}
          >
            <Button type="link" size="small" danger>
              删除
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Table<Enterprise>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: 1290 }}
      locale={{ emptyText: filtered ? '没有符合条件的企业' : '暂无企业，点击“新增企业”添加' }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100],
        hideOnSinglePage: false,
        onChange: (p, size) => setPage(p, size),
      }}
    />
  );
}
