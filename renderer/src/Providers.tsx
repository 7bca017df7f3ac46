import { App, ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';

// dayjs in Chinese for antd's calendars (DatePicker), as the zh_CN locale below expects.
import './dates';

/** The bundled webfont first: the app must render Chinese on machines without CJK fonts. */
export const FONT_FAMILY = "'Noto Sans SC Variable', system-ui, sans-serif";

const theme: ThemeConfig = {
  token: { fontFamily: FONT_FAMILY },
  // A lower bar leaves a laptop's 720 px to the work (the first indicator of a visit comes up).
  components: { Layout: { headerHeight: 48 } },
};

/** antd's Chinese locale and theme, and `App` for the message/notification/modal hooks. */
export function Providers({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <App>{children}</App>
    </ConfigProvider>
  );
}
