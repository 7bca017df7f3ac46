import { Alert, Collapse, Descriptions, Modal, Space, Tag, Typography } from 'antd';

import type { RulesetIndicatorBrief, RulesetPreview } from '../../../shared/api/contract';

function indicatorLine(i: RulesetIndicatorBrief): string {
  return `${i.title}（${i.kind}${i.unit ? `，${i.unit}` : ''}）`;
}

function Changes({ preview }: { preview: RulesetPreview }) {
  const { installed, changes, identical } = preview;
  if (!installed || !changes) {
    return <Alert type="info" showIcon title="本机还没有这个指标体系：安装后新增。" />;
  }
  const against = `本机已安装的 ${installed.edition} 版（${installed.origin === 'shipped' ? '随程序提供' : '导入'}，${installed.status === 'verified' ? '已核实' : '草稿'}）`;
  if (identical) {
    return <Alert type="info" showIcon title={`与${against}内容完全相同：安装不会有任何改动。`} />;
  }
  const { added, removed, changed, ruleset } = changes;
  const nothing =
    added.length + removed.length + changed.length + ruleset.length === 0
      ? '指标内容没有变化（只有格式或排序不同）。'
      : null;
  return (
    <Alert
      type="warning"
      showIcon
      title={`与${against}相比：新增 ${added.length} 项、删除 ${removed.length} 项、修改 ${changed.length} 项指标`}
      description={
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          {nothing}
          {ruleset.map((r) => (
            <div key={r}>{r}</div>
          ))}
          {added.map((i) => (
            <div key={`a-${i.id}`}>
              <Tag color="green">新增</Tag>
              {indicatorLine(i)}
            </div>
          ))}
          {removed.map((i) => (
            <div key={`r-${i.id}`}>
              <Tag color="red">删除</Tag>
              {indicatorLine(i)}
            </div>
          ))}
          {changed.map((i) => (
            <div key={`c-${i.id}`}>
              <Tag color="orange">修改</Tag>
              {i.title}
              <ul className="ruleset-preview-what">
                {i.what.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          ))}
        </Space>
      }
    />
  );
}

/**
 * What an expert's file would install, before anything is: the ruleset, its indicators by
 * dimension, what changes against the installed edition and who may publish it to the region.
 */
export function RulesetPreviewModal({
  fileName,
  preview,
  installing,
  onInstall,
  onCancel,
}: {
  fileName: string;
  preview: RulesetPreview;
  installing: boolean;
  onInstall: () => void;
  onCancel: () => void;
}) {
  const { summary, dimensions, warnings, publish } = preview;
  return (
    <Modal
      open
      width={820}
      title={`安装前预览：${fileName}`}
      okText="安装"
      cancelText="取消"
      confirmLoading={installing}
      onOk={onInstall}
      onCancel={onCancel}
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Descriptions
          size="small"
          bordered
          column={2}
          styles={{ label: { whiteSpace: 'nowrap', width: 72 } }}
        >
          <Descriptions.Item label="行业">{summary.industry}</Descriptions.Item>
          <Descriptions.Item label="分支">{summary.branch ?? '（无）'}</Descriptions.Item>
          <Descriptions.Item label="编号">{summary.id}</Descriptions.Item>
          <Descriptions.Item label="版本">{summary.edition}</Descriptions.Item>
          <Descriptions.Item label="状态">
            {summary.status === 'verified' ? (
              <Tag color="green">已核实</Tag>
            ) : (
              <Tag color="gold">草稿（指标待核实）</Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="等级">{summary.grades.join('、')}</Descriptions.Item>
          <Descriptions.Item label="来源" span={2}>
            {summary.source}
          </Descriptions.Item>
        </Descriptions>
        <Changes preview={preview} />
        <Alert
          type={publish.allowed ? 'success' : 'warning'}
          showIcon
          title="谁可以发布到全区"
          description={publish.message}
        />
        {warnings.length > 0 && (
          <Alert
            type="info"
            title={`读取时的提示（${warnings.length} 条）`}
            description={
              <ul className="ruleset-preview-what">
                {warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            }
          />
        )}
        <div>
          <Typography.Text strong>指标（共 {summary.indicatorCount} 项，按维度）</Typography.Text>
          <Collapse
            size="small"
            items={dimensions.map((d) => ({
              key: d.dimension,
              label: `${d.dimension}（${d.indicators.length} 项）`,
              children: (
                <ol className="ruleset-preview-list">
                  {d.indicators.map((i) => (
                    <li key={i.id}>
                      {indicatorLine(i)} <Typography.Text type="secondary">{i.id}</Typography.Text>
                    </li>
                  ))}
                </ol>
              ),
            }))}
          />
        </div>
      </Space>
    </Modal>
  );
}
