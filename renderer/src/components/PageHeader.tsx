import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import type { ReactNode } from 'react';

export interface PageHeaderProps {
  onBack: () => void;
  title: ReactNode;
  /** Extra class of the title (tests and styles find a page's title by it). */
  titleClassName?: string;
  /** The line under the title: record number, status tags, what was saved. */
  meta?: ReactNode;
  /** The page's buttons: one row that never wraps (put rare ones in a drop-down). */
  actions?: ReactNode;
}

/**
 * A record page's header: 返回, the title (which may wrap) with its meta line under it, and the
 * page's buttons on one line at the right, so a laptop's 1280 px keeps them in a row.
 */
export function PageHeader({ onBack, title, titleClassName, meta, actions }: PageHeaderProps) {
  return (
    <div className="page-header">
      <Button className="page-header-back" icon={<ArrowLeftOutlined />} onClick={onBack}>
        返回
      </Button>
      <h2 className={`page-header-title ${titleClassName ?? ''}`.trim()}>{title}</h2>
      {actions && <div className="page-header-actions">{actions}</div>}
      {meta && <div className="page-header-meta">{meta}</div>}
    </div>
  );
}
