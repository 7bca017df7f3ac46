import { Collapse, Descriptions, Typography, type DescriptionsProps } from 'antd';

/**
 * 技术信息: what only technical support needs (the device's id, the data folder's path), folded
 * away under the screen a team reads. Folded, its content is not rendered at all.
 */
export function TechnicalInfo({ items }: { items: NonNullable<DescriptionsProps['items']> }) {
  return (
    <Collapse
      ghost
      size="small"
      className="technical-info"
      items={[
        {
          key: 'technical',
          label: <Typography.Text type="secondary">技术信息（供技术支持人员使用）</Typography.Text>,
          children: <Descriptions bordered size="small" column={1} items={items} />,
        },
      ]}
    />
  );
}
