import { Typography } from 'antd';

import type { Issue } from '../../../shared/api/errors';

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
