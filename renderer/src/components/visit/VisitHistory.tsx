/**
 * 修订历史 of a visit: the original record and its revisions, each a link that opens it.
 */
import { Card, Space, Tag, Timeline, Typography } from 'antd';

import { type InspectionDetail } from '../../../../shared/domain/inspection';
import { useNavigation } from '../../stores/navigation';
import { RecordNumber } from '../RecordNumber';

export function VisitHistory({ detail }: { detail: InspectionDetail }) {
  const openVisit = useNavigation((s) => s.openVisit);
  if (detail.history.length <= 1 && !detail.revisedBy) return null;
  return (
    <Card size="small" title="修订历史" className="visit-history">
      <Timeline
        items={detail.history.map((h, i) => ({
          color: h.status === 'finalized' ? 'green' : 'blue',
          content: (
            <Space size={4} wrap>
              {h.id === detail.inspection.id ? (
                <Typography.Text strong>
                  {i === 0 ? '原始记录' : `修订 ${i}`}（当前）
                </Typography.Text>
              ) : (
                <Typography.Link onClick={() => openVisit(h.id)}>
                  {i === 0 ? '原始记录' : `修订 ${i}`}
                </Typography.Link>
              )}
              <span>{h.date}</span>
              <RecordNumber number={h.number} label="" />
              <Tag color={h.status === 'finalized' ? 'green' : 'blue'}>
                {h.status === 'finalized' ? '已定稿' : '草稿'}
              </Tag>
              {h.revisionOf && <Typography.Text type="secondary">更正上一版本</Typography.Text>}
            </Space>
          ),
        }))}
      />
    </Card>
  );
}
