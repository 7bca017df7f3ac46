import {
  AuditOutlined,
  BookOutlined,
  DeleteOutlined,
  NotificationOutlined,
  DatabaseOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  SolutionOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { Layout, Menu, type MenuProps } from 'antd';
import { useEffect } from 'react';

import { api } from './api';
import { TokenRejected } from './components/MissingToken';
import { PendingIndicator } from './components/PendingIndicator';
import { InspectionsPage } from './pages/InspectionsPage';
import { LibraryPage } from './pages/LibraryPage';
import { PlansPage } from './pages/PlansPage';
import { PublicationsPage } from './pages/PublicationsPage';
import { RegistryPage } from './pages/RegistryPage';
import { ReviewsPage } from './pages/ReviewsPage';
import { SettingsPage } from './pages/SettingsPage';
import { SyncPage } from './pages/SyncPage';
import { TrashPage } from './pages/TrashPage';
import { useAppInfo } from './stores/app-info';
import { useConnection } from './stores/connection';
import { useNavigation, type Screen } from './stores/navigation';

export const APP_TITLE = 'Uplift 环保绩效提级帮扶助手';

/** Only screens that work are listed; add one here and in `PAGES` together. */
const MENU: Required<MenuProps>['items'] = [
  { key: 'registry', icon: <DatabaseOutlined />, label: '企业台账' },
  { key: 'inspections', icon: <AuditOutlined />, label: '现场检查' },
  { key: 'plans', icon: <SolutionOutlined />, label: '提升方案' },
  { key: 'reviews', icon: <SafetyCertificateOutlined />, label: '审核评定' },
  { key: 'publications', icon: <NotificationOutlined />, label: '信息公开' },
  { key: 'library', icon: <BookOutlined />, label: '分级指标库' },
  { key: 'trash', icon: <DeleteOutlined />, label: '回收站' },
  { key: 'sync', icon: <SyncOutlined />, label: '同步' },
  { key: 'settings', icon: <SettingOutlined />, label: '设置' },
];

const PAGES: Record<Screen, () => React.JSX.Element> = {
  registry: RegistryPage,
  inspections: InspectionsPage,
  plans: PlansPage,
  reviews: ReviewsPage,
  publications: PublicationsPage,
  library: LibraryPage,
  trash: TrashPage,
  sync: SyncPage,
  settings: SettingsPage,
};

function isScreen(key: string): key is Screen {
  return Object.prototype.hasOwnProperty.call(PAGES, key);
}

/** The window: a side menu, a header with the pending-changes indicator, and the current page. */
export function AppShell() {
  const screen = useNavigation((s) => s.screen);
  const go = useNavigation((s) => s.go);
  const refreshInfo = useAppInfo((s) => s.refresh);
  const tokenRejected = useConnection((s) => s.tokenRejected);
  const Page = PAGES[screen];

  useEffect(() => {
    void refreshInfo();
    return api.on('data.changed', () => void refreshInfo());
  }, [refreshInfo]);

  if (tokenRejected) return <TokenRejected />;

  return (
    <Layout className="shell">
      <Layout.Sider theme="light" width={200} className="shell-sider">
        <div className="shell-brand">Uplift</div>
        <Menu
          mode="inline"
          selectedKeys={[screen]}
          items={MENU}
          onClick={({ key }) => {
            if (isScreen(key)) go(key);
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          <h1 className="shell-title">{APP_TITLE}</h1>
          <PendingIndicator />
        </Layout.Header>
        <Layout.Content className="shell-content">
          <Page />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
