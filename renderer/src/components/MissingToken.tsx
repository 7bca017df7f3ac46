import { Result, Typography } from 'antd';

/** Browser mode opened without its access token (the address lacks `#token=…`). */
export function MissingToken() {
  return (
    <div className="missing-token">
      <Result
        status="warning"
        title="缺少访问令牌，无法连接 Uplift 本机服务"
        subTitle={
          <>
            <Typography.Paragraph>
              请打开运行 <Typography.Text code>npm start</Typography.Text>{' '}
              时终端里打印的地址，它形如{' '}
              <Typography.Text code>http://127.0.0.1:端口/#token=…</Typography.Text>
              ，其中带有本次启动的访问令牌。
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">
              每次启动令牌都会更换；如果本机服务已重新启动，请使用新打印的地址。
            </Typography.Paragraph>
          </>
        }
      />
    </div>
  );
}
