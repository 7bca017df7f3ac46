import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';

import { gradeOptions, industryOptions } from '../industries';
import { cityOptions, countyOptions } from '../regions';
import { useCatalog, type EnterpriseList } from '../queries';
import { isFiltered, useRegistryStore } from '../stores/registry';

import { RegistryTransferButtons } from './RegistryTransferButtons';

export interface RegistryToolbarProps {
  /** The list shown (its total), and read again after an import. */
  list: EnterpriseList;
  onAdd: () => void;
}

const GRADES = gradeOptions();

/**
 * 企业台账's toolbar: the search box, total and buttons (导入清单, 导出清单, 新增企业) on the
 * first row; the region, industry and grade filters on the second.
 */
export function RegistryToolbar({ list, onAdd }: RegistryToolbarProps) {
  const search = useRegistryStore((s) => s.search);
  const cityCode = useRegistryStore((s) => s.cityCode);
  const countyCode = useRegistryStore((s) => s.countyCode);
  const industryCode = useRegistryStore((s) => s.industryCode);
  const currentGrade = useRegistryStore((s) => s.currentGrade);
  const targetGrade = useRegistryStore((s) => s.targetGrade);
  const filtered = useRegistryStore(isFiltered);
  const { total, totalCapped, loaded } = list;
  const setSearch = useRegistryStore((s) => s.setSearch);
  const setCity = useRegistryStore((s) => s.setCity);
  const setCounty = useRegistryStore((s) => s.setCounty);
  const setFilters = useRegistryStore((s) => s.setFilters);
  const clearFilters = useRegistryStore((s) => s.clearFilters);
  const [catalogWanted, setCatalogWanted] = useState(false);
  const catalogQuery = useCatalog(catalogWanted);
  const catalog = catalogQuery.data ?? null;
  const catalogLoading = catalogQuery.loading;
  const catalogError = catalogQuery.error;
  const counties = countyOptions(cityCode);

  // The catalogue is read when the industry filter is first opened, not with every page; a
  // failed read is tried again when it is opened again.
  const loadCatalog = () => {
    if (!catalogWanted) setCatalogWanted(true);
    else if (catalogError) void catalogQuery.reload();
  };

  return (
    <div className="registry-toolbar">
      <div className="registry-toolbar-row">
        <Input
          aria-label="搜索企业"
          placeholder="搜索企业名称、统一社会信用代码或地址"
          prefix={<SearchOutlined />}
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 340 }}
        />
        <Space wrap>
          {loaded && (
            <Typography.Text type="secondary">
              {totalCapped ? `匹配超过 ${total} 家，请缩小搜索范围` : `共 ${total} 家企业`}
            </Typography.Text>
          )}
          <RegistryTransferButtons onImported={list.reload} />
          <Button type="primary" icon={<PlusOutlined />} onClick={onAdd}>
            新增企业
          </Button>
        </Space>
      </div>
      <Space wrap className="registry-filters">
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
        <Select
          id="registry-filter-industry"
          aria-label="重点行业类型"
          placeholder="重点行业类型"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={industryCode}
          options={industryOptions(catalog)}
          loading={catalogLoading}
          notFoundContent={
            !catalog && catalogError ? `行业目录加载失败：${catalogError}` : undefined
          }
          onFocus={loadCatalog}
          onOpenChange={(open) => {
            if (open) loadCatalog();
          }}
          onChange={(v: string | undefined) => setFilters({ industryCode: v ?? undefined })}
          popupMatchSelectWidth={false}
          style={{ width: 220 }}
        />
        <Select
          id="registry-filter-current-grade"
          aria-label="绩效现状"
          placeholder="绩效现状"
          allowClear
          value={currentGrade}
          options={GRADES}
          onChange={(v: string | undefined) => setFilters({ currentGrade: v ?? undefined })}
          style={{ width: 130 }}
        />
        <Select
          id="registry-filter-target-grade"
          aria-label="绩效提升目标"
          placeholder="绩效提升目标"
          allowClear
          value={targetGrade}
          options={GRADES}
          onChange={(v: string | undefined) => setFilters({ targetGrade: v ?? undefined })}
          style={{ width: 140 }}
        />
        {filtered && (
          <Button type="link" onClick={clearFilters}>
            清除筛选
          </Button>
        )}
      </Space>
    </div>
  );
}
