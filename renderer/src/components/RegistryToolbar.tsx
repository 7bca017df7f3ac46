import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Input, Select, Space, Typography } from 'antd';

import { cityOptions, countyOptions } from '../regions';
import { useRegistryStore } from '../stores/registry';

export interface RegistryToolbarProps {
  onAdd: () => void;
}

/** 企业台账's search box, region filters, total and 新增企业 button. */
export function RegistryToolbar({ onAdd }: RegistryToolbarProps) {
  const search = useRegistryStore((s) => s.search);
  const cityCode = useRegistryStore((s) => s.cityCode);
  const countyCode = useRegistryStore((s) => s.countyCode);
  const total = useRegistryStore((s) => s.total);
  const loaded = useRegistryStore((s) => s.loaded);
  const setSearch = useRegistryStore((s) => s.setSearch);
  const setCity = useRegistryStore((s) => s.setCity);
  const setCounty = useRegistryStore((s) => s.setCounty);
  const counties = countyOptions(cityCode);

  return (
    <div className="registry-toolbar">
      <Space wrap>
        <Input
          aria-label="搜索企业"
          placeholder="搜索企业名称、统一社会信用代码或地址"
          prefix={<SearchOutlined />}
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 340 }}
        />
        <Select
          aria-label="地级市"
          placeholder="地级市"
          allowClear
          value={cityCode}
          options={[...cityOptions]}
          onChange={(v: string | undefined) => setCity(v ?? undefined)}
          style={{ width: 180 }}
        />
        <Select
          aria-label="县（市、区）"
          placeholder="县（市、区）"
          allowClear
          disabled={counties.length === 0}
          value={countyCode}
          options={counties}
          onChange={(v: string | undefined) => setCounty(v ?? undefined)}
          style={{ width: 160 }}
        />
      </Space>
      <Space>
        {loaded && <Typography.Text type="secondary">共 {total} 家企业</Typography.Text>}
        <Button type="primary" icon={<PlusOutlined />} onClick={onAdd}>
          新增企业
        </Button>
      </Space>
    </div>
  );
}
