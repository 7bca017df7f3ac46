import { Alert, Switch, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';

import {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  type ApplicationSummary,
} from '../../../shared/domain/review';
import { LoadFailed } from '../components/LoadFailed';
import { ApplicationDrawer } from '../components/review/ApplicationDrawer';
import {
  ApplicationStatusTag,
  applicationContent,
  nextStepText,
  routeName,
} from '../components/review/reviewText';
import { DATE_FORMAT } from '../dates';
import { useApplications, useReviewAccount } from '../queries';
import dayjs from 'dayjs';

const PAGE_SIZE = 20;

type Tab = ApplicationStatus | 'all';

function isTab(key: string): key is Tab {
  return key === 'all' || (APPLICATION_STATUSES as readonly string[]).includes(key);
}

/** 审核评定: the applications (申报) by status, the account's own queue first for reviewers. */
export function ReviewsPage() {
  const account = useReviewAccount();
  const reviewer = account.data?.steps.some((s) => s !== '提交') === true;
  const [mineChosen, setMine] = useState<boolean | null>(null);
  const mine = mineChosen ?? reviewer;
  const [status, setStatus] = useState<Tab>('all');
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  // The list waits for the account: a reviewer opens on their own queue, not on everything first.
  const accountKnown = account.data !== undefined || account.error !== null;
  const list = useApplications({ status, mine, page, pageSize: PAGE_SIZE, enabled: accountKnown });
  const counts = list.data?.counts ?? {};
  const all = APPLICATION_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);

  const columns: TableColumnsType<ApplicationSummary> = [
    {
      title: '企业名称',
      key: 'enterprise',
      width: 220,
      ellipsis: true,
      render: (_, a) => (
        <Typography.Link onClick={() => setOpenId(a.id)}>{a.enterpriseName}</Typography.Link>
      ),
    },
    { title: '行业', dataIndex: 'industries', key: 'industries', width: 160, ellipsis: true },
    {
      title: '申报内容',
      key: 'content',
      width: 130,
      render: (_, a) => applicationContent(a),
    },
    { title: '审核流程', key: 'route', width: 180, render: (_, a) => routeName(a.route) },
    {
      title: '状态',
      key: 'status',
      width: 100,
      render: (_, a) => <ApplicationStatusTag status={a.status} />,
    },
    { title: '下一步', key: 'next', width: 170, render: (_, a) => nextStepText(a.next) },
    { title: '申报人', dataIndex: 'applicant', key: 'applicant', width: 100, ellipsis: true },
    {
      title: '最近更新',
      key: 'updated',
      width: 120,
      render: (_, a) => dayjs(a.updatedAt).format(DATE_FORMAT),
    },
  ];

  const emptyText =
    list.loading || !accountKnown
      ? '正在读取…'
      : mine
        ? status === 'all'
          ? '暂无待您审核的申报'
          : `暂无待您审核的“${status}”申报`
        : status === 'all'
          ? '暂无申报。在企业台账中点击企业的“申报”提出申报'
          : `暂无“${status}”的申报`;

  return (
    <div className="page">
      {account.data?.why && (
        <Alert
          type="info"
          showIcon
          title={account.data.why}
          style={{ marginBottom: 16 }}
          className="review-account-why"
        />
      )}
      {account.error && <LoadFailed title="账号信息读取失败" error={account.error} />}
      <div className="list-toolbar">
        {reviewer && (
          <label style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
            <Switch
              checked={mine}
              onChange={(on) => {
                setMine(on);
                setPage(1);
              }}
              aria-label="待我审核"
            />
            待我审核
          </label>
        )}
        <Typography.Text type="secondary">
          申报从企业台账提出：在企业所在行点击“申报”。
        </Typography.Text>
      </div>
      <Tabs
        activeKey={status}
        onChange={(key) => {
          if (!isTab(key)) return;
          setStatus(key);
          setPage(1);
        }}
        items={[
          ...APPLICATION_STATUSES.map((s) => ({ key: s, label: `${s}（${counts[s] ?? 0}）` })),
          { key: 'all', label: `全部（${all}）` },
        ]}
      />
      {list.error && <LoadFailed title="申报列表加载失败" error={list.error} />}
      <Table<ApplicationSummary>
        rowKey="id"
        size="middle"
        tableLayout="fixed"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          hideOnSinglePage: true,
          onChange: (p) => setPage(p),
        }}
      />
      <ApplicationDrawer id={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
