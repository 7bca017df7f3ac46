import { ArrowLeftOutlined, ExportOutlined, InfoCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Empty,
  Space,
  Spin,
  Table,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';

import {
  ALERT_LEVEL_NAMES,
  ALERT_LEVELS,
  type Indicator,
  type Ruleset,
} from '../../../shared/grading/types';
import { api } from '../api';
import { downloadFile } from '../files';
import { groupByDimension, measureRows, requirementText, type MeasureRow } from '../ruleset-text';
import { ORIGIN_LABEL, RulesetStatusTag } from './RulesetStatusTag';
import { errorText } from '../errors';
import { useRuleset } from '../queries';
import { LoadFailed } from './LoadFailed';

export interface RulesetRef {
  id: string;
  edition: string;
}

/** One row of the grading table: an indicator, and how many rows its dimension cell spans. */
interface IndicatorRow {
  key: string;
  dimension: string;
  /** Rows the dimension cell spans: the group's size on its first row, 0 on the others. */
  dimensionSpan: number;
  indicator: Indicator;
}

function indicatorRows(ruleset: Ruleset): IndicatorRow[] {
  return groupByDimension(ruleset.indicators).flatMap(({ dimension, indicators }) =>
    indicators.map((indicator, i) => ({
      key: indicator.id,
      dimension,
      dimensionSpan: i === 0 ? indicators.length : 0,
      indicator,
    })),
  );
}

/** What a grade's column says of an indicator: the requirement in words, the guideline's wording under it. */
function GradeCell({ indicator, grade }: { indicator: Indicator; grade: string }) {
  const requirement = indicator.require[grade];
  const wording = indicator.text?.[grade];
  if (requirement === undefined && !wording) return null;
  return (
    <div className="grade-cell">
      {requirement !== undefined && (
        <div className="grade-requirement">{requirementText(indicator, requirement)}</div>
      )}
      {wording && (
        <Typography.Text type="secondary" className="grade-wording">
          {wording}
        </Typography.Text>
      )}
    </div>
  );
}

/** Widths of the dimension and indicator columns together, and of each grade's column. */
const FIXED_WIDTH = 350;
const GRADE_WIDTH = 180;

function gradingColumns(ruleset: Ruleset, rowCount: number): TableColumnsType<IndicatorRow> {
  const grades = ruleset.grades.map((g) => g.grade);
  const floor = grades.at(-1);
  // The floor is reached when nothing better is: unless the file says something of it, one cell.
  const floorSaysNothing =
    floor !== undefined &&
    ruleset.indicators.every((i) => i.require[floor] === undefined && !i.text?.[floor]);

  const columns: TableColumnsType<IndicatorRow> = [
    {
      title: '维度',
      key: 'dimension',
      width: 110,
      fixed: 'left',
      onCell: (row) => ({ rowSpan: row.dimensionSpan }),
      render: (_, row) => <Typography.Text strong>{row.dimension}</Typography.Text>,
    },
    {
      title: '指标',
      key: 'indicator',
      width: 240,
      fixed: 'left',
      // For experts: the 说明 a team reads on site, the 来源与缺项 behind the icon, and the id.
      render: (_, { indicator }) => (
        <div>
          <span>{indicator.title}</span>
          {indicator.note && (
            <Tooltip title={`来源与缺项：${indicator.note}`}>
              <InfoCircleOutlined className="indicator-note" aria-label="来源与缺项" />
            </Tooltip>
          )}
          {indicator.hint && (
            <div className="indicator-hint">
              <Typography.Text type="secondary">说明：{indicator.hint}</Typography.Text>
            </div>
          )}
          <div>
            <Typography.Text type="secondary" className="indicator-id">
              {indicator.id}
            </Typography.Text>
          </div>
        </div>
      ),
    },
  ];
  for (const grade of grades) {
    const isFloor = grade === floor;
    columns.push({
      title: `${grade}级`,
      key: `grade-${grade}`,
      width: GRADE_WIDTH,
      ...(isFloor && floorSaysNothing
        ? {
            onCell: (_: IndicatorRow, index?: number) => ({ rowSpan: index === 0 ? rowCount : 0 }),
            render: () => <Typography.Text type="secondary">其余</Typography.Text>,
          }
        : {
            render: (_: unknown, row: IndicatorRow) => (
              <GradeCell indicator={row.indicator} grade={grade} />
            ),
          }),
    });
  }
  return columns;
}

const MEASURE_COLUMNS: TableColumnsType<MeasureRow> = [
  { title: '等级', dataIndex: 'grade', key: 'grade', width: 90, render: (g: string) => `${g}级` },
  ...ALERT_LEVELS.map((level) => ({
    title: ALERT_LEVEL_NAMES[level],
    key: level,
    width: '30%',
    render: (_: unknown, row: MeasureRow) => row.levels[level] ?? '',
  })),
];

export interface RulesetViewProps {
  target: RulesetRef;
  onBack: () => void;
}

/** One ruleset laid out as the guideline's table, with its source, measures and exports. */
export function RulesetView({ target, onBack }: RulesetViewProps) {
  const { message } = App.useApp();
  const [exporting, setExporting] = useState<'xlsx' | 'json' | null>(null);
  const [attempt, setAttempt] = useState(0);
  // A retry (a new `attempt`) is a new fetch: it asks again, and the failed one's error goes.
  const { data: detail, error } = useRuleset(target.id, target.edition, attempt);

  async function exportAs(format: 'xlsx' | 'json'): Promise<void> {
    setExporting(format);
    try {
      downloadFile(
        await api.call('ruleset.export', { id: target.id, edition: target.edition, format }),
      );
    } catch (e) {
      void message.error(`导出失败：${errorText(e)}`);
    } finally {
      setExporting(null);
    }
  }

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
      返回指标库
    </Button>
  );

  if (error) {
    return (
      <div className="ruleset-view">
        <div className="page-toolbar">{back}</div>
        <LoadFailed title="指标体系加载失败" error={error} retry={() => setAttempt((n) => n + 1)} />
      </div>
    );
  }
  const shown =
    detail && detail.summary.id === target.id && detail.summary.edition === target.edition
      ? detail
      : null;
  if (!shown) {
    return (
      <div className="ruleset-view">
        <div className="page-toolbar">{back}</div>
        <Spin />
      </div>
    );
  }

  const { summary, ruleset } = shown;
  const rows = indicatorRows(ruleset);
  const measures = measureRows(ruleset);
  const draft = ruleset.status === 'draft';

  return (
    <div className="ruleset-view">
      <div className="page-toolbar">
        {back}
        <Space>
          <Button
            icon={<ExportOutlined />}
            loading={exporting === 'xlsx'}
            onClick={() => void exportAs('xlsx')}
          >
            导出 Excel
          </Button>
          <Button
            icon={<ExportOutlined />}
            loading={exporting === 'json'}
            onClick={() => void exportAs('json')}
          >
            导出 JSON
          </Button>
        </Space>
      </div>
      <Typography.Title level={4} className="ruleset-title">
        {ruleset.industry}
        {ruleset.branch ? ` · ${ruleset.branch}` : ''}
      </Typography.Title>
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'id', label: '编号', children: ruleset.id },
          { key: 'industry', label: '行业', children: ruleset.industry },
          { key: 'branch', label: '分支', children: ruleset.branch ?? '全行业' },
          { key: 'edition', label: '版本', children: ruleset.edition },
          { key: 'status', label: '状态', children: <RulesetStatusTag status={ruleset.status} /> },
          { key: 'origin', label: '入库方式', children: ORIGIN_LABEL[summary.origin] },
          { key: 'source', label: '来源', span: 3, children: ruleset.source },
        ]}
      />
      {draft && (
        <Alert
          type="warning"
          showIcon
          className="ruleset-note"
          title="指标待核实：本指标体系是草稿，尚未与官方文本核对，据此算出的等级不能代替正式评级"
        />
      )}
      {/* Both notes, for experts: 说明 is what teams and enterprises read on site and in PDFs. */}
      <Descriptions
        size="small"
        column={1}
        bordered
        className="ruleset-notes"
        items={[
          {
            key: 'summary',
            label: '说明',
            children: ruleset.summary ?? (
              <Typography.Text type="secondary">
                未填写（现场检查页和 PDF 中不显示说明）
              </Typography.Text>
            ),
          },
          {
            key: 'sourceNote',
            label: '来源与缺项',
            children: ruleset.sourceNote ?? (
              <Typography.Text type="secondary">未填写</Typography.Text>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>分级指标</Typography.Title>
      {rows.length === 0 ? (
        <Empty description="缺少分级指标" />
      ) : (
        <Table<IndicatorRow>
          className="grading-table"
          rowKey="key"
          size="small"
          bordered
          pagination={false}
          columns={gradingColumns(ruleset, rows.length)}
          dataSource={rows}
          scroll={{ x: FIXED_WIDTH + GRADE_WIDTH * ruleset.grades.length }}
        />
      )}
      {measures.length > 0 && (
        <>
          <Typography.Title level={5}>应急减排措施</Typography.Title>
          <Table<MeasureRow>
            className="measures-table"
            rowKey="grade"
            size="small"
            bordered
            pagination={false}
            columns={MEASURE_COLUMNS}
            dataSource={measures}
          />
        </>
      )}
    </div>
  );
}
