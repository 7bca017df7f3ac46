import { Alert, Button } from 'antd';
import type { CSSProperties } from 'react';

/**
 * What a screen shows when a read failed: what could not be loaded, why, and 重试 when the
 * screen can ask again. One look for every list and view.
 */
export function LoadFailed({
  title,
  error,
  retry,
  warning = false,
  style,
}: {
  /** What failed, e.g. 检查记录加载失败. */
  title: string;
  error: string;
  retry?: () => void;
  /** Part of the screen still works (a warning, not an error). */
  warning?: boolean;
  style?: CSSProperties;
}) {
  return (
    <Alert
      type={warning ? 'warning' : 'error'}
      showIcon
      title={title}
      description={error}
      style={style}
      action={
        retry && (
          <Button size="small" onClick={retry}>
            重试
          </Button>
        )
      }
    />
  );
}
