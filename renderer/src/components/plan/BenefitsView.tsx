import { Card, Empty, Table, Tag, Typography, type TableColumnsType } from 'antd';

import type { AlertMeasures, MeasureText } from '../../../../shared/plan/annex1';
import type { PlanDetail } from '../../../../shared/plan/api';

function Measures({ list }: { list: readonly MeasureText[] }) {
  if (list.length === 0) return <Typography.Text type="secondary">未取得</Typography.Text>;
  return (
    <ul className="benefit-measures">
      {list.map((m, i) => (
        <li key={i}>
          {m.text}
          {m.condition && <Typography.Text type="secondary">（{m.condition}）</Typography.Text>}
          {m.draft && (
            <Tag color="warning" className="unverified-mark">
              待核实
            </Tag>
          )}
          <div className="benefit-source">{m.source}</div>
        </li>
      ))}
    </ul>
  );
}

/** 提级收益: per process, the emergency measures before and after, and the incentives gained. */
export function BenefitsView({ detail }: { detail: PlanDetail }) {
  if (detail.benefits.length === 0) return <Empty description="没有可比较的工序" />;
  return (
    <div className="benefits">
      {detail.benefits.map(({ processId, label, benefits }) => {
        const columns: TableColumnsType<AlertMeasures> = [
          { title: '预警级别', dataIndex: 'name', key: 'name', width: 110 },
          {
            title: `现状 ${benefits.fromGrade ?? '—'} 级`,
            key: 'before',
            render: (_, a) => <Measures list={a.before} />,
          },
          {
            title: `目标 ${benefits.toGrade} 级`,
            key: 'after',
            render: (_, a) => <Measures list={a.after} />,
          },
        ];
        return (
          <Card
            key={processId}
            size="small"
            title={`${label}：${benefits.fromGrade ?? '—'} → ${benefits.toGrade}`}
          >
            <h4>重污染天气应急减排措施</h4>
            <Table<AlertMeasures>
              rowKey="level"
              size="small"
              pagination={false}
              columns={columns}
              dataSource={benefits.alerts}
            />
            <h4>可享受的激励政策</h4>
            {benefits.incentives.length === 0 ? (
              <Typography.Text type="secondary">无</Typography.Text>
            ) : (
              <ol className="benefit-incentives">
                {benefits.incentives.map((inc) => (
                  <li key={inc.id}>
                    <Typography.Text strong>{inc.title}</Typography.Text>
                    {inc.gained && <Tag color="green">提级后新增</Tag>}
                    <div>{inc.text}</div>
                    {inc.responsible && (
                      <Typography.Text type="secondary">
                        责任单位：{inc.responsible}
                      </Typography.Text>
                    )}
                  </li>
                ))}
              </ol>
            )}
            {benefits.notes.map((n) => (
              <Typography.Paragraph key={n} type="secondary" className="benefit-note">
                {n}
              </Typography.Paragraph>
            ))}
          </Card>
        );
      })}
    </div>
  );
}
