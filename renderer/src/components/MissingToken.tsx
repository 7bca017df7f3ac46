import { Result, Typography } from 'antd';

/** Where the address to open is shown: the window or terminal Uplift was started from. */
function HowToOpen() {
  return (
    <Typography.Paragraph>
      请回到启动 Uplift 的窗口，找到“请在浏览器中打开”后面的地址，它形如{' '}
      <Typography.Text code>http://127.0.0.1:端口/#token=…</Typography.Text>
      ，复制到浏览器地址栏打开。如果 Uplift 已经关闭，请先重新打开它。
    </Typography.Paragraph>
  );
}

/** Browser mode opened without its access token (the address lacks `#token=…`). */
export function MissingToken() {
  return (
    <div className="missing-token">
      <Result
        status="warning"
        title="这个地址缺少访问令牌，无法连接 Uplift"
        subTitle={<HowToOpen />}
      />
    </div>
  );
}

/**
 * The host refused this tab's token: Uplift was started again with a new one (`--new-token`).
 * What was typed and not yet saved is kept on this computer and comes back once reopened.
 */
export function TokenRejected() {
  return (
    <div className="missing-token token-rejected">
      <Result
        status="warning"
        title="Uplift 已更换访问令牌，这个页面不能再使用"
        subTitle={
          <>
            <Typography.Paragraph>
              Uplift 重新启动时换了新的访问令牌（令牌用来保证只有您本人能打开这些数据），
              所以这个页面里的操作都不会被接受。
            </Typography.Paragraph>
            <HowToOpen />
            <Typography.Paragraph type="secondary">
              刚才输入但还没保存的内容已暂存在这台电脑上，用新地址打开同一条记录时会自动恢复。
            </Typography.Paragraph>
          </>
        }
      />
    </div>
  );
}
