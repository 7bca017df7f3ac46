#!/usr/bin/env node
// The `uplift` command: runs electron/cli.ts through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli-main.ts');
