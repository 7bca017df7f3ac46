import { type App, Typography } from 'antd';

import type { Issue } from '../../../shared/api/errors';
import { ApiError } from '../api';
import { errorText } from '../errors';

/** Every issue of a refused file, so the expert can fix them all in one pass. */
export function IssueList({ issues }: { issues: readonly Issue[] }) {
  return (
    <ol className="issue-list" aria-label="导入问题">
      {issues.map((issue, i) => (
        <li key={i}>
          {issue.path && (
            <Typography.Text code className="issue-path">
              {issue.path}
            </Typography.Text>
          )}{' '}
          {issue.message}
        </li>
      ))}
    </ol>
  );
}

/** What a modal says about a file the Node side refused: its message, then every issue. */
export function RefusalContent({ message, issues }: { message: string; issues: readonly Issue[] }) {
  return (
    <div>
      <Typography.Paragraph>{message}</Typography.Paragraph>
      {issues.length > 0 && (
        <>
          <Typography.Paragraph type="secondary">
            共 {issues.length} 处问题，请在文件中逐一改正后重新导入：
          </Typography.Paragraph>
          <IssueList issues={issues} />
        </>
      )}
    </div>
  );
}

/**
 * Tells of a file an import refused: the refusal and its issues in a modal when the Node side
 * gave them, a message otherwise.
 */
export function showImportRefusal(
  { message, modal }: Pick<ReturnType<typeof App.useApp>, 'message' | 'modal'>,
  fileName: string,
  e: unknown,
): void {
  if (e instanceof ApiError) {
    modal.error({
      title: `“${fileName}”未导入`,
      width: 720,
      content: <RefusalContent message={e.message} issues={e.issues} />,
      okText: '知道了',
    });
  } else {
    void message.error(`导入失败：${errorText(e)}`);
  }
}
