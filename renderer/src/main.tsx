import '@fontsource-variable/noto-sans-sc';
import './styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { connect } from './api';
import { AppShell } from './AppShell';
import { installDraftFlush } from './drafts';
import { MissingToken } from './components/MissingToken';
import { Providers } from './Providers';
import { useConnection } from './stores/connection';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const connection = connect(() => useConnection.getState().rejectToken());
// Typing kept as drafts goes to the device at once when a field loses focus or the page hides.
installDraftFlush();

createRoot(container).render(
  <StrictMode>
    <Providers>{connection === 'missing-token' ? <MissingToken /> : <AppShell />}</Providers>
  </StrictMode>,
);
