import { DownOutlined, UpOutlined } from '@ant-design/icons';
import { Button, Card, Space } from 'antd';
import { useState, type ReactNode } from 'react';

export interface FoldCardProps {
  title: string;
  /** One line telling what the folded card holds (who came, how many files…). */
  summary: ReactNode;
  /**
   * Folded at first: what is done folds so the work below comes up. When it changes (a visit is
   * finalized), the card follows; in between, the person's 展开/收起 holds.
   */
  defaultFolded: boolean;
  className?: string;
  /** Class of the summary (tests find it). */
  summaryClassName?: string;
  /** Buttons that stay in the header, folded or not. */
  extra?: ReactNode;
  children: ReactNode;
}

/** A small card that folds to its header line: title, summary, 展开/收起. */
export function FoldCard({
  title,
  summary,
  defaultFolded,
  className,
  summaryClassName,
  extra,
  children,
}: FoldCardProps) {
  const [folded, setFolded] = useState(defaultFolded);
  const [followed, setFollowed] = useState(defaultFolded);
  if (followed !== defaultFolded) {
    // Adjusted while rendering, as React advises for state that follows a prop.
    setFollowed(defaultFolded);
    setFolded(defaultFolded);
  }
  return (
    <Card
      size="small"
      className={`fold-card ${folded ? 'fold-card-folded' : ''} ${className ?? ''}`}
      title={
        <span className="fold-card-title">
          {title}
          {folded && (
            <span className={`fold-card-summary ${summaryClassName ?? ''}`}>{summary}</span>
          )}
        </span>
      }
      extra={
        <Space size={4}>
          {extra}
          <Button
            type="link"
            size="small"
            aria-label={`${folded ? '展开' : '收起'}${title}`}
            aria-expanded={!folded}
            icon={folded ? <DownOutlined /> : <UpOutlined />}
            iconPlacement="end"
            onClick={() => setFolded(!folded)}
          >
            {folded ? '展开' : '收起'}
          </Button>
        </Space>
      }
    >
      {!folded && children}
    </Card>
  );
}
