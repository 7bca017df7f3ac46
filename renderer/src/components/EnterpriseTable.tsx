import { LockOutlined } from '@ant-design/icons';
import { Button, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';

import type { CurrentGrade, EnterpriseListItem } from '../../../shared/domain/enterprise';
import { UNGRADED_TEXT, visitGradeDisplay } from '../../../shared/grading/display';
import { gradeText } from '../../../shared/grading/text';
import { cityName, countyName } from '../../../shared/domain/regions';
import type { EnterpriseList } from '../queries';
import { isFiltered, useRegistryStore } from '../stores/registry';
import { OfficialGradeCell } from './EnterpriseGradeDrawer';
import { GradeTag } from './visit/GradingPanel';

export interface EnterpriseTableProps {
  /** The page of enterprise.list shown (useEnterpriseList). */
  list: EnterpriseList;
  onEdit: (enterprise: EnterpriseListItem) => void;
  /** Opens the enterprise's 行业与工序. */
  onProcesses: (enterprise: EnterpriseListItem) => void;
  /** Opens the enterprise's visits, grade history and violations. */
  onVisits: (enterprise: EnterpriseListItem) => void;
  /** Opens the enterprise's 等级认定 (official grade and its history). */
  onGrade: (enterprise: EnterpriseListItem) => void;
  /** Asks to delete it (the dialog that counts what goes with it). */
  onDelete: (enterprise: EnterpriseListItem) => void;
  /** Opens a 申报 (application for a grade or 保障类) for it. */
  onApply: (enterprise: EnterpriseListItem) => void;
}

/**
 * The enterprise's grade now: its latest finalized visit's, as finalized (暂评 when indicators were
 * open), or the floor while a violation locks it (the visit's own grade named in the tooltip).
 */
export function CurrentGradeCell({ current }: { current: CurrentGrade }) {
  const { visit, violation } = current;
  if (violation) {
    return current.grade === null ? (
      <GradeTag display={{ kind: 'ungraded', grade: null, text: UNGRADED_TEXT }} />
    ) : (
      <Tooltip
        title={`因违法记录（${violation.date}）按最低等级评定${visit ? `；${visit.date} 检查定稿时为 ${visitGradeDisplay(visit).text}` : ''}`}
      >
        <span>
          <GradeTag
            display={{ kind: 'final', grade: current.grade, text: gradeText(current.grade) }}
          />
        </span>
      </Tooltip>
    );
  }
  if (!visit) return <GradeTag display={{ kind: 'ungraded', grade: null, text: UNGRADED_TEXT }} />;
  return (
    <Tooltip title={`${visit.date} 检查定稿`}>
      <span>
        <GradeTag display={visitGradeDisplay(visit)} />
      </span>
    </Tooltip>
  );
}

/** The registry's table: one server-side page of enterprise.list. */
export function EnterpriseTable({
  list,
  onEdit,
  onProcesses,
  onVisits,
  onGrade,
  onDelete,
  onApply,
}: EnterpriseTableProps) {
  const { items, total, loading, loaded } = list;
  const page = useRegistryStore((s) => s.page);
  const pageSize = useRegistryStore((s) => s.pageSize);
  const filtered = useRegistryStore(isFiltered);
  const setPage = useRegistryStore((s) => s.setPage);

  const columns: TableColumnsType<EnterpriseListItem> = [
    { title: '企业名称', dataIndex: 'name', key: 'name', width: 240, ellipsis: true },
    {
      title: (
        <Tooltip title="市级、自治区审核认定的等级">
          <span>认定等级</span>
        </Tooltip>
      ),
      key: 'official',
      width: 190,
      render: (_, e) => <OfficialGradeCell official={e.official} guarantee={e.guarantee} />,
    },
    {
      title: (
        <Tooltip title="帮扶队最近一次定稿检查得出的等级（不是认定等级）">
          <span>核查等级</span>
        </Tooltip>
      ),
      key: 'grade',
      width: 230,
      render: (_, e) => <CurrentGradeCell current={e.currentGrade} />,
    },
    {
      title: '提级状态',
      key: 'lock',
      width: 260,
      render: (_, e) => {
        const v = e.currentGrade.violation;
        if (v) {
          return (
            <Tooltip title={`存在违法情形（${v.kind}），${v.lockedUntil} 前不得申请提级`}>
              <Tag color="red" icon={<LockOutlined />} className="violation-lock">
                违法记录（{v.date}）：锁定至 {v.lockedUntil}
              </Tag>
            </Tooltip>
          );
        }
        return e.lockedUntil ? (
          <Tooltip title={`存在违法情形，${e.lockedUntil} 前不得申请提级`}>
            <Tag color="red" icon={<LockOutlined />}>
              锁定至 {e.lockedUntil}
            </Tag>
          </Tooltip>
        ) : null;
      },
    },
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
      width: 380,
      fixed: 'right',
      render: (_, e) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => onVisits(e)}>
            检查记录
          </Button>
          <Button type="link" size="small" onClick={() => onGrade(e)}>
            等级
          </Button>
          <Button type="link" size="small" onClick={() => onProcesses(e)}>
            行业与工序
          </Button>
          <Button type="link" size="small" onClick={() => onApply(e)}>
            申报
          </Button>
          <Button type="link" size="small" onClick={() => onEdit(e)}>
            编辑
          </Button>
          <Button type="link" size="small" danger onClick={() => onDelete(e)}>
            删除
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Table<EnterpriseListItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: 2140 }}
      locale={{
        emptyText: !loaded
          ? '正在读取…'
          : filtered
            ? '没有符合条件的企业'
            : '暂无企业，点击“新增企业”添加',
      }}
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
