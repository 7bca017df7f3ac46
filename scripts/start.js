// `npm start`: builds what is stale, then opens the desktop window where Electron's runtime is
// installed, or else serves the same app in browser mode on 127.0.0.1.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { buildAll, buildIsStale, root } from './build.js';

const args = process.argv.slice(2);

if (buildIsStale()) {
  console.log('正在构建 Uplift……');
  await buildAll({ quiet: true });
}

function electronBinary() {
  try {
    const found = createRequire(import.meta.url)('electron');
    return typeof found === 'string' && fs.existsSync(found) ? found : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (electron) {
  const child = spawn(electron, [path.join(root, 'dist', 'electron', 'main.mjs'), ...args], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('未找到 Electron 运行时（其下载被阻止或未安装），改用浏览器模式运行同一个应用。');
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../electron/cli.ts');
  const code = await runCli(['app', ...args]);
  if (code !== 0) process.exit(code);
}
