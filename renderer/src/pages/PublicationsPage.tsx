import { SendOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';

import { REGION_NAME, REGION_SCOPE } from '../../../shared/domain/publication';
import { cityName } from '../../../shared/domain/regions';
import type { PublicationRow } from '../../../shared/domain/review';
import { LoadFailed } from '../components/LoadFailed';
import { EditionTable } from '../components/publications/EditionTable';
import { PublishModal } from '../components/publications/PublishModal';
import { usePublicationPreview, usePublications } from '../queries';
import { cityOptions } from '../regions';

/** The scopes an account may look at: its city and the region, or any of them for the region. */
function scopeOptions(accountScope: string | null): { value: string; label: string }[] {
  const region = { value: REGION_SCOPE, label: `全区（${REGION_NAME}）` };
  if (accountScope !== null && accountScope !== REGION_SCOPE) {
    return [{ value: accountScope, label: cityName(accountScope) }, region];
  }
  return [region, ...cityOptions];
}

const ROW_COLUMNS: TableColumnsType<PublicationRow> = [
  { title: '企业名称', dataIndex: 'enterpriseName', key: 'name', ellipsis: true },
  {
    title: '统一社会信用代码',
    key: 'creditCode',
    width: 190,
    render: (_, r) => r.creditCode ?? '—',
  },
  { title: '地级市', dataIndex: 'cityName', key: 'city', width: 110 },
  { title: '县（市、区）', key: 'county', width: 110, render: (_, r) => r.countyName ?? '—' },
  {
    title: '行业',
    key: 'industries',
    ellipsis: true,
    render: (_, r) => r.industries || '—',
  },
  { title: '认定等级', dataIndex: 'grade', key: 'grade', width: 90 },
  { title: '认定日期', dataIndex: 'gradeDate', key: 'gradeDate', width: 110 },
];

/**
 * 信息公开: the results list of a city or of the region as it would be published now, 发布 (for
 * the account that may, else why not), and the published editions with their Excel and PDF.
 */
export function PublicationsPage() {
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const preview = usePublicationPreview(asked);
  const scope = preview.data?.scope ?? null;
  const editions = usePublications(scope);
  const [publishing, setPublishing] = useState(false);
  const data = preview.data;

  async function published(): Promise<void> {
    await Promise.all([preview.reload(), editions.reload()]);
  }

  return (
    <div className="page publications-page">
      <div className="list-toolbar">
        <Space>
          <span>发布范围</span>
          <Select
            aria-label="发布范围"
            style={{ width: 240 }}
            value={scope ?? undefined}
            loading={preview.loading}
            options={scopeOptions(data?.accountScope ?? null)}
            onChange={(value: string) => setAsked(value)}
          />
        </Space>
        <Typography.Text type="secondary" style={{ flex: 1, minWidth: 0, textAlign: 'right' }}>
          名单列出范围内现有认定等级的企业；发布后每期内容固定不变，认定等级变化后须发布新一期。
        </Typography.Text>
      </div>
      {preview.error && (
        <LoadFailed
          title="公示名单加载失败"
          error={preview.error}
          retry={() => void preview.reload()}
        />
      )}
      <Card
        size="small"
        className="publication-preview"
        title={
          data
            ? `${data.scopeName}当前可公示的认定结果（共 ${data.rows.length} 条）`
            : '当前可公示的认定结果'
        }
        extra={
          data?.allowed ? (
            <Button type="primary" icon={<SendOutlined />} onClick={() => setPublishing(true)}>
              发布第{data.nextEdition}期
            </Button>
          ) : null
        }
      >
        {data && !data.allowed && data.why && (
          <Alert
            type="info"
            showIcon
            className="publication-why"
            title={`现在不能发布：${data.why}`}
            style={{ marginBottom: 12 }}
          />
        )}
        <Table<PublicationRow>
          rowKey={(r) => `${r.enterpriseName}|${r.creditCode ?? ''}|${r.industries}|${r.grade}`}
          size="small"
          tableLayout="fixed"
          loading={preview.loading}
          columns={ROW_COLUMNS}
          dataSource={data?.rows ?? []}
          locale={{ emptyText: '范围内还没有企业取得认定等级' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        />
      </Card>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        已发布的各期
      </Typography.Title>
      {editions.error && <LoadFailed title="已发布的各期加载失败" error={editions.error} />}
      <EditionTable editions={editions.data} loading={editions.loading} />
      {data && (
        <PublishModal
          open={publishing}
          preview={data}
          onClose={() => setPublishing(false)}
          onPublished={published}
        />
      )}
    </div>
  );
}
