import { z } from 'zod';

// Messages zod writes itself (a wrong type, an unknown key) are shown to Chinese users too.
z.config(z.locales.zhCN());
